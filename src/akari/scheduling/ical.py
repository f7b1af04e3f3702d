"""iCal feeds (RFC 5545) of published beamtime, with Asia/Tokyo times (TZID).

Per person (secret token URL: their experiments with titles), per beamline and per facility
(public: published experiments; a proprietary experiment shows no title)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from akari.beamtime.models import Experiment
from akari.scheduling.grid import TOKYO


def calendar(name: str, experiments: Iterable[Experiment], *, with_titles: bool) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Akari//beamtime//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    for experiment in experiments:
        event = Event()
        event.add("uid", f"experiment-{experiment.pk}@akari")
        event.add("dtstart", experiment.start.astimezone(TOKYO))
        event.add("dtend", experiment.end.astimezone(TOKYO))
        event.add("dtstamp", experiment.updated_at)
        if with_titles or not experiment.proprietary:
            summary = f"{experiment.beamline.code} {experiment.reference} {experiment.title}"
        else:
            summary = f"{experiment.beamline.code} " + _("Proprietary experiment")
        event.add("summary", summary.strip())
        event.add("location", experiment.beamline.code)
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
