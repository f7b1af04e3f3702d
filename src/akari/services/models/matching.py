"""Partner matching: researchers' expertise profiles, companies' (confidential) needs, and the
suggestions Akari ranks between them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from akari.core.models import TimeStampedModel


class ExpertiseProfile(TimeStampedModel):
    """A researcher's published expertise (belongs to the person; matched for every facility)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expertise_profile",
        verbose_name=_("researcher"),
    )
    headline = models.CharField(_("headline"), max_length=200)
    techniques = models.TextField(_("techniques"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    fields = models.TextField(_("research fields"), blank=True)
    publications = models.TextField(_("selected publications"), blank=True)
    keywords_ja = models.CharField(_("keywords (Japanese)"), max_length=500, blank=True)
    keywords_en = models.CharField(_("keywords (English)"), max_length=500, blank=True)
    published = models.BooleanField(
        _("published"), default=True, help_text=_("Only published profiles are suggested.")
    )

    class Meta:
        verbose_name = _("expertise profile")
        verbose_name_plural = _("expertise profiles")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.headline

    def keyword_list(self) -> list[str]:
        raw = f"{self.keywords_ja},{self.keywords_en}".replace("、", ",")
        return [k.strip() for k in raw.split(",") if k.strip()]

    def text(self) -> str:
        return "\n".join(
            [
                self.headline,
                self.techniques,
                self.materials,
                self.fields,
                self.publications,
                self.keywords_ja,
                self.keywords_en,
            ]
        )


class CompanyNeed(TimeStampedModel):
    """What a company is looking for. Confidential: only its owner sees it, and a researcher
    only after the company chose to contact them."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {Status.OPEN: {Status.CLOSED}, Status.CLOSED: {Status.OPEN}}

    facility = models.ForeignKey(
        "facility.Facility",
        on_delete=models.PROTECT,
        related_name="company_needs",
        verbose_name=_("facility"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="company_needs",
        verbose_name=_("company"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="company_needs",
        verbose_name=_("owner"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what you need"))
    techniques = models.CharField(_("techniques you think of"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)

    class Meta:
        verbose_name = _("company need")
        verbose_name_plural = _("company needs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def text(self) -> str:
        return "\n".join([self.title, self.description, self.techniques])


class MatchSuggestion(TimeStampedModel):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONTACTED = "contacted", _("Contact requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    TRANSITIONS = {
        Status.SUGGESTED: {Status.CONTACTED},
        Status.CONTACTED: {Status.ACCEPTED, Status.DECLINED},
        Status.ACCEPTED: set(),
        Status.DECLINED: set(),
    }
    # Statuses in which the researcher may read the need.
    DISCLOSED = (Status.CONTACTED, Status.ACCEPTED)

    need = models.ForeignKey(
        CompanyNeed,
        on_delete=models.CASCADE,
        related_name="suggestions",
        verbose_name=_("need"),
    )
    profile = models.ForeignKey(
        ExpertiseProfile,
        on_delete=models.CASCADE,
        related_name="suggestions",
        verbose_name=_("profile"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("similarity"))
    reasons = models.JSONField(_("shared terms"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUGGESTED)
    message = models.TextField(_("message to the researcher"), blank=True)
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match suggestion")
        verbose_name_plural = _("match suggestions")
        ordering = ["need", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["need", "profile"], name="services_match_once")
        ]

    def __str__(self) -> str:
        return f"{self.need_id} → {self.profile_id} ({self.rank})"
