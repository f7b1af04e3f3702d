"""Confirming usage: the one step that makes a usage record final, billable and, for a
coalition booking, posted to the member's hour ledger.

A confirmed usage record is the single source both for charges (``billing.charges``) and for the
coalition ledger: confirming it moves the booking's hours from *booked* to *used* and gives back
the hours lost to facility-caused downtime (whole hours under the coalition pack's downtime rule,
the same rule the charges use) as a downtime credit. Both happen in the confirmation's
transaction, so a usage record is never confirmed without its ledger postings or the reverse.
The posting is idempotent: a booking already marked used, or already credited, is not posted twice.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from akari.beamtime import services_usage
from akari.beamtime.models import UsageRecord
from akari.billing.rates import refunded_hours
from akari.coalition import policy as coalition_policy
from akari.coalition import services as coalition_services
from akari.coalition.models import Booking, Bucket, LedgerEntry


@transaction.atomic
def usage_confirm(*, usage: UsageRecord, actor: Any) -> UsageRecord:
    """Confirm ``usage`` (staff) and post a coalition booking's use and downtime credit."""
    confirmed = services_usage.usage_confirm(usage=usage, actor=actor)
    ledger_post_usage(usage=confirmed, actor=actor)
    return confirmed


def ledger_post_usage(*, usage: UsageRecord, actor: Any) -> int:
    """Post the coalition ledger entries a confirmed usage record implies; returns the hours
    credited for downtime. Experiments that are not coalition bookings are left alone."""
    booking = Booking.objects.select_for_update().filter(experiment_id=usage.experiment_id).first()
    if booking is None or booking.status == Booking.Status.CANCELLED:
        return 0
    if booking.status == Booking.Status.CONFIRMED:
        coalition_services.booking_record_use(booking=booking, actor=actor)
        booking.refresh_from_db()
    pack = coalition_policy.pack(booking.start)
    already = sum(
        LedgerEntry.objects.filter(
            booking=booking, kind=LedgerEntry.Kind.CREDIT, bucket=Bucket.AVAILABLE
        ).values_list("hours", flat=True)
    )
    credit = min(refunded_hours(usage.downtime_minutes, pack), booking.hours) - already
    if credit > 0:
        coalition_services.downtime_credit(
            booking=booking, hours=credit, actor=actor, note=f"usage {usage.pk}"
        )
    return max(credit, 0)
