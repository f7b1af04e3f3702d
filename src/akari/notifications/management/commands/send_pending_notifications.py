"""``manage.py send_pending_notifications [--older-than MINUTES]``: the cron safety net.

Enqueues again the e-mails of pending notifications whose attempt is overdue (a worker died or
the task was lost). Safe to run as often as you like, e.g. every 10 minutes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from akari.notifications.services import notifications_requeue_pending


class Command(BaseCommand):
    help = (
        "Enqueue again the e-mails of pending notifications overdue by more than --older-than "
        "minutes (default 10). Idempotent; meant for cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, default=10, metavar="MINUTES")

    def handle(self, *args: Any, **options: Any) -> None:
        count = notifications_requeue_pending(
            older_than=dt.timedelta(minutes=options["older_than"])
        )
        self.stdout.write(f"{count} pending notification e-mail(s) enqueued again.")
