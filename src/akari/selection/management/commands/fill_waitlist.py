"""``manage.py fill_waitlist [--call CODE]``: offer freed beamtime to the waitlists.

Run it from cron (e.g. hourly) or after a withdrawal; it is idempotent: a second run promotes
nothing more. Without ``--call`` it goes through every decided call whose period has not ended.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akari.proposals.models import Call
from akari.selection.services import waitlist_fill, waitlist_fill_all


class Command(BaseCommand):
    help = "Offer beamtime freed by withdrawals to waitlisted proposals, in rank order."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--call", help="the code of one call (default: every decided call)")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options.get("call")
        if code:
            call = Call.objects.filter(code=code).first()
            if call is None:
                raise CommandError(f"No call with code {code!r}.")
            results = {call: waitlist_fill(call=call)}
        else:
            results = waitlist_fill_all()
        promoted = [p for proposals in results.values() for p in proposals]
        for call, proposals in results.items():
            for proposal in proposals:
                self.stdout.write(f"{call.code}: promoted {proposal.number}")
        self.stdout.write(f"{len(promoted)} proposal(s) promoted.")
