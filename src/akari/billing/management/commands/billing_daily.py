"""Daily receivables job: mark overdue invoices, send reminders at the pack's offsets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from akari.billing.receivables import billing_daily


class Command(BaseCommand):
    help = "Mark overdue invoices and send payment reminders (idempotent; run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = billing_daily(on=options["date"])
        self.stdout.write(f"overdue: {result.overdue}, reminders: {result.reminders}")
