"""Run billing: charges from confirmed usage and joinings, grouped into invoices (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from akari.billing.runs import billing_run


class Command(BaseCommand):
    help = "Derive charges from confirmed usage and joinings and make draft invoices (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Run date (YYYY-MM-DD).")
        parser.add_argument("--issue", action="store_true", help="Issue the new invoices at once.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = billing_run(actor=None, on=options["date"], issue=options["issue"])
        self.stdout.write(
            f"charges created: {result.charges_created}, invoices created: {len(result.invoices)}"
        )
        for error in result.errors:
            self.stderr.write(error)
