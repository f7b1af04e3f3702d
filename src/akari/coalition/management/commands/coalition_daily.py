"""Round openings, low balances and expired waitlist offers (idempotent; run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from akari.coalition.daily import run_daily


class Command(BaseCommand):
    help = "Coalition daily duties: round-opening and low-balance notices, waitlist expiry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_daily()
        self.stdout.write(
            f"round notices {report.round_notices}, low-balance notices "
            f"{report.low_balance_notices}, expired offers {report.expired_offers}"
        )
