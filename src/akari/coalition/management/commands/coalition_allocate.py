"""Run round 1's allocation for a month (idempotent: a month runs once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akari.coalition.allocation import allocate
from akari.coalition.errors import BookingRefused


class Command(BaseCommand):
    help = "Run the round-1 allocation of coalition booking requests for a month (YYYY-MM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="e.g. 2026-12")
        parser.add_argument("--seed", type=int, default=None, help="lottery seed (default: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = dt.date.fromisoformat(f"{options['month']}-01")
        except ValueError as exc:
            raise CommandError("--month must look like 2026-12") from exc
        try:
            run = allocate(month=month, actor=None, seed=options["seed"])
        except BookingRefused as refused:
            raise CommandError(refused.text) from refused
        allocated = sum(1 for d in run.draw if d["outcome"] == "allocated")
        self.stdout.write(
            f"{run.month:%Y-%m}: seed {run.seed}, {len(run.draw)} requests, {allocated} allocated"
        )
