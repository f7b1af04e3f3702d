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
import os
from collections.abc import Iterator
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.utils import timezone

TOKYO = ZoneInfo("Asia/Tokyo")

_frozen: ContextVar[dt.datetime | None] = ContextVar("akari_clock_frozen", default=None)

# Process-wide override for code running in other threads or processes than the test's own
# (Playwright's live server thread, a benchmark's gunicorn workers). Set by
# :func:`freeze_process` or, at start-up, by the ``AKARI_FROZEN_NOW`` environment variable
# (an ISO 8601 instant with its offset). Never set in production.
_process_frozen: dt.datetime | None = None


def _from_environment() -> dt.datetime | None:
    raw = os.environ.get("AKARI_FROZEN_NOW", "").strip()
    if not raw:
        return None
    instant = dt.datetime.fromisoformat(raw)
    if instant.tzinfo is None:
        raise ValueError("AKARI_FROZEN_NOW must carry a UTC offset, e.g. 2026-12-01T09:00+09:00.")
    return instant


_process_frozen = _from_environment()


def now() -> dt.datetime:
    """The current aware datetime (UTC), or the frozen instant in tests."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    return _process_frozen if _process_frozen is not None else timezone.now()


def freeze_process(instant: dt.datetime | None) -> None:
    """Freeze the clock for every thread of this process (``None`` unfreezes). For browser
    tests whose live server runs in another thread; prefer :func:`frozen` elsewhere."""
    global _process_frozen
    if instant is not None and timezone.is_naive(instant):
        raise ValueError("The clock only accepts timezone-aware datetimes.")
    _process_frozen = instant


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
