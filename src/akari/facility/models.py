"""The facility catalogue: light sources, their beamlines and end stations."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from akari.core.i18n import localized
from akari.core.models import TimeStampedModel


class Facility(TimeStampedModel):
    """A light source (NanoTerasu, SPring-8). Every domain record belongs to one."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    location_ja = models.CharField(_("location (Japanese)"), max_length=200, blank=True)
    location_en = models.CharField(_("location (English)"), max_length=200, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    website = models.URLField(_("web site"), blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["code"]

    def __str__(self) -> str:
        return localized(self, "name")


class PolicyArea(TimeStampedModel):
    """A policy area the seed maps coalition beamlines to (infection control, materials,
    green innovation, SDGs)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return localized(self, "name")


class Beamline(TimeStampedModel):
    class AccessScheme(models.TextChoices):
        SHARED = "shared", _("Shared use")
        COALITION = "coalition", _("Coalition")
        CONTRACT = "contract", _("Contract beamline")
        IN_HOUSE = "in_house", _("In-house")

    class Status(models.TextChoices):
        COMMISSIONING = "commissioning", _("Commissioning")
        OPERATING = "operating", _("In operation")
        PAUSED = "paused", _("Temporarily closed")
        RETIRED = "retired", _("Retired")

    TRANSITIONS = {
        Status.COMMISSIONING: {Status.OPERATING, Status.RETIRED},
        Status.OPERATING: {Status.PAUSED, Status.RETIRED},
        Status.PAUSED: {Status.OPERATING, Status.RETIRED},
        Status.RETIRED: set(),
    }

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="beamlines", verbose_name=_("facility")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. BL02U"))
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    technique_ja = models.CharField(_("technique (Japanese)"), max_length=300)
    technique_en = models.CharField(_("technique (English)"), max_length=300)
    functions_ja = models.CharField(_("functions (Japanese)"), max_length=300, blank=True)
    functions_en = models.CharField(_("functions (English)"), max_length=300, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    access_scheme = models.CharField(_("operated for"), max_length=20, choices=AccessScheme)
    operator = models.CharField(
        _("operator"), max_length=100, help_text=_("Organisation that runs it, e.g. QST, PhoSIC.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPERATING)
    policy_areas = models.ManyToManyField(
        PolicyArea,
        through="BeamlinePolicyArea",
        related_name="beamlines",
        blank=True,
        verbose_name=_("policy areas"),
    )

    class Meta:
        verbose_name = _("beamline")
        verbose_name_plural = _("beamlines")
        ordering = ["facility__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "code"], name="facility_beamline_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {localized(self, 'name')}"

    def get_absolute_url(self) -> str:
        return reverse(
            "facility:beamline", kwargs={"facility_code": self.facility.code, "code": self.code}
        )


class BeamlinePolicyArea(models.Model):
    """What a beamline contributes to a policy area (the seed's table, cell by cell)."""

    beamline = models.ForeignKey(
        Beamline, on_delete=models.CASCADE, related_name="policy_area_links"
    )
    policy_area = models.ForeignKey(PolicyArea, on_delete=models.PROTECT, related_name="links")
    applications_ja = models.CharField(_("applications (Japanese)"), max_length=300)
    applications_en = models.CharField(_("applications (English)"), max_length=300)

    class Meta:
        verbose_name = _("beamline policy area")
        verbose_name_plural = _("beamline policy areas")
        ordering = ["policy_area__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["beamline", "policy_area"], name="facility_beamline_policy_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beamline.code} / {self.policy_area}"


class EndStation(TimeStampedModel):
    beamline = models.ForeignKey(
        Beamline, on_delete=models.CASCADE, related_name="end_stations", verbose_name=_("beamline")
    )
    code = models.CharField(_("code"), max_length=30)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("end station")
        verbose_name_plural = _("end stations")
        ordering = ["beamline", "code"]
        constraints = [
            models.UniqueConstraint(fields=["beamline", "code"], name="facility_endstation_code")
        ]

    def __str__(self) -> str:
        return f"{self.beamline.code}/{self.code}"
