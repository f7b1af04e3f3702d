"""Reminders a week and a day before an event, sent once however often the command runs."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from akari.core import clock
from akari.notifications.models import Notification
from akari.outreach import services
from akari.outreach.daily import _bucket, send_reminders
from tests.factories import UserFactory
from tests.outreach.factories import at, event

pytestmark = pytest.mark.django_db


def test_buckets():
    assert [_bucket(days) for days in (0, 1, 2, 7, 8)] == [None, "day", "week", "week", None]


def test_a_week_and_a_day_before_each_seat_holder_is_reminded_once():
    with clock.frozen(at(2026, 12, 1, 9)):
        ev = event(capacity=1, starts=at(2026, 12, 10, 13))
        holder, waiting = UserFactory(), UserFactory()
        services.registration_create(event=ev, person=holder, actor=holder)
        services.registration_create(event=ev, person=waiting, actor=waiting)
    reminders = Notification.objects.filter(kind="outreach.reminder")

    with clock.frozen(at(2026, 12, 2, 6)):  # 8 days before: nothing yet
        assert send_reminders() == 0
    with clock.frozen(at(2026, 12, 3, 6)):  # 7 days before
        out = io.StringIO()
        call_command("outreach_daily", stdout=out)
        assert "event reminders 1" in out.getvalue()
        call_command("outreach_daily", stdout=io.StringIO())  # again the same day: nothing new
    assert list(reminders.values_list("recipient", flat=True)) == [holder.pk]
    with clock.frozen(at(2026, 12, 5, 6)):  # still in the "week" bucket: already sent
        assert send_reminders() == 0
    with clock.frozen(at(2026, 12, 9, 6)):  # the day before
        assert send_reminders() == 1
        assert send_reminders() == 0
    assert reminders.count() == 2
    assert all(n.recipient_id == holder.pk for n in reminders)


def test_the_day_before_reminder_reads_tomorrow():
    with clock.frozen(at(2026, 12, 1, 9)):
        ev = event(capacity=1, starts=at(2026, 12, 10, 13))
        person = UserFactory(preferred_language="en")
        services.registration_create(event=ev, person=person, actor=person)
    with clock.frozen(at(2026, 12, 9, 6)):
        send_reminders()
    reminder = Notification.objects.get(kind="outreach.reminder")
    assert "starts tomorrow" in reminder.body
    assert "2026-12-10 13:00" in reminder.body


def test_no_reminder_for_a_cancelled_registration_or_event():
    with clock.frozen(at(2026, 12, 1, 9)):
        ev = event(capacity=2, starts=at(2026, 12, 10, 13))
        gone, person = UserFactory(), UserFactory()
        registration = services.registration_create(event=ev, person=gone, actor=gone)
        services.registration_cancel(registration=registration, actor=gone)
        other = event(capacity=2, starts=at(2026, 12, 10, 13))
        services.registration_create(event=other, person=person, actor=person)
        services.event_cancel(event=other, actor=person)
    with clock.frozen(at(2026, 12, 9, 6)):
        assert send_reminders() == 0
