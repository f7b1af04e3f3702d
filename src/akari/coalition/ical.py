"""The iCal feed of a member's bookings (per-person secret URL; times in Asia/Tokyo)."""

from __future__ import annotations

from icalendar import Calendar, Event

from akari.coalition.models import Booking, MemberPerson
from akari.core import clock


def feed(row: MemberPerson) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Akari//Coalition bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{row.membership} — NanoTerasu")
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    bookings = (
        Booking.objects.filter(membership=row.membership, status=Booking.Status.CONFIRMED)
        .select_related("beamline", "end_station")
        .order_by("start")
    )
    for booking in bookings:
        event = Event()
        event.add("uid", f"{booking.reference}@akari")
        event.add("summary", f"{booking.beamline.code} {booking.reference}")
        event.add("dtstart", booking.start.astimezone(clock.TOKYO))
        event.add("dtend", booking.end.astimezone(clock.TOKYO))
        event.add("dtstamp", booking.updated_at)
        event.add("location", f"NanoTerasu {booking.beamline.code}")
        event.add("description", f"{booking.get_use_type_display()} · {booking.hours} h")
        calendar.add_component(event)
    return calendar.to_ical()
