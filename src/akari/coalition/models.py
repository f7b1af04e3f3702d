"""The NanoTerasu coalition: members, their hour entitlement, and member bookings.

* :class:`Membership` — a member organisation (a company, an institute, or a group of
  companies such as a regional SME group, whose companies book on the group's units), its
  class, units (口), joining fiscal year (which fixes its hourly rate) and contract term.
* :class:`MemberPerson` — who of the member's people may book, and who administers the list.
* :class:`EntitlementAccount` and :class:`LedgerEntry` — a double-entry ledger of hours per
  member and fiscal year. Hours are whole **integer hours** (the pack's time unit is one hour).
  Every posting moves hours between buckets (``external``, ``available``, ``held``,
  ``booked``, ``used``, ``forfeited``) as a set of entries summing to zero. The account row caches
  each bucket's balance (``CHECK >= 0``), updated with ``F()`` expressions in the same
  transaction as its entries, so a balance can never go negative even under concurrency.
* :class:`Booking` — a confirmed member booking: one ``beamtime.Block`` (kind BOOKING; the
  exclusion constraint makes double booking impossible) plus the member's side of it.
* :class:`BookingRequest` and :class:`AllocationRun` — round 1: requests for a month and the
  recorded, replayable allocation run that decides them.
* :class:`WaitlistEntry` — members waiting for a taken slot; offered in order when it frees.

See ``POLICY.md`` beside this file for every rule and default.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from akari.core.models import TimeStampedModel


class UseType(models.TextChoices):
    BASIC = "basic", _("Basic use")
    ADVANCED = "advanced", _("Advanced use")
    MAIL_IN = "mail_in", _("Mail-in / measurement service")


class Membership(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    TRANSITIONS = {
        Status.ACTIVE: {Status.SUSPENDED, Status.ENDED},
        Status.SUSPENDED: {Status.ACTIVE, Status.ENDED},
        Status.ENDED: set(),
    }

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="coalition_membership",
        verbose_name=_("organisation"),
    )
    member_class = models.CharField(
        _("member class"), max_length=50, help_text=_("A member class code of the coalition pack.")
    )
    units = models.PositiveSmallIntegerField(_("units"))
    joining_fiscal_year = models.PositiveSmallIntegerField(
        _("joining fiscal year"), help_text=_("Fixes the member's hourly rate.")
    )
    joined_on = models.DateField(_("joined on"))
    contract_ends_on = models.DateField(_("contract ends on"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)

    class Meta:
        verbose_name = _("coalition membership")
        verbose_name_plural = _("coalition memberships")
        ordering = ["organisation__name_en"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gte=1), name="coalition_membership_units"),
            models.CheckConstraint(
                condition=Q(contract_ends_on__gt=F("joined_on")),
                name="coalition_membership_term",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


def _token() -> str:
    return secrets.token_urlsafe(24)


class MemberPerson(TimeStampedModel):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="people", verbose_name=_("membership")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coalition_roles",
        verbose_name=_("person"),
    )
    can_book = models.BooleanField(_("may book"), default=True)
    is_admin = models.BooleanField(_("member administrator"), default=False)
    calendar_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=_token, editable=False
    )

    class Meta:
        verbose_name = _("member person")
        verbose_name_plural = _("member people")
        ordering = ["membership", "person__family_name", "person__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "person"], name="coalition_member_person_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.membership}"


class Bucket(models.TextChoices):
    EXTERNAL = "external", _("Outside the account")
    AVAILABLE = "available", _("Available")
    HELD = "held", _("Held for requests")
    BOOKED = "booked", _("Booked")
    USED = "used", _("Used")
    FORFEITED = "forfeited", _("Forfeited")


# Buckets cached as columns of the account (external is minus ``granted``).
ACCOUNT_BUCKETS = ("available", "held", "booked", "used", "forfeited")


class EntitlementAccount(TimeStampedModel):
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("membership")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    granted = models.IntegerField(_("granted hours"), default=0)
    available = models.IntegerField(_("available hours"), default=0)
    held = models.IntegerField(_("held hours"), default=0)
    booked = models.IntegerField(_("booked hours"), default=0)
    used = models.IntegerField(_("used hours"), default=0)
    forfeited = models.IntegerField(_("forfeited hours"), default=0)
    low_balance_notified = models.BooleanField(_("low balance notified"), default=False)

    class Meta:
        verbose_name = _("entitlement account")
        verbose_name_plural = _("entitlement accounts")
        ordering = ["membership", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "fiscal_year"], name="coalition_account_unique"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}), name=f"coalition_account_{name}_nonneg"
                )
                for name in ("granted", *ACCOUNT_BUCKETS)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} FY{self.fiscal_year}"

    def balance(self, bucket: str) -> int:
        return -self.granted if bucket == Bucket.EXTERNAL else int(getattr(self, bucket))


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        HOLD = "hold", _("Hold for a request")
        HOLD_RELEASE = "hold_release", _("Hold released")
        BOOK = "book", _("Booking")
        REFUND = "refund", _("Cancellation refund")
        FORFEIT = "forfeit", _("Forfeited on late cancellation")
        USE = "use", _("Usage")
        CREDIT = "credit", _("Downtime credit")

    account = models.ForeignKey(
        EntitlementAccount,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("account"),
    )
    posting = models.UUIDField(_("posting"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    bucket = models.CharField(_("bucket"), max_length=20, choices=Bucket)
    hours = models.IntegerField(_("hours"))
    booking = models.ForeignKey(
        "Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("booking"),
    )
    request = models.ForeignKey(
        "BookingRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("request"),
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["account", "at", "pk"]
        indexes = [models.Index(fields=["account", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.bucket} {self.hours:+d}"


class Booking(TimeStampedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        USED = "used", _("Used")

    TRANSITIONS = {
        Status.CONFIRMED: {Status.CANCELLED, Status.USED},
        Status.CANCELLED: set(),
        Status.USED: set(),
    }

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("member")
    )
    account = models.ForeignKey(
        EntitlementAccount,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("account"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coalition_bookings",
        verbose_name=_("booked by"),
    )
    beamline = models.ForeignKey(
        "facility.Beamline", on_delete=models.PROTECT, related_name="+", verbose_name=_("beamline")
    )
    end_station = models.ForeignKey(
        "facility.EndStation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("end station"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    hours = models.PositiveIntegerField(_("hours"))
    use_type = models.CharField(_("use type"), max_length=20, choices=UseType)
    round = models.PositiveSmallIntegerField(
        _("round"), help_text=_("1, 2 or 3; 0 for a booking placed by staff.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.CONFIRMED)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    block = models.OneToOneField(
        "beamtime.Block",
        on_delete=models.PROTECT,
        related_name="coalition_booking",
        verbose_name=_("beamtime block"),
    )
    experiment = models.OneToOneField(
        "beamtime.Experiment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coalition_booking",
        verbose_name=_("experiment"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    refunded_hours = models.PositiveIntegerField(_("refunded hours"), default=0)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "beamline"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="coalition_booking_idempotency",
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="coalition_booking_order"),
        ]
        indexes = [models.Index(fields=["membership", "start"])]

    # Set on the instance a retried request (same idempotency key) gets back.
    replayed: bool = False

    def __str__(self) -> str:
        return self.reference


class BookingRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ALLOCATED = "allocated", _("Allocated")
        REJECTED = "rejected", _("Not allocated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.PENDING: {Status.ALLOCATED, Status.REJECTED, Status.WITHDRAWN},
        Status.ALLOCATED: set(),
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
    }

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="requests", verbose_name=_("member")
    )
    account = models.ForeignKey(
        EntitlementAccount, on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    beamline = models.ForeignKey(
        "facility.Beamline", on_delete=models.PROTECT, related_name="+", verbose_name=_("beamline")
    )
    end_station = models.ForeignKey(
        "facility.EndStation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("end station"),
    )
    month = models.DateField(_("month"), help_text=_("First day of the month requested."))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    hours = models.PositiveIntegerField(_("hours"))
    use_type = models.CharField(_("use type"), max_length=20, choices=UseType)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=50, blank=True)
    booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("booking"),
    )
    run = models.ForeignKey(
        "AllocationRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("allocation run"),
    )

    class Meta:
        verbose_name = _("round-1 request")
        verbose_name_plural = _("round-1 requests")
        ordering = ["month", "start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="coalition_request_order")
        ]
        indexes = [models.Index(fields=["month", "status"])]

    def __str__(self) -> str:
        return f"R{self.pk} {self.start:%Y-%m-%d %H:%M}"


class AllocationRun(models.Model):
    month = models.DateField(_("month"), unique=True)
    seed = models.BigIntegerField(_("lottery seed"))
    algorithm_version = models.PositiveSmallIntegerField(_("algorithm version"))
    inputs_digest = models.CharField(_("inputs digest"), max_length=64)
    inputs = models.JSONField(_("inputs"))
    policy = models.JSONField(_("allocation policy"))
    draw = models.JSONField(_("draw"), help_text=_("The decisions in order, with their reasons."))
    ran_at = models.DateTimeField(_("ran at"))
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ran by"),
    )

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class WaitlistEntry(TimeStampedModel):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.WAITING: {Status.OFFERED, Status.WITHDRAWN},
        Status.OFFERED: {Status.ACCEPTED, Status.DECLINED, Status.EXPIRED},
        Status.ACCEPTED: set(),
        Status.DECLINED: set(),
        Status.EXPIRED: set(),
        Status.WITHDRAWN: set(),
    }

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("member")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    beamline = models.ForeignKey(
        "facility.Beamline", on_delete=models.PROTECT, related_name="+", verbose_name=_("beamline")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    use_type = models.CharField(_("use type"), max_length=20, choices=UseType)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.WAITING)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waitlist_entry",
        verbose_name=_("booking"),
    )

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["beamline", "start", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "beamline", "start", "end"],
                condition=Q(status__in=["waiting", "offered"]),
                name="coalition_waitlist_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.start:%Y-%m-%d %H:%M}"
