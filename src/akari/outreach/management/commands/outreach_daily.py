"""Event reminders a week and a day before (idempotent; run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from akari.outreach.daily import run_daily


class Command(BaseCommand):
    help = "Public site daily duties: reminders before events (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_daily()
        self.stdout.write(f"event reminders {report.reminders}")
