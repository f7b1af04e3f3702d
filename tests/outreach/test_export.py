"""Attendee CSV for staff; iCal of an event and of a person's events."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from icalendar import Calendar

from akari.outreach import ical, services
from tests.factories import UserFactory
from tests.outreach.factories import event, staff

pytestmark = pytest.mark.django_db


def test_attendee_csv_lists_seats_then_the_waitlist(now, client):
    ev = event(capacity=1)
    first, second = UserFactory(email="a@example.org"), UserFactory(email="=cmd@example.org")
    services.registration_create(event=ev, person=first, actor=first)
    services.registration_create(event=ev, person=second, actor=second)
    url = reverse("outreach:staff-attendees-csv", args=[ev.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(staff())
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [
        ("1", "", "a@example.org"),
        ("", "1", "'=cmd@example.org"),
    ]


def test_event_ical(now, client):
    ev = event()
    response = client.get(reverse("outreach:event-ical", args=[ev.pk]))
    calendar = Calendar.from_ical(response.content)
    (component,) = calendar.walk("VEVENT")
    assert component["dtstart"].dt == ev.starts_at
    assert str(component["summary"]) in {"XAFS講習会", "XAFS workshop"}


def test_my_events_feed_holds_my_seats_only(now, client):
    mine, full = event(capacity=1), event(capacity=1, title_en="Full", title_ja="満席")
    person, other = UserFactory(), UserFactory()
    services.registration_create(event=mine, person=person, actor=person)
    services.registration_create(event=full, person=other, actor=other)
    services.registration_create(event=full, person=person, actor=person)  # waitlisted
    client.force_login(person)
    page = client.get(reverse("outreach:my-events")).content.decode()
    token = ical.feed_token(person)
    assert token in page
    client.logout()
    feed = client.get(reverse("outreach:my-events-feed", args=[token]))
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"outreach-event-{mine.pk}@akari"]
    assert client.get(reverse("outreach:my-events-feed", args=[token + "x"])).status_code == 404
