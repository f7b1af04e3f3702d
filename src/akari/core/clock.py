"""The one injectable clock.

Every piece of Akari that needs "now" calls :func:`now` (or :func:`today`), never
``timezone.now()`` or ``datetime.now()`` directly, so tests can travel in time::

    with clock.frozen(datetime(2026, 4, 1, 9, 0, tzinfo=TOKYO)):
        ...

Times are timezone-aware; :data:`TOKYO` is the facility time zone used for dates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.utils import timezone

TOKYO = ZoneInfo("Asia/Tokyo")

_frozen: ContextVar[dt.datetime | None] = ContextVar("akari_clock_frozen", default=None)


def now() -> dt.datetime:
    """The current aware datetime (UTC), or the frozen instant in tests."""
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's date in Asia/Tokyo."""
    return now().astimezone(TOKYO).date()


def freeze(instant: dt.datetime) -> None:
    """Freeze the clock at ``instant`` until :func:`unfreeze` (prefer :func:`frozen`)."""
    if timezone.is_naive(instant):
        raise ValueError("The clock only accepts timezone-aware datetimes.")
    _frozen.set(instant)


def unfreeze() -> None:
    _frozen.set(None)


@contextlib.contextmanager
def frozen(instant: dt.datetime) -> Iterator[dt.datetime]:
    token = _frozen.set(instant if timezone.is_aware(instant) else instant.replace(tzinfo=TOKYO))
    try:
        yield _frozen.get() or instant
    finally:
        _frozen.reset(token)
