"""Programmes and their versioned, effective-dated policies (loaded from ``packs/*.yaml``).

A :class:`Programme` (SPring-8 user programme, NanoTerasu shared use, NanoTerasu coalition) has
one :class:`PolicyVersion` per loaded pack version. A version is immutable once loaded: its whole
validated document is kept as JSON, and its access routes and fee rules are also stored as rows
so pages and later issues can query them. Read policies through :mod:`akari.policies.selectors`.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from akari.core.i18n import localized
from akari.core.models import TimeStampedModel
from akari.facility.models import Beamline, Facility
from akari.policies.schema import Pack


class Programme(TimeStampedModel):
    """An access programme of a facility. Name, operator and beamlines follow the policy version
    in force when a pack was last loaded."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("facility")
    )
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    operator_ja = models.CharField(_("operator (Japanese)"), max_length=200)
    operator_en = models.CharField(_("operator (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    beamlines = models.ManyToManyField(
        Beamline, related_name="programmes", blank=True, verbose_name=_("beamlines")
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return localized(self, "name")


class PolicyVersion(TimeStampedModel):
    """One loaded version of a programme's pack, in force from ``effective_from`` until
    ``effective_until`` (inclusive) or until a later version takes effect."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="versions", verbose_name=_("programme")
    )
    version = models.CharField(_("version"), max_length=30)
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Last day in force (inclusive).")
    )
    document = models.JSONField(_("policy document"))
    source_file = models.CharField(_("source file"), max_length=300)
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        help_text=_("Of the validated document: edits to comments or layout do not change it."),
    )
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loaded by"),
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["programme", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="policies_version_unique"
            ),
            models.UniqueConstraint(
                fields=["programme", "effective_from"], name="policies_version_one_per_date"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="policies_version_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.version}"

    @cached_property
    def pack(self) -> Pack:
        """The typed policy (the validated pack) this version was loaded from."""
        return Pack.model_validate(self.document)


class AccessRoute(TimeStampedModel):
    """A way in to beamtime (normal proposal, urgent, proprietary, coalition basic use ...)."""

    class ResultOwnership(models.TextChoices):
        NON_PROPRIETARY = "non_proprietary", _("Non-proprietary (results published)")
        PROPRIETARY = "proprietary", _("Proprietary (results kept)")

    class ReviewPath(models.TextChoices):
        PEER_AND_TECHNICAL = "peer_and_technical", _("Peer review and technical review")
        TECHNICAL_AND_SAFETY = "technical_and_safety", _("Technical and safety review only")
        NONE = "none", _("No proposal review")

    class Application(models.TextChoices):
        CALL = "call", _("By call")
        ANYTIME = "anytime", _("Any time")
        BOOKING = "booking", _("Monthly booking")

    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("policy version"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    result_ownership = models.CharField(
        _("result ownership"), max_length=20, choices=ResultOwnership
    )
    review_path = models.CharField(_("review path"), max_length=30, choices=ReviewPath)
    application = models.CharField(_("application"), max_length=20, choices=Application)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    supervisor_required = models.BooleanField(_("supervisor on the team"), default=False)
    eligibility_ja = models.TextField(_("eligibility (Japanese)"), blank=True)
    eligibility_en = models.TextField(_("eligibility (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    fee_codes = models.JSONField(_("fees that apply"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("access route")
        verbose_name_plural = _("access routes")
        ordering = ["policy_version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy_version", "code"], name="policies_route_code_unique"
            )
        ]

    def __str__(self) -> str:
        return localized(self, "name")


class FeeRule(TimeStampedModel):
    """A fee figure of a policy version. ``amount`` is whole yen (empty when charged at cost)."""

    class Unit(models.TextChoices):
        SHIFT = "shift", _("per shift")
        HOUR = "hour", _("per hour")
        UNIT = "unit", _("per unit")
        ORDER = "order", _("per order")
        SAMPLE = "sample", _("per sample")
        AT_COST = "at_cost", _("at cost")

    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="fees",
        verbose_name=_("policy version"),
    )
    code = models.SlugField(_("code"), max_length=50)
    route = models.ForeignKey(
        AccessRoute,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_fees",
        verbose_name=_("route"),
        help_text=_("Set when the fee belongs to one route only."),
    )
    label_ja = models.CharField(_("label (Japanese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    amount = models.DecimalField(
        _("amount (yen)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, choices=Unit)
    tax_included = models.BooleanField(_("consumption tax included"))
    joining_fiscal_year = models.PositiveSmallIntegerField(
        _("joining fiscal year"),
        null=True,
        blank=True,
        help_text=_("For rates that depend on the year a member joined (coalition usage)."),
    )
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("A default figure, not yet published.")
    )
    notes_ja = models.TextField(_("notes (Japanese)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        ordering = ["policy_version", "order", "joining_fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy_version", "code"],
                condition=Q(joining_fiscal_year__isnull=True),
                name="policies_fee_code_unique",
            ),
            models.UniqueConstraint(
                fields=["policy_version", "code", "joining_fiscal_year"],
                condition=Q(joining_fiscal_year__isnull=False),
                name="policies_fee_code_year_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(amount__isnull=True),
                name="policies_fee_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(unit="at_cost", amount__isnull=True)
                | (~Q(unit="at_cost") & Q(amount__isnull=False)),
                name="policies_fee_amount_unless_at_cost",
            ),
        ]

    def __str__(self) -> str:
        return localized(self, "label")

    @property
    def at_cost(self) -> bool:
        return self.unit == self.Unit.AT_COST
