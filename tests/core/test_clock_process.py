"""The process-wide clock override used by browser tests and benchmarks."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from akari.core import clock


def test_process_freeze_is_seen_by_other_threads_and_context_freeze_wins():
    instant = datetime(2026, 12, 1, 9, tzinfo=clock.TOKYO)
    seen: list[datetime] = []
    clock.freeze_process(instant)
    try:
        t = threading.Thread(target=lambda: seen.append(clock.now()))
        t.start()
        t.join()
        assert seen == [instant]
        later = datetime(2027, 1, 1, tzinfo=clock.TOKYO)
        with clock.frozen(later):
            assert clock.now() == later
    finally:
        clock.freeze_process(None)
    assert clock.now() != instant


def test_naive_instants_are_refused(monkeypatch):
    with pytest.raises(ValueError):
        clock.freeze_process(datetime(2026, 12, 1, 9))
    monkeypatch.setenv("AKARI_FROZEN_NOW", "2026-12-01T09:00")
    with pytest.raises(ValueError):
        clock._from_environment()
    monkeypatch.setenv("AKARI_FROZEN_NOW", "2026-12-01T09:00+09:00")
    assert clock._from_environment() == datetime(2026, 12, 1, 9, tzinfo=clock.TOKYO)
