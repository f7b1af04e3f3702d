"""Attendance writes training records that other rules can query with has_training()."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from akari.core import clock
from akari.core.workflow import IllegalTransition
from akari.outreach import services
from akari.outreach.models import Registration, TrainingRecord
from akari.outreach.training import has_training
from tests.factories import UserFactory
from tests.outreach.factories import at, event, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture():  # type: ignore[no-untyped-def]
    with clock.frozen(at(2026, 12, 1, 9)):
        ev = event(
            capacity=2,
            starts=at(2026, 12, 10, 13),
            kind="briefing",
            training_code="safety-lecture",
            training_valid_days=365,
        )
        person, late = UserFactory(), UserFactory()
        seat = services.registration_create(event=ev, person=person, actor=person)
        other = services.registration_create(event=ev, person=late, actor=late)
    return ev, seat, other


def test_attendance_records_the_training_valid_for_a_year(lecture):
    ev, seat, _ = lecture
    officer = staff()
    assert not has_training(seat.person, "safety-lecture", on=dt.date(2026, 12, 11))
    with clock.frozen(at(2026, 12, 10, 16)):
        services.registration_mark_attendance(registration=seat, attended=True, actor=officer)
    assert has_training(seat.person, "safety-lecture", on=dt.date(2026, 12, 10))
    assert has_training(seat.person, "safety-lecture", on=dt.date(2027, 12, 10))
    assert not has_training(seat.person, "safety-lecture", on=dt.date(2027, 12, 11))
    assert not has_training(seat.person, "safety-lecture", on=dt.date(2026, 12, 9))
    assert not has_training(seat.person, "radiation-basics", on=dt.date(2026, 12, 10))
    assert has_training(
        seat.person, "safety-lecture", on=dt.date(2026, 12, 10), facility=ev.facility
    )


def test_a_no_show_gets_no_training_and_a_correction_removes_it(lecture):
    _ev, seat, other = lecture
    officer = staff()
    with clock.frozen(at(2026, 12, 10, 16)):
        services.registration_mark_attendance(registration=seat, attended=True, actor=officer)
        services.registration_mark_attendance(registration=other, attended=False, actor=officer)
        assert not has_training(other.person, "safety-lecture")
        services.registration_mark_attendance(registration=seat, attended=False, actor=officer)
        assert not has_training(seat.person, "safety-lecture")
    assert not TrainingRecord.objects.exists()


def test_attendance_before_the_start_is_refused(lecture):
    _, seat, _ = lecture
    with clock.frozen(at(2026, 12, 10, 12)), pytest.raises(ValidationError, match="started"):
        services.registration_mark_attendance(registration=seat, attended=True, actor=staff())
    seat.refresh_from_db()
    assert seat.status == Registration.Status.REGISTERED


def test_a_waitlisted_person_cannot_be_marked_as_attended():
    with clock.frozen(at(2026, 12, 1, 9)):
        ev = event(capacity=1, starts=at(2026, 12, 10, 13), training_code="safety-lecture")
        services.registration_create(event=ev, person=UserFactory(), actor=None)
        waiting_person = UserFactory()
        waiting = services.registration_create(event=ev, person=waiting_person, actor=None)
    with clock.frozen(at(2026, 12, 10, 16)), pytest.raises(IllegalTransition):
        services.registration_mark_attendance(registration=waiting, attended=True, actor=staff())
    assert not has_training(waiting_person, "safety-lecture", on=dt.date(2026, 12, 10))


def test_staff_mark_attendance_from_the_attendee_list(lecture, client):
    from django.urls import reverse

    ev, seat, _ = lecture
    client.force_login(staff())
    with clock.frozen(at(2026, 12, 10, 16)):
        page = client.get(reverse("outreach:staff-attendees", args=[ev.pk]))
        assert page.status_code == 200
        client.post(reverse("outreach:staff-attendance", args=[seat.pk]), {"attended": "yes"})
    seat.refresh_from_db()
    assert seat.status == Registration.Status.ATTENDED
    assert has_training(seat.person, "safety-lecture", on=dt.date(2026, 12, 10))
