"""Registration, the waitlist, cancellation with promotion, and every transition."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from akari.core import clock
from akari.core.workflow import IllegalTransition, history, transition
from akari.notifications.models import Notification
from akari.outreach import services
from akari.outreach.models import Event, Registration
from tests.factories import UserFactory
from tests.outreach.factories import at, event, staff

pytestmark = pytest.mark.django_db
S = Registration.Status


def register(ev: Event, person=None) -> Registration:  # type: ignore[no-untyped-def]
    person = person or UserFactory()
    return services.registration_create(event=ev, person=person, actor=person)


def test_seats_then_waitlist_in_order(now):
    ev = event(capacity=2)
    first, second, third, fourth = (register(ev) for _ in range(4))
    assert [(r.status, r.seat, r.waitlist_position) for r in (first, second, third, fourth)] == [
        (S.REGISTERED, 1, None),
        (S.REGISTERED, 2, None),
        (S.WAITLISTED, None, 1),
        (S.WAITLISTED, None, 2),
    ]
    kinds = list(Notification.objects.filter(recipient=third.person).values_list("kind", flat=True))
    assert kinds == ["outreach.waitlisted"]
    assert Notification.objects.get(recipient=first.person).kind == "outreach.registered"


def test_cancelling_a_seat_promotes_the_first_waiting_person(now):
    ev = event(capacity=1)
    holder, waiting1, waiting2 = register(ev), register(ev), register(ev)
    services.registration_cancel(registration=holder, actor=holder.person)
    waiting1.refresh_from_db()
    waiting2.refresh_from_db()
    assert (waiting1.status, waiting1.seat, waiting1.waitlist_position) == (S.REGISTERED, 1, None)
    assert (waiting2.status, waiting2.waitlist_position) == (S.WAITLISTED, 2)
    assert services.waitlist_rank(waiting2) == 1
    promoted = Notification.objects.get(recipient=waiting1.person, kind="outreach.promoted")
    assert promoted.link == ev.get_absolute_url()
    assert not Notification.objects.filter(recipient=waiting2.person, kind="outreach.promoted")
    assert [e.to_status for e in history(waiting1)] == [S.REGISTERED]


def test_cancelling_a_waitlist_place_promotes_nobody(now):
    ev = event(capacity=1)
    holder, waiting = register(ev), register(ev)
    services.registration_cancel(registration=waiting, actor=waiting.person)
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, waiting.status, waiting.waitlist_position) == (
        S.REGISTERED,
        S.CANCELLED,
        None,
    )


def test_a_cancelled_person_may_register_again_and_queues_behind(now):
    ev = event(capacity=1)
    holder, waiting = register(ev), register(ev)
    services.registration_cancel(registration=holder, actor=holder.person)
    again = register(ev, holder.person)
    assert again.status == S.WAITLISTED
    assert services.waitlist_rank(again) == 1
    waiting.refresh_from_db()
    assert waiting.seat == 1


def test_registering_twice_is_refused_and_writes_nothing(now):
    ev = event(capacity=1)
    first = register(ev)
    with pytest.raises(ValidationError, match="already registered"):
        register(ev, first.person)
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("instant", "message"),
    [(at(2026, 10, 31, 23), "not opened"), (at(2026, 12, 9, 13), "closed")],
)
def test_registration_outside_the_window_is_refused(instant, message):
    with clock.frozen(at(2026, 11, 2)):
        ev = event()
    with clock.frozen(instant), pytest.raises(ValidationError, match=message):
        register(ev)
    assert not Registration.objects.exists()


def test_a_draft_or_cancelled_event_takes_no_registration(now):
    draft = event(publish=False)
    with pytest.raises(ValidationError, match="not open"):
        register(draft)
    cancelled = event()
    services.event_cancel(event=cancelled, actor=staff())
    with pytest.raises(ValidationError, match="not open"):
        register(cancelled)
    assert not Registration.objects.exists()


def test_cancelling_the_event_cancels_everyone_and_tells_them(now):
    ev = event(capacity=1)
    holder, waiting = register(ev), register(ev)
    services.event_cancel(event=ev, actor=staff(), reason="Typhoon")
    assert set(Registration.objects.values_list("status", flat=True)) == {S.CANCELLED}
    for person in (holder.person, waiting.person):
        assert Notification.objects.filter(
            recipient=person, kind="outreach.event_cancelled"
        ).exists()


def test_raising_the_capacity_fills_seats_from_the_waitlist(now):
    ev = event(capacity=1)
    register(ev)
    waiting = register(ev)
    services.event_update(event=ev, actor=staff(), capacity=2)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.seat) == (S.REGISTERED, 2)


def test_lowering_the_capacity_below_a_taken_seat_is_refused(now):
    ev = event(capacity=3)
    register(ev), register(ev)
    with pytest.raises(ValidationError, match="Seat 2 is taken"):
        services.event_update(event=ev, actor=staff(), capacity=1)
    ev.refresh_from_db()
    assert ev.capacity == 3


def test_cancelling_after_the_start_is_refused(now):
    ev = event(capacity=1)
    holder = register(ev)
    with clock.frozen(ev.starts_at), pytest.raises(ValidationError, match="started"):
        services.registration_cancel(registration=holder, actor=holder.person)
    holder.refresh_from_db()
    assert holder.status == S.REGISTERED


def test_the_database_refuses_a_second_registration_on_one_seat(now):
    ev = event(capacity=2)
    first = register(ev)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=ev,
            person=UserFactory(),
            status=S.REGISTERED,
            seat=first.seat,
            registered_at=clock.now(),
        )


def test_the_database_refuses_a_seat_on_a_waitlisted_registration(now):
    ev = event(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=ev,
            person=UserFactory(),
            status=S.WAITLISTED,
            seat=1,
            waitlist_position=1,
            registered_at=clock.now(),
        )


ALLOWED = {(a, b) for a, targets in Registration.TRANSITIONS.items() for b in targets}
ALL = [(a, b) for a in S for b in S if a != b]


def _registration_in(status: str, ev: Event) -> Registration:
    seat_states = {S.REGISTERED, S.ATTENDED, S.NO_SHOW}
    return Registration.objects.create(
        event=ev,
        person=UserFactory(),
        status=status,
        seat=Registration.objects.filter(event=ev).count() + 1 if status in seat_states else None,
        waitlist_position=1 if status == S.WAITLISTED else None,
        registered_at=clock.now(),
    )


@pytest.mark.parametrize(("source", "target"), ALL)
def test_every_transition_is_allowed_or_refused_by_the_table(now, source, target):
    ev = event(capacity=5)
    registration = _registration_in(source, ev)
    extra = {
        "seat": 1 if target in (S.REGISTERED, S.ATTENDED, S.NO_SHOW) else None,
        "waitlist_position": 1 if target == S.WAITLISTED else None,
    }
    if (source, target) in ALLOWED:
        transition(registration, target, actor=None, extra_updates=extra)
        registration.refresh_from_db()
        assert registration.status == target
    else:
        with pytest.raises(IllegalTransition):
            transition(registration, target, actor=None, extra_updates=extra)
        registration.refresh_from_db()
        assert registration.status == source
        assert not history(registration).exists()


@pytest.mark.parametrize(
    ("source", "target"),
    [(a, b) for a in Event.Status for b in Event.Status if a != b],
)
def test_event_transitions_follow_the_table(now, source, target):
    ev = event(publish=False)
    Event.objects.filter(pk=ev.pk).update(status=source)
    if target in Event.TRANSITIONS[source]:
        transition(ev, target, actor=None)
        ev.refresh_from_db()
        assert ev.status == target
    else:
        with pytest.raises(IllegalTransition):
            transition(ev, target, actor=None)
        ev.refresh_from_db()
        assert ev.status == source


def test_an_event_must_end_after_it_starts(now):
    with pytest.raises(ValidationError) as refused:
        event(ends_at=at(2026, 12, 10, 12))
    assert "ends_at" in refused.value.message_dict
    assert not Event.objects.exists()


def test_an_online_event_needs_an_address(now):
    with pytest.raises(ValidationError) as refused:
        event(mode=Event.Mode.ONLINE, online_url="")
    assert "online_url" in refused.value.message_dict


def test_unpublishing_an_event_with_registrations_is_refused(now):
    ev = event(capacity=1)
    register(ev)
    with pytest.raises(ValidationError, match="cancel the event"):
        services.event_unpublish(event=ev, actor=staff())
    ev.refresh_from_db()
    assert ev.status == Event.Status.PUBLISHED
