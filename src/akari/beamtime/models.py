"""The one calendar of occupied beamline time, and the experiments that use it.

Every occupied interval of a beamline, whatever put it there (a coalition member's booking, a
shared-use experiment placed by the scheduler, maintenance, machine study, a shutdown), is one
:class:`Block`. No two *active* blocks of one beamline may overlap:

* on PostgreSQL an ``EXCLUDE USING gist (beamline_id WITH =, tstzrange(start, "end") WITH &&)``
  constraint guarantees it whatever process writes (migration ``0002``; it needs the
  ``btree_gist`` extension, created by the migration, which needs a role allowed to create it);
* on SQLite, writes are serialised (``BEGIN IMMEDIATE`` for every transaction) and
  :func:`akari.beamtime.services.block_occupy` checks for an overlap inside its transaction.

The guard is per **beamline**, not per end station: a beamline delivers its beam to one end
station at a time, so a block records which end station it uses but occupies the beamline.

:class:`BookingWindow` is time of a beamline set aside for member booking (a coalition
beamline's coalition share, net of maintenance and shared-use time). Staff open windows by hand,
or the scheduling app writes them from the operating calendar's split. Members may book only
inside a window and only where no active block lies.

:class:`Experiment` is a block of beamtime that a proposal or a booking actually uses; billing
and outcomes read it. The proposal or booking links to its experiment from its own side, so this
app never imports them: it keeps the programme (policy pack) and route codes, the lead person and
organisation, and whether results are proprietary.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from akari.core.models import TimeStampedModel


class Block(TimeStampedModel):
    class Kind(models.TextChoices):
        EXPERIMENT = "experiment", _("Experiment")
        BOOKING = "booking", _("Member booking")
        MAINTENANCE = "maintenance", _("Maintenance")
        MACHINE_STUDY = "machine_study", _("Machine study")
        SHUTDOWN = "shutdown", _("Shutdown")
        RESERVED = "reserved", _("Reserved by staff")

    beamline = models.ForeignKey(
        "facility.Beamline",
        on_delete=models.PROTECT,
        related_name="blocks",
        verbose_name=_("beamline"),
    )
    end_station = models.ForeignKey(
        "facility.EndStation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blocks",
        verbose_name=_("end station"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("Shown to staff only (e.g. a proposal number or a booking reference)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    release_reason = models.CharField(_("reason for release"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("beamtime block")
        verbose_name_plural = _("beamtime blocks")
        ordering = ["beamline", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="beamtime_block_ordered")
        ]
        indexes = [models.Index(fields=["beamline", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.beamline_id} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} {self.kind}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class BookingWindow(TimeStampedModel):
    """Time of a beamline open to member booking under one programme (policy pack)."""

    beamline = models.ForeignKey(
        "facility.Beamline",
        on_delete=models.PROTECT,
        related_name="booking_windows",
        verbose_name=_("beamline"),
    )
    programme = models.CharField(
        _("programme"), max_length=60, help_text=_("Code of the policy pack, e.g. the coalition.")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("booking window")
        verbose_name_plural = _("booking windows")
        ordering = ["beamline", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="beamtime_window_ordered")
        ]
        indexes = [models.Index(fields=["beamline", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.beamline_id} {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"


class Experiment(TimeStampedModel):
    """A block of beamtime a proposal or a booking uses (billing and outcomes read it)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        Status.SCHEDULED: {Status.COMPLETED, Status.CANCELLED},
        Status.COMPLETED: set(),
        Status.CANCELLED: set(),
    }

    block = models.OneToOneField(
        Block,
        on_delete=models.PROTECT,
        related_name="experiment",
        verbose_name=_("beamtime block"),
    )
    beamline = models.ForeignKey(
        "facility.Beamline",
        on_delete=models.PROTECT,
        related_name="experiments",
        verbose_name=_("beamline"),
    )
    end_station = models.ForeignKey(
        "facility.EndStation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experiments",
        verbose_name=_("end station"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    programme = models.CharField(_("programme"), max_length=60, help_text=_("Policy pack code."))
    route = models.CharField(_("access route"), max_length=60)
    proprietary = models.BooleanField(_("proprietary results"), default=False)
    reference = models.CharField(
        _("reference"), max_length=60, help_text=_("Proposal number or booking reference.")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="experiments_led",
        verbose_name=_("lead"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experiments",
        verbose_name=_("organisation"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="experiments",
        verbose_name=_("participants"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SCHEDULED)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["start", "beamline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="beamtime_experiment_ordered"
            )
        ]
        indexes = [models.Index(fields=["programme", "status", "end"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.start:%Y-%m-%d}"


class UsageRecord(TimeStampedModel):
    """What an experiment actually used: the single source for billing and for the coalition
    ledger's usage entries (only once ``confirmed``).

    Recorded by a beamline scientist or the user office after the experiment; a coalition member
    may record and submit it, and staff confirm. Beam downtime is the facility-caused loss in
    minutes (refunded per the programme's ``downtime_refund`` policy)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.CONFIRMED},
        Status.SUBMITTED: {Status.DRAFT, Status.CONFIRMED},
        Status.CONFIRMED: set(),
    }

    experiment = models.OneToOneField(
        Experiment,
        on_delete=models.PROTECT,
        related_name="usage",
        verbose_name=_("experiment"),
    )
    actual_start = models.DateTimeField(_("actual start"))
    actual_end = models.DateTimeField(_("actual end"))
    downtime_minutes = models.PositiveIntegerField(
        _("facility-caused downtime (minutes)"), default=0
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")
        ordering = ["-actual_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_end__gt=F("actual_start")), name="beamtime_usage_ordered"
            )
        ]
        indexes = [models.Index(fields=["status", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.experiment_id} {self.actual_start:%Y-%m-%d}"

    @property
    def used_minutes(self) -> int:
        return int((self.actual_end - self.actual_start).total_seconds() // 60)


class ConsumableUse(models.Model):
    """A consumable used in an experiment, by its code in the programme's price list
    (``invoicing.consumables``), or a quantity of a metered fee (``invoicing.metered_fees``:
    hours of data analysis, mail-in orders), by the fee's code."""

    usage = models.ForeignKey(
        UsageRecord,
        on_delete=models.CASCADE,
        related_name="consumables",
        verbose_name=_("usage record"),
    )
    item_code = models.CharField(_("item"), max_length=50)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("consumable used")
        verbose_name_plural = _("consumables used")
        ordering = ["item_code"]
        constraints = [
            models.UniqueConstraint(fields=["usage", "item_code"], name="beamtime_consumable_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="beamtime_consumable_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.item_code} × {self.quantity}"
