"""Daily: create the obligations of finished experiments, mark overdue ones, send reminders.
Idempotent (a second run the same day does nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from akari.outcomes.engine import outcomes_daily


class Command(BaseCommand):
    help = "Create obligations of finished experiments, mark overdue ones, send reminders."

    def handle(self, *args: Any, **options: Any) -> None:
        result = outcomes_daily()
        self.stdout.write(str(result))
