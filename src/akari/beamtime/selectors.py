"""Reads of the one calendar: what is busy, what is free to book.

Free time for member booking = booking windows minus active blocks. Callers decide who may see
*whose* block (members see free/busy only); these selectors return intervals, not owners.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from akari.beamtime.models import Block, BookingWindow, Experiment

Interval = tuple[datetime, datetime]


def active_blocks(beamline: Any, start: datetime, end: datetime) -> QuerySet[Block]:
    beamline_id = getattr(beamline, "pk", beamline)
    return Block.objects.filter(
        beamline_id=beamline_id, released_at__isnull=True, start__lt=end, end__gt=start
    ).order_by("start")


def windows(beamline: Any, programme: str, start: datetime, end: datetime) -> list[Interval]:
    """The booking windows of ``programme`` on a beamline, clipped to ``[start, end)``."""
    beamline_id = getattr(beamline, "pk", beamline)
    rows = BookingWindow.objects.filter(
        beamline_id=beamline_id, programme=programme, start__lt=end, end__gt=start
    ).order_by("start")
    return [(max(w.start, start), min(w.end, end)) for w in rows]


def subtract(intervals: list[Interval], busy: list[Interval]) -> list[Interval]:
    """``intervals`` minus ``busy`` (both sorted by start); pure, for tests and callers."""
    out: list[Interval] = []
    for a, b in intervals:
        cursor = a
        for s, e in busy:
            if e <= cursor or s >= b:
                continue
            if s > cursor:
                out.append((cursor, s))
            cursor = max(cursor, e)
            if cursor >= b:
                break
        if cursor < b:
            out.append((cursor, b))
    return out


def free_intervals(beamline: Any, programme: str, start: datetime, end: datetime) -> list[Interval]:
    """Bookable and not occupied: the windows of ``programme`` minus every active block."""
    busy = [(b.start, b.end) for b in active_blocks(beamline, start, end).only("start", "end")]
    return subtract(windows(beamline, programme, start, end), busy)


def is_bookable(beamline: Any, programme: str, start: datetime, end: datetime) -> bool:
    """Whether all of ``[start, end)`` lies inside one window (windows are merged on open)."""
    beamline_id = getattr(beamline, "pk", beamline)
    return BookingWindow.objects.filter(
        beamline_id=beamline_id, programme=programme, start__lte=start, end__gte=end
    ).exists()


def experiments_for_person(person: Any) -> QuerySet[Experiment]:
    return (
        Experiment.objects.filter(Q(participants=person) | Q(lead=person))
        .distinct()
        .select_related("beamline")
        .order_by("start")
    )
