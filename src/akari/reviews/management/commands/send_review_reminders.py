"""``manage.py send_review_reminders``: remind reviewers before the review deadlines.

Run it once a day (cron or a scheduler). Idempotent: each reminder has a dedupe key, so a
second run on the same day sends nothing. See :mod:`akari.reviews.services.reminders`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from akari.reviews.services import reminders_send


class Command(BaseCommand):
    help = "Remind peer and technical reviewers of open reviews before their due dates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD); default: today in Tokyo.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send(today=options["date"])
        if options["verbosity"]:
            self.stdout.write(f"{count} reminder(s) due.")
