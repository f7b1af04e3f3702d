"""Property: whatever sequence of bookings and cancellations members try, the calendar never
holds two overlapping active blocks, the ledger balances, and no balance goes negative."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akari.coalition import ledger, services
from akari.coalition.errors import BookingRefused
from akari.coalition.models import Booking, Bucket, EntitlementAccount
from akari.core import clock
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window
from tests.coalition.test_concurrency import OVERLAPS

ROUND3 = at(2026, 12, 4, 10)

book = st.tuples(
    st.just("book"),
    st.integers(0, 2),  # member
    st.integers(8, 20),  # start hour
    st.integers(1, 4),  # hours
)
cancel = st.tuples(st.just("cancel"), st.integers(0, 30), st.booleans(), st.just(0))
operations = st.lists(st.one_of(book, cancel), min_size=1, max_size=25)


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations, budget=st.integers(0, 8))
def test_random_sequences_keep_the_calendar_and_ledger_sound(ops, budget) -> None:  # type: ignore[no-untyped-def]
    bl = coalition_beamline()
    try:
        with transaction.atomic():
            open_window(bl)
            members = [member("general") for _ in range(3)]
            for membership, _people in members:
                account = EntitlementAccount.objects.get(membership=membership)
                ledger.post(
                    account_id=account.pk,
                    kind="forfeit",
                    moves=[(Bucket.AVAILABLE, Bucket.FORFEITED, 200 - budget)],
                )
            with clock.frozen(ROUND3):
                for op in ops:
                    if op[0] == "book":
                        _kind, who, hour, length = op
                        membership, (person,) = members[who]
                        try:
                            with transaction.atomic():
                                services.booking_create(
                                    membership=membership,
                                    person=person,
                                    beamline=bl,
                                    start=at(2026, 12, 10, hour),
                                    end=at(2026, 12, 10, hour) + dt.timedelta(hours=length),
                                )
                        except BookingRefused as refused:
                            assert refused.rule in {"slot_taken", "no_entitlement"}
                    else:
                        _kind, index, full, _zero = op
                        live = list(Booking.objects.filter(status="confirmed").order_by("pk"))
                        if live:
                            services.booking_cancel(
                                booking=live[index % len(live)], actor=None, full_refund=full
                            )
                    with connection.cursor() as cursor:
                        cursor.execute(OVERLAPS)
                        assert cursor.fetchone()[0] == 0
                    assert ledger.ledger_problems() == []
                    for account in EntitlementAccount.objects.all():
                        assert min(account.available, account.booked, account.forfeited) >= 0
            raise Rollback
    except Rollback:
        pass
