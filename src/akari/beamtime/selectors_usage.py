"""Reads of usage records (billing and the coalition ledger read confirmed usage here)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from akari.beamtime.models import UsageRecord


def confirmed_usage_since(
    since: datetime | None = None, *, programme: str | None = None
) -> QuerySet[UsageRecord]:
    """Confirmed usage records (confirmed at or after ``since``), oldest confirmation first,
    with their experiment, beamline, organisation and consumables fetched.

    A coalition ledger posting needs per record: ``experiment.coalition_booking`` (the booking
    and its membership), ``experiment.start`` (fiscal year of the hours), the hours used
    (``used_minutes`` less refunded downtime, see ``akari.billing.rates.billable_hours``) and
    ``pk`` as an idempotency key."""
    qs = UsageRecord.objects.filter(status=UsageRecord.Status.CONFIRMED)
    if since is not None:
        qs = qs.filter(confirmed_at__gte=since)
    if programme is not None:
        qs = qs.filter(experiment__programme=programme)
    return (
        qs.select_related("experiment", "experiment__beamline", "experiment__organisation")
        .prefetch_related("consumables")
        .order_by("confirmed_at", "pk")
    )


def usage_awaiting(programme: str | None = None) -> QuerySet[UsageRecord]:
    """Records recorded or submitted but not yet confirmed."""
    qs = UsageRecord.objects.exclude(status=UsageRecord.Status.CONFIRMED)
    if programme is not None:
        qs = qs.filter(experiment__programme=programme)
    return qs.select_related("experiment", "experiment__beamline").order_by("actual_start")
