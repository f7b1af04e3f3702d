"""The one calendar: overlap is refused by the service and, on PostgreSQL, by the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from akari.beamtime import selectors, services
from akari.beamtime.models import Block, BookingWindow, Experiment
from akari.core.models import AuditEvent
from tests.beamtime.factories import TOKYO, at
from tests.facility.factories import BeamlineFactory, EndStationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROG = "nanoterasu-coalition"


def occupy(bl, start, end, **kw):
    return services.block_occupy(
        beamline=bl, start=start, end=end, kind=Block.Kind.BOOKING, actor=None, **kw
    )


@pytest.mark.parametrize(
    ("start", "end", "conflicts"),
    [
        ((9, 0), (17, 0), True),  # identical
        ((8, 0), (9, 0), False),  # ends where it starts
        ((17, 0), (18, 0), False),  # starts where it ends
        ((16, 59), (18, 0), True),  # one minute of overlap
        ((10, 0), (11, 0), True),  # inside
        ((7, 0), (20, 0), True),  # around
    ],
)
def test_overlap_is_refused_and_touching_is_allowed(start, end, conflicts):
    bl = BeamlineFactory()
    occupy(bl, at(2026, 12, 1, 9), at(2026, 12, 1, 17))
    if conflicts:
        with pytest.raises(services.BeamtimeConflict):
            occupy(bl, at(2026, 12, 1, *start), at(2026, 12, 1, *end))
        assert Block.objects.count() == 1
    else:
        occupy(bl, at(2026, 12, 1, *start), at(2026, 12, 1, *end))
        assert Block.objects.count() == 2


def test_other_beamlines_do_not_conflict():
    occupy(BeamlineFactory(), at(2026, 12, 1, 9), at(2026, 12, 1, 17))
    occupy(BeamlineFactory(), at(2026, 12, 1, 9), at(2026, 12, 1, 17))
    assert Block.objects.count() == 2


def test_bad_intervals_are_refused():
    bl = BeamlineFactory()
    with pytest.raises(ValidationError):
        occupy(bl, at(2026, 12, 1, 9), at(2026, 12, 1, 9))
    from datetime import datetime

    with pytest.raises(ValidationError):
        occupy(bl, datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 10))
    with pytest.raises(ValidationError):
        occupy(bl, at(2026, 12, 1, 9), at(2026, 12, 1, 10), end_station=EndStationFactory())
    assert not Block.objects.exists()


def test_released_time_can_be_taken_again_and_release_is_audited():
    bl = BeamlineFactory()
    staff = UserFactory()
    b = occupy(bl, at(2026, 12, 1, 9), at(2026, 12, 1, 17))
    services.block_release(block=b, actor=staff, reason="cancelled")
    services.block_release(block=b, actor=staff, reason="again")  # no-op
    assert AuditEvent.objects.filter(action="beamtime.block_released").count() == 1
    occupy(bl, at(2026, 12, 1, 9), at(2026, 12, 1, 17))
    assert Block.objects.filter(released_at__isnull=True).count() == 1


def test_move_checks_conflicts_and_carries_the_experiment():
    bl = BeamlineFactory()
    a = occupy(bl, at(2026, 12, 1, 9), at(2026, 12, 1, 17))
    occupy(bl, at(2026, 12, 2, 9), at(2026, 12, 2, 17))
    exp = services.experiment_create(
        block=a, programme=PROG, route="basic", reference="B-1", lead=UserFactory(), actor=None
    )
    with pytest.raises(services.BeamtimeConflict):
        services.block_move(block=a, start=at(2026, 12, 2, 8), end=at(2026, 12, 2, 10), actor=None)
    services.block_move(block=a, start=at(2026, 12, 1, 10), end=at(2026, 12, 1, 18), actor=None)
    exp.refresh_from_db()
    assert exp.start == at(2026, 12, 1, 10) and exp.end == at(2026, 12, 1, 18)


def test_experiment_cancel_frees_the_block():
    bl = BeamlineFactory()
    b = occupy(bl, at(2026, 12, 1, 9), at(2026, 12, 1, 17))
    exp = services.experiment_create(
        block=b, programme=PROG, route="basic", reference="B-2", lead=UserFactory(), actor=None
    )
    services.experiment_cancel(experiment=exp, actor=None, reason="member cancelled")
    exp.refresh_from_db()
    assert exp.status == Experiment.Status.CANCELLED
    assert not selectors.active_blocks(bl, at(2026, 12, 1), at(2026, 12, 2)).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PG-only")
def test_database_refuses_overlap_even_without_the_service_check():
    bl = BeamlineFactory()
    Block.objects.create(
        beamline=bl, start=at(2026, 12, 1, 9), end=at(2026, 12, 1, 17), kind="booking"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(
            beamline=bl, start=at(2026, 12, 1, 12), end=at(2026, 12, 1, 13), kind="booking"
        )
    # and the service turns the same violation into a clear conflict
    with pytest.raises(services.BeamtimeConflict):
        occupy(bl, at(2026, 12, 1, 12), at(2026, 12, 1, 13), precheck=False)


def test_windows_merge_and_close_and_free_time_excludes_blocks():
    bl = BeamlineFactory()
    services.window_open(
        beamline=bl, programme=PROG, start=at(2026, 12, 1, 9), end=at(2026, 12, 1, 13), actor=None
    )
    services.window_open(
        beamline=bl, programme=PROG, start=at(2026, 12, 1, 13), end=at(2026, 12, 1, 21), actor=None
    )
    services.window_open(
        beamline=bl, programme=PROG, start=at(2026, 12, 1, 10), end=at(2026, 12, 1, 11), actor=None
    )
    assert BookingWindow.objects.count() == 1
    assert selectors.is_bookable(bl, PROG, at(2026, 12, 1, 9), at(2026, 12, 1, 21))
    services.window_close(
        beamline=bl, programme=PROG, start=at(2026, 12, 1, 12), end=at(2026, 12, 1, 14), actor=None
    )
    assert BookingWindow.objects.count() == 2
    assert not selectors.is_bookable(bl, PROG, at(2026, 12, 1, 11), at(2026, 12, 1, 13))
    occupy(bl, at(2026, 12, 1, 15), at(2026, 12, 1, 16))
    free = selectors.free_intervals(bl, PROG, at(2026, 12, 1), at(2026, 12, 2))
    assert free == [
        (at(2026, 12, 1, 9), at(2026, 12, 1, 12)),
        (at(2026, 12, 1, 14), at(2026, 12, 1, 15)),
        (at(2026, 12, 1, 16), at(2026, 12, 1, 21)),
    ]
    assert all(a.tzinfo is not None for a, _ in free)


hours = st.integers(min_value=0, max_value=48)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(hours, hours), max_size=8),
    st.lists(st.tuples(hours, hours), max_size=8),
)
def test_subtract_covers_exactly_the_free_hours(raw_windows, raw_busy):
    base = at(2026, 12, 1)
    from datetime import timedelta

    def norm(raw):
        spans = sorted({(min(a, b), max(a, b)) for a, b in raw if a != b})
        merged: list[list[int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        return merged

    wins = norm(raw_windows)
    busy = sorted((min(a, b), max(a, b)) for a, b in raw_busy if a != b)
    h = lambda n: base + timedelta(hours=n)  # noqa: E731
    free = selectors.subtract([(h(a), h(b)) for a, b in wins], [(h(a), h(b)) for a, b in busy])
    expected = {n for a, b in wins for n in range(a, b) if not any(s <= n < e for s, e in busy)}
    got = set()
    for a, b in free:
        assert a < b
        got |= {
            int((a - base).total_seconds() // 3600) + i
            for i in range(int((b - a).total_seconds() // 3600))
        }
    assert got == expected
    assert TOKYO  # times stay aware
