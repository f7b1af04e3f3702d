"""Daily duties of the public site: reminders before events (run by ``outreach_daily``).

Idempotent: each reminder has a dedupe key per registration and reminder bucket, so running the
command twice a day (or catching up after a missed day) never sends one twice. Buckets: the
"a week before" reminder goes out on any day from 7 to 2 days before the event (so a missed run
catches up and a late registration still gets it), the "tomorrow" reminder the day before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from akari.core import clock
from akari.notifications.models import Notification
from akari.notifications.services import notify
from akari.outreach.models import Event, Registration
from akari.outreach.notices import notice_context

# (bucket name, first day before the event it applies, last day)
REMINDER_BUCKETS = (("week", 7, 2), ("day", 1, 1))


@dataclass(frozen=True)
class DailyReport:
    reminders: int


def _bucket(days_left: int) -> str | None:
    for name, first, last in REMINDER_BUCKETS:
        if last <= days_left <= first:
            return name
    return None


def send_reminders(*, today: dt.date | None = None) -> int:
    """Remind everyone holding a seat of an event starting 1..7 days from ``today``."""
    today = today or clock.today()
    start = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=clock.TOKYO)
    end = dt.datetime.combine(today + dt.timedelta(days=8), dt.time.min, tzinfo=clock.TOKYO)
    registrations = (
        Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .select_related("event", "person")
        .order_by("event__starts_at", "pk")
    )
    sent = 0
    for registration in registrations:
        event = registration.event
        days_left = (event.starts_at.astimezone(clock.TOKYO).date() - today).days
        bucket = _bucket(days_left)
        if bucket is None:
            continue
        key = f"outreach.reminder:{registration.pk}:{bucket}"
        if Notification.objects.filter(recipient=registration.person, dedupe_key=key).exists():
            continue  # already reminded (the count only; notify() itself is idempotent)
        with transaction.atomic():
            notify(
                recipient=registration.person,
                kind="outreach.reminder",
                context={**notice_context(event, registration), "days": days_left},
                dedupe_key=key,
                link=event.get_absolute_url(),
            )
        sent += 1
    return sent


def run_daily(*, today: dt.date | None = None) -> DailyReport:
    return DailyReport(reminders=send_reminders(today=today))
