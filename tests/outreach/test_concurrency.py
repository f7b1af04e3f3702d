"""Registrations racing for the last seats never exceed the capacity (PostgreSQL, threads)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import close_old_connections, connection

from akari.core import clock
from akari.outreach import services
from akari.outreach.models import Registration
from tests.factories import UserFactory
from tests.outreach.factories import NOW, event

pytestmark = pytest.mark.django_db(transaction=True)

CAPACITY = 3
PEOPLE = 10


@pytest.fixture
def process_clock() -> Iterator[None]:
    clock.freeze_process(NOW)  # the worker threads do not share the test's context
    yield
    clock.freeze_process(None)


def test_simultaneous_registrations_never_exceed_the_capacity(process_clock):
    assert connection.vendor == "postgresql"
    ev = event(capacity=CAPACITY)
    people = [UserFactory() for _ in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def register(person) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait(timeout=30)
            registration = services.registration_create(event=ev, person=person, actor=person)
            outcomes.append(registration.status)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(outcomes).count(Registration.Status.REGISTERED) == CAPACITY
    rows = Registration.objects.filter(event=ev)
    seats = sorted(rows.exclude(seat=None).values_list("seat", flat=True))
    assert seats == list(range(1, CAPACITY + 1))
    positions = sorted(
        rows.exclude(waitlist_position=None).values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, PEOPLE - CAPACITY + 1))


def test_cancellations_racing_with_registrations_keep_seats_within_capacity(process_clock):
    ev = event(capacity=2)
    holders = [UserFactory() for _ in range(2)]
    registrations = [services.registration_create(event=ev, person=p, actor=p) for p in holders]
    newcomers = [UserFactory() for _ in range(4)]
    start = threading.Barrier(len(registrations) + len(newcomers))
    errors: list[BaseException] = []

    def cancel(registration: Registration) -> None:
        try:
            start.wait(timeout=30)
            services.registration_cancel(registration=registration, actor=registration.person)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def register(person) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait(timeout=30)
            services.registration_create(event=ev, person=person, actor=person)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in registrations] + [
        threading.Thread(target=register, args=(p,)) for p in newcomers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    rows = Registration.objects.filter(event=ev)
    assert sorted(rows.exclude(seat=None).values_list("seat", flat=True)) == [1, 2]
    assert rows.filter(status=Registration.Status.WAITLISTED).count() == 2
