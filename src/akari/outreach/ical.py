"""iCal of events: one event, and a person's "my events" feed (a signed secret URL, so a
calendar application can subscribe without logging in). Times in Asia/Tokyo."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import signing
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from akari.core import clock
from akari.core.i18n import localized
from akari.outreach.models import Event, Registration

FEED_SALT = "akari.outreach.my-events-feed"


def feed_token(user: Any) -> str:
    """The secret of a person's feed (signed with SECRET_KEY; rotating the key revokes it)."""
    return signing.Signer(salt=FEED_SALT).sign(str(user.pk)).replace(":", ".")


def person_for_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=FEED_SALT).unsign(token.replace(".", ":")))
    except (signing.BadSignature, ValueError):
        return None


def _component(event: Event) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", f"outreach-event-{event.pk}@akari")
    component.add("summary", localized(event, "title"))
    component.add("dtstart", event.starts_at.astimezone(clock.TOKYO))
    component.add("dtend", event.ends_at.astimezone(clock.TOKYO))
    component.add("dtstamp", event.updated_at)
    venue = localized(event, "venue")
    if venue:
        component.add("location", venue)
    component.add("description", localized(event, "description"))
    if event.status == Event.Status.CANCELLED:
        component.add("status", "CANCELLED")
    return component


def calendar(events: Iterable[Event], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Akari//Events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    for event in events:
        cal.add_component(_component(event))
    return cal.to_ical()


def my_events(person_id: int, name: str) -> bytes:
    registrations = (
        Registration.objects.filter(person_id=person_id, status__in=Registration.HOLDS_SEAT)
        .select_related("event")
        .order_by("event__starts_at")
    )
    return calendar((r.event for r in registrations), name)
