"""The coalition's daily duties (``manage.py coalition_daily``; idempotent, run it often):

* tell member people when a round opens for a month (round 1 and round 2 open on fixed dates of
  the month; round 3 opens slot by slot, announced when it opens for the month's first day);
  each person hears of each (month, round) once, and only of rounds open to their class;
* tell a member's bookers once per fiscal year when its available hours fall below the pack's
  ``booking.low_balance_hours`` (default 20);
* expire waitlist offers not answered in time (the slot goes to the next member waiting).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from akari.coalition import notices, policy, rounds
from akari.coalition.ledger import fiscal_year_of
from akari.coalition.models import EntitlementAccount, MemberPerson, Membership
from akari.coalition.waitlist import expire_offers
from akari.core import clock

ANNOUNCE_WITHIN = dt.timedelta(days=7)


@dataclass(frozen=True)
class DailyReport:
    round_notices: int
    low_balance_notices: int
    expired_offers: int


def run_daily() -> DailyReport:
    return DailyReport(announce_rounds(), warn_low_balances(), expire_offers())


def announce_rounds() -> int:
    now = clock.now()
    booking = policy.booking_policy()
    sent = 0
    people = list(
        MemberPerson.objects.filter(
            can_book=True, membership__status=Membership.Status.ACTIVE, person__is_active=True
        ).select_related("membership", "person")
    )
    this_month = rounds.month_start(now)
    for offset in range(0, 4):
        month = rounds.add_months(this_month, offset)
        for phase in rounds.phases(month, booking):
            if not (phase.opens <= now < phase.opens + ANNOUNCE_WITHIN) or phase.closes <= now:
                continue
            with transaction.atomic():
                for row in people:
                    if not phase.admits(row.membership.member_class):
                        continue
                    sent += notices.tell(
                        [row.person],
                        event="round_open",
                        context={
                            "round": rounds.text(phase.rule.name),
                            "month": month.strftime("%Y-%m"),
                            "opens": rounds.fmt(phase.opens),
                        },
                        dedupe=f"{month:%Y-%m}:{phase.number}",
                        link="/coalition/",
                    )
    return sent


def warn_low_balances() -> int:
    threshold = policy.booking_policy().low_balance_hours
    year = fiscal_year_of(clock.now())
    sent = 0
    low = EntitlementAccount.objects.filter(
        fiscal_year=year,
        available__lt=threshold,
        low_balance_notified=False,
        membership__status=Membership.Status.ACTIVE,
    ).select_related("membership")
    for account in low:
        with transaction.atomic():
            sent += notices.tell(
                notices.bookers(account.membership),
                event="low_balance",
                context={
                    "available": account.available,
                    "fiscal_year": account.fiscal_year,
                    "threshold": threshold,
                },
                dedupe=f"{account.pk}",
                link="/coalition/",
            )
            EntitlementAccount.objects.filter(pk=account.pk).update(low_balance_notified=True)
    return sent
