"""Publications: a paper, report, thesis, proceedings or patent that used a facility's beamtime.

The DOI is stored normalised (lower case, without ``https://doi.org/``) and is unique per
facility, so the same paper registered twice is refused with a clear message. A publication is
public unless it is linked to a proprietary experiment (proprietary work never appears).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from akari.accounts.orcid import validate_orcid
from akari.core.models import TimeStampedModel


class Publication(TimeStampedModel):
    class Kind(models.TextChoices):
        REFEREED = "refereed", _("Refereed paper")
        FACILITY_REPORT = "facility_report", _("Facility report")
        THESIS = "thesis", _("Thesis")
        PROCEEDINGS = "proceedings", _("Proceedings")
        PATENT = "patent", _("Patent")

    facility = models.ForeignKey(
        "facility.Facility", on_delete=models.PROTECT, related_name="+", verbose_name=_("facility")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=500)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    container = models.CharField(
        _("journal, proceedings or institution"), max_length=300, blank=True
    )
    year = models.PositiveSmallIntegerField(_("year"))
    volume = models.CharField(_("volume"), max_length=30, blank=True)
    pages = models.CharField(_("pages"), max_length=30, blank=True)
    url = models.URLField(_("URL"), blank=True)
    field = models.ForeignKey(
        "proposals.ResearchField",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("research field"),
    )
    programme = models.CharField(_("programme"), max_length=60, blank=True)
    public = models.BooleanField(_("public"), default=True)
    experiments = models.ManyToManyField(
        "beamtime.Experiment", related_name="publications", blank=True
    )
    proposals = models.ManyToManyField("proposals.Proposal", related_name="+", blank=True)
    beamlines = models.ManyToManyField("facility.Beamline", related_name="+", blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "doi"], condition=~Q(doi=""), name="outcomes_doi_once"
            )
        ]
        indexes = [models.Index(fields=["public", "year"])]

    def __str__(self) -> str:
        return self.title

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


class PublicationAuthor(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["publication", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "position"], name="outcomes_author_position"
            )
        ]

    def __str__(self) -> str:
        return self.name
