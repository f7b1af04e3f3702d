"""The attendee list of an event as CSV (UTF-8 with a BOM, so spreadsheet programs in Japan
open it correctly)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from akari.core import clock
from akari.core.i18n import localized
from akari.outreach.models import Event
from akari.outreach.selectors import attendees


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def attendees_csv(event: Event) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Seat"),
            _("Waitlist position"),
            _("Status"),
            _("Name"),
            _("E-mail"),
            _("Organisation"),
            _("Registered at"),
        ]
    )
    for registration in attendees(event):
        person = registration.person
        organisations = [
            localized(a.organisation, "name") for a in person.affiliations.all() if a.is_primary
        ]
        writer.writerow(
            [
                registration.seat or "",
                registration.waitlist_position or "",
                registration.get_status_display(),
                _safe(person.display_name),
                _safe(person.email),
                _safe("; ".join(organisations)),
                registration.registered_at.astimezone(clock.TOKYO).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return out.getvalue()
