"""The context of the e-mails about events (JSON values only: both languages are stored, the
templates pick the recipient's)."""

from __future__ import annotations

from typing import Any

from akari.core import clock
from akari.outreach.models import Event, Registration


def notice_context(
    event: Event, registration: Registration | None = None, *, rank: int | None = None
) -> dict[str, Any]:
    """``rank``: the place in the waitlist queue (1 = next to get a seat)."""
    starts = event.starts_at.astimezone(clock.TOKYO)
    ends = event.ends_at.astimezone(clock.TOKYO)
    context: dict[str, Any] = {
        "event": {
            "title_ja": event.title_ja,
            "title_en": event.title_en,
            "venue_ja": event.venue_ja,
            "venue_en": event.venue_en,
        },
        "starts": starts.strftime("%Y-%m-%d %H:%M"),
        "ends": ends.strftime("%H:%M")
        if ends.date() == starts.date()
        else ends.strftime("%Y-%m-%d %H:%M"),
        "online": event.mode != Event.Mode.ON_SITE,
    }
    if registration is not None:
        context["seat"] = registration.seat
        context["position"] = rank
    return context
