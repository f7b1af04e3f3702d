"""The operating calendar of a beamtime period and the schedule placed into it.

- :class:`SchedulePeriod`: one facility's period (e.g. 2027A) with its status workflow
  (draft → solving → draft ready → published) and the calls whose accepted proposals it places.
- :class:`RunSegment`: the ring's run schedule (user time, machine study, maintenance,
  shutdown, start-up); :class:`BeamlineOutage`: one beamline's maintenance;
  :class:`BeamlinePlan`: a beamline's changeover and, on a coalition beamline, the share of
  user time given to coalition booking.
- :class:`AwardOption`: how an award may be placed (split into pieces, earliest/latest dates,
  preferred dates); absent means one contiguous block anywhere in the period.
- :class:`SolverRun`: one run of the solver with its progress and figures.
- :class:`ScheduledBlock`: a placed award (draft until published; then it links the beamtime
  ``Block`` and ``Experiment``).
- :class:`FeedToken`: the secret of a person's iCal feed.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from akari.core.models import TimeStampedModel


class SchedulePeriod(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Calendar in preparation")
        SOLVING = "solving", _("Solver running")
        DRAFT_READY = "draft_ready", _("Draft schedule ready")
        PUBLISHED = "published", _("Published")

    TRANSITIONS = {
        Status.DRAFT: {Status.SOLVING},
        Status.SOLVING: {Status.DRAFT_READY, Status.DRAFT},
        Status.DRAFT_READY: {Status.SOLVING, Status.PUBLISHED, Status.DRAFT},
        Status.PUBLISHED: set(),
    }

    facility = models.ForeignKey(
        "facility.Facility", on_delete=models.PROTECT, related_name="schedule_periods"
    )
    code = models.CharField(_("code"), max_length=30, help_text=_("e.g. 2027A"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    calls = models.ManyToManyField(
        "proposals.Call", related_name="schedule_periods", blank=True, verbose_name=_("calls")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("schedule period")
        verbose_name_plural = _("schedule periods")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "code"], name="scheduling_period_code"),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="scheduling_period_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility.code} {self.code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("scheduling:period", args=[self.pk])


class RunSegment(models.Model):
    class Kind(models.TextChoices):
        USER = "user", _("User time")
        MACHINE_STUDY = "machine_study", _("Machine study")
        MAINTENANCE = "maintenance", _("Maintenance")
        SHUTDOWN = "shutdown", _("Shutdown")
        STARTUP = "startup", _("Start-up")

    period = models.ForeignKey(SchedulePeriod, on_delete=models.CASCADE, related_name="segments")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)

    class Meta:
        verbose_name = _("run segment")
        verbose_name_plural = _("run segments")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="scheduling_segment_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d %H:%M}"


class BeamlineOutage(models.Model):
    period = models.ForeignKey(SchedulePeriod, on_delete=models.CASCADE, related_name="outages")
    beamline = models.ForeignKey("facility.Beamline", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("beamline maintenance")
        verbose_name_plural = _("beamline maintenance")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="scheduling_outage_order")
        ]

    def __str__(self) -> str:
        return f"{self.beamline} {self.start:%Y-%m-%d}"


class BeamlinePlan(models.Model):
    period = models.ForeignKey(SchedulePeriod, on_delete=models.CASCADE, related_name="plans")
    beamline = models.ForeignKey("facility.Beamline", on_delete=models.PROTECT, related_name="+")
    changeover_shifts = models.PositiveSmallIntegerField(
        _("changeover (shifts)"),
        default=0,
        help_text=_("Free shifts a different experiment must wait after one ends."),
    )
    coalition_percent = models.PositiveSmallIntegerField(
        _("coalition share (%)"),
        default=0,
        help_text=_("Share of the beamline's user time opened to coalition booking."),
    )

    class Meta:
        verbose_name = _("beamline plan")
        verbose_name_plural = _("beamline plans")
        ordering = ["beamline__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "beamline"], name="scheduling_plan_unique"),
            models.CheckConstraint(
                condition=Q(coalition_percent__lte=100), name="scheduling_plan_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.beamline}"


class AwardOption(models.Model):
    request = models.OneToOneField(
        "proposals.BeamlineRequest", on_delete=models.CASCADE, related_name="schedule_option"
    )
    splittable = models.BooleanField(_("may be split"), default=False)
    min_piece_shifts = models.PositiveSmallIntegerField(_("shortest piece (shifts)"), default=3)
    earliest = models.DateField(_("earliest date"), null=True, blank=True)
    latest = models.DateField(_("latest date"), null=True, blank=True)
    preferred_start = models.DateField(_("preferred from"), null=True, blank=True)
    preferred_end = models.DateField(_("preferred until"), null=True, blank=True)

    class Meta:
        verbose_name = _("award scheduling option")
        verbose_name_plural = _("award scheduling options")

    def __str__(self) -> str:
        return str(self.request)


class SolverRun(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    period = models.ForeignKey(SchedulePeriod, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    time_limit = models.FloatField(_("time limit (s)"), default=30.0)
    workers = models.PositiveSmallIntegerField(_("workers"), default=2)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    solver_status = models.CharField(_("solver status"), max_length=20, blank=True)
    objective = models.BigIntegerField(_("score-weighted shifts"), null=True, blank=True)
    bound = models.FloatField(_("proven bound"), null=True, blank=True)
    bound_cpsat = models.BigIntegerField(_("CP-SAT bound"), null=True, blank=True)
    bound_lp = models.FloatField(_("LP bound"), null=True, blank=True)
    greedy = models.BigIntegerField(_("greedy baseline"), null=True, blank=True)
    placed = models.PositiveIntegerField(_("awards placed"), null=True, blank=True)
    total = models.PositiveIntegerField(_("awards"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    unplaced = models.JSONField(_("unplaced awards"), default=list, blank=True)

    class Meta:
        verbose_name = _("solver run")
        verbose_name_plural = _("solver runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} #{self.pk}"

    @property
    def gap(self) -> float | None:
        if self.objective is None or not self.bound:
            return None
        return max(0.0, 1.0 - self.objective / self.bound)

    @property
    def gap_percent(self) -> float | None:
        gap = self.gap
        return None if gap is None else 100 * gap

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ScheduledBlock(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    period = models.ForeignKey(SchedulePeriod, on_delete=models.CASCADE, related_name="blocks")
    request = models.ForeignKey(
        "proposals.BeamlineRequest", on_delete=models.PROTECT, related_name="scheduled_blocks"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="scheduled_blocks"
    )
    beamline = models.ForeignKey("facility.Beamline", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    shifts = models.PositiveSmallIntegerField(_("shifts"))
    pinned = models.BooleanField(_("pinned"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    block = models.OneToOneField(
        "beamtime.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    experiment = models.OneToOneField(
        "beamtime.Experiment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("scheduled block")
        verbose_name_plural = _("scheduled blocks")
        ordering = ["beamline__code", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="scheduling_block_order")
        ]

    def __str__(self) -> str:
        return f"{self.proposal.number} {self.beamline.code} {self.start:%Y-%m-%d %H:%M}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return str(self.person)
