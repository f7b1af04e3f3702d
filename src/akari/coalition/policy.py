"""The coalition pack, read once per process and day (the booking hot path reads it often).

Everything the coalition decides by rule (rounds, classes, entitlement, refunds, allocation
order, waitlist offers, low-balance threshold) comes from the pack in force on the relevant day:
see ``POLICY.md``. The cache holds a parsed pack for ``CACHE_SECONDS``; a newly loaded version is
seen at the latest after that (tests call :func:`clear_cache`).
"""

from __future__ import annotations

import datetime as dt
import time

from django.http import Http404

from akari.core import clock
from akari.facility.models import Beamline
from akari.policies.schema import Booking, MemberClass, Pack
from akari.policies.selectors import policy_in_force

PROGRAMME = "nanoterasu-coalition"
CACHE_SECONDS = 60.0

_cache: dict[dt.date, tuple[float, Pack]] = {}
_beamlines: dict[str, tuple[float, Beamline]] = {}


def clear_cache() -> None:
    _cache.clear()
    _beamlines.clear()


def beamline_by_code(code: str) -> Beamline:
    """A coalition beamline (with its facility) by code, cached like the pack (API hot path);
    404 when the pack does not offer it."""
    hit = _beamlines.get(code)
    if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    today = pack()
    beamline = (
        Beamline.objects.select_related("facility")
        .filter(facility__code=today.facility, code=code)
        .first()
    )
    if beamline is None or code not in today.beamline_codes:
        raise Http404("No such coalition beamline.")
    _beamlines[code] = (time.monotonic(), beamline)
    return beamline


def pack(on: dt.date | None = None) -> Pack:
    """The coalition pack in force on ``on`` (default: today in Asia/Tokyo)."""
    day = on or clock.today()
    hit = _cache.get(day)
    if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = policy_in_force(PROGRAMME, on=day).pack
    _cache[day] = (time.monotonic(), value)
    return value


def booking_policy(on: dt.date | None = None) -> Booking:
    booking = pack(on).booking
    if booking is None:  # pragma: no cover - the shipped pack has rounds
        raise LookupError("The coalition pack defines no booking rounds.")
    return booking


def member_class(code: str, on: dt.date | None = None) -> MemberClass | None:
    for item in pack(on).member_classes:
        if item.code == code:
            return item
    return None


def class_codes(on: dt.date | None = None) -> list[str]:
    return [c.code for c in pack(on).member_classes]


def beamline_codes(on: dt.date | None = None) -> list[str]:
    return pack(on).beamline_codes


def facility_code(on: dt.date | None = None) -> str:
    return pack(on).facility
