"""Many threads (separate PostgreSQL connections) book the same slots at once: exactly one
booking per slot, no overlap in the calendar, and a consistent ledger."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from akari.beamtime.models import Block
from akari.coalition import ledger, services
from akari.coalition.errors import BookingRefused
from akari.coalition.models import Booking, EntitlementAccount
from akari.core import clock
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window

ROUND3 = at(2026, 12, 4, 10)
OVERLAPS = """
    SELECT count(*) FROM beamtime_block a JOIN beamtime_block b
      ON a.beamline_id = b.beamline_id AND a.id < b.id
     WHERE a.released_at IS NULL AND b.released_at IS NULL
       AND tstzrange(a.start, a."end") && tstzrange(b.start, b."end")
"""


@pytest.mark.django_db(transaction=True)
def test_threads_racing_for_the_same_slots_get_one_booking_each() -> None:
    bl = coalition_beamline()
    open_window(bl)
    members = [member("general") for _ in range(6)]
    # Overlapping wishes: hour-long slots and two-hour slots straddling them.
    wishes = [(at(2026, 12, 10, h), at(2026, 12, 10, h + 1)) for h in range(9, 15)]
    wishes += [(at(2026, 12, 10, h), at(2026, 12, 10, h + 2)) for h in range(9, 15, 2)]
    outcomes: Counter[str] = Counter()
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(members) * 2)

    def worker(index: int) -> None:
        membership, (person,) = members[index % len(members)]
        try:
            barrier.wait()
            with clock.frozen(ROUND3):
                for offset in range(len(wishes)):
                    start, end = wishes[(offset + index) % len(wishes)]
                    try:
                        services.booking_create(
                            membership=membership,
                            person=person,
                            beamline=bl,
                            start=start,
                            end=end,
                            idempotency_key=f"{index}-{offset}",
                        )
                        outcomes["booked"] += 1
                    except BookingRefused as refused:
                        outcomes[refused.rule] += 1
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(members) * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connections.close_all()

    assert errors == []
    assert set(outcomes) <= {"booked", "slot_taken"}
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        assert cursor.fetchone()[0] == 0
    booked_hours = sum(b.hours for b in Booking.objects.all())
    assert booked_hours == 6  # every hour 09:00-15:00 booked exactly once
    assert Booking.objects.count() == outcomes["booked"]
    assert Block.objects.filter(released_at__isnull=True).count() == outcomes["booked"]
    assert sum(a.booked for a in EntitlementAccount.objects.all()) == 6
    assert ledger.ledger_problems() == []
