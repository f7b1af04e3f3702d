"""Grant every active member its hours for a fiscal year (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from akari.coalition.models import Membership
from akari.coalition.services import grant_for
from akari.core import clock
from akari.core.fiscal import FiscalYear


class Command(BaseCommand):
    help = "Grant coalition entitlements (units x hours per unit) for a fiscal year; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fiscal-year", type=int, default=None, help="default: the current")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["fiscal_year"] or FiscalYear.of(clock.today()).year
        granted = 0
        for membership in Membership.objects.filter(status=Membership.Status.ACTIVE):
            if grant_for(membership=membership, fiscal_year=year, actor=None) is not None:
                granted += 1
        self.stdout.write(f"FY{year}: {granted} member accounts hold their grant")
