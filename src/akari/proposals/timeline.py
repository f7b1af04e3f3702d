"""A new call's default dates, from the programme's policy (staff may change each of them).

From the policy pack: ``review.months_before_period`` (the review, about 5 months before the
beamtime period), ``review.notification_months_before`` (applicants told about 1.5 months
before) and ``requests.submission_closes_days_before_review``. With R the review date and N the
notification date, the defaults are (documented choices where the seed is silent):

- submission deadline: ``submission_closes_days_before_review`` days before R, at 17:00 Tokyo;
- technical review due: halfway between the deadline and R (beamline scientists first);
- peer review due: R;
- selection committee: two weeks after R (never after N);
- applicants notified by: N.

A month is a calendar month; a fraction of a month counts 30 days per month (1.5 months before
1 October is 17 August).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from akari.core import clock
from akari.policies.schema import Pack

DEADLINE_TIME = dt.time(17, 0)
COMMITTEE_AFTER_REVIEW = dt.timedelta(days=14)


def months_before(day: dt.date, months: Decimal) -> dt.date:
    whole = int(months)
    fraction = Decimal(months) - whole
    index = day.year * 12 + (day.month - 1) - whole
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    moved = dt.date(year, month + 1, min(day.day, last))
    days = int((fraction * 30).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return moved - dt.timedelta(days=days)


@dataclass(frozen=True)
class Timeline:
    closes_at: dt.datetime | None
    technical_review_due: dt.date | None
    peer_review_due: dt.date | None
    committee_date: dt.date | None
    notification_date: dt.date | None


NO_TIMELINE = Timeline(None, None, None, None, None)


def default_timeline(pack: Pack, period_start: dt.date) -> Timeline:
    """The default dates of a call for the period starting ``period_start``."""
    if pack.review is None:
        return NO_TIMELINE
    review = months_before(period_start, pack.review.months_before_period)
    notification = months_before(period_start, pack.review.notification_months_before)
    closes = review - dt.timedelta(days=pack.requests.submission_closes_days_before_review)
    closes_at = dt.datetime.combine(closes, DEADLINE_TIME, tzinfo=clock.TOKYO)
    technical = closes + (review - closes) / 2
    committee = min(review + COMMITTEE_AFTER_REVIEW, notification)
    return Timeline(
        closes_at=closes_at,
        technical_review_due=technical,
        peer_review_due=review,
        committee_date=committee if pack.review.selection_committee else None,
        notification_date=notification,
    )
