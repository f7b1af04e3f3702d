"""Reminders before the review deadlines (run daily by ``manage.py send_review_reminders``).

For each call with a due date, and each number of days N in the policy's
``peer_review.reminder_days_before`` (default 7 and 1), a person with open work is reminded once
when the due date is N days away or closer. Only the nearest threshold is used on a given day,
so a run that missed the 7-day reminder sends the 1-day one only. Idempotent: every reminder
has a dedupe key (call, person, kind, N), so running the command twice sends nothing new.

- Peer review (``call.peer_review_due``): reviewers with published, non-conflicted
  assignments not yet submitted, on proposals still in peer review.
- Technical review (``call.technical_review_due``): the scientist holding each open technical
  review of a proposal in technical review; unassigned ones remind every scientist of the
  beamline.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse

from akari.accounts.models import User
from akari.core import clock
from akari.proposals.models import Call, Proposal
from akari.reviews import selectors
from akari.reviews.models import ReviewAssignment, TechnicalReview
from akari.reviews.services.common import notify_person


def threshold(due: dt.date, today: dt.date, days_before: list[int]) -> int | None:
    """The reminder threshold that applies today (the smallest N with due - N <= today), or
    None when no reminder is due (too early, or the due date has passed)."""
    left = (due - today).days
    if left < 0:
        return None
    fitting = [n for n in days_before if left <= n]
    return min(fitting) if fitting else None


@transaction.atomic
def reminders_send(*, today: dt.date | None = None) -> int:
    """Send the reminders due today; returns how many notifications were asked for (each key
    is sent at most once, so repeated runs are harmless)."""
    today = today or clock.today()
    count = 0
    calls = Call.objects.filter(status=Call.Status.CLOSED).select_related("policy_version")
    for call in calls:
        days = selectors.peer_review_policy(call).reminder_days_before
        if call.peer_review_due is not None:
            n = threshold(call.peer_review_due, today, days)
            if n is not None:
                count += _peer(call, n)
        if call.technical_review_due is not None:
            n = threshold(call.technical_review_due, today, days)
            if n is not None:
                count += _technical(call, n)
    return count


def _peer(call: Call, n: int) -> int:
    open_rows = ReviewAssignment.objects.filter(
        proposal__call=call,
        proposal__status=Proposal.Status.PEER_REVIEW,
        status=ReviewAssignment.Status.ASSIGNED,
        conflict=False,
    ).values_list("reviewer_id", flat=True)
    counts: dict[int, int] = defaultdict(int)
    for reviewer_id in open_rows:
        counts[reviewer_id] += 1
    people = User.objects.in_bulk(list(counts))
    for reviewer_id, pending in counts.items():
        notify_person(
            recipient=people[reviewer_id],
            kind="reviews.reminder",
            context={"call_code": call.code, "count": pending, "due": str(call.peer_review_due)},
            dedupe_key=f"reviews.reminder:{call.pk}:{reviewer_id}:{n}",
            link=reverse("reviews:assignments"),
            actor=None,
        )
    return len(counts)


def _technical(call: Call, n: int) -> int:
    rows = TechnicalReview.objects.filter(
        proposal__call=call,
        proposal__status=Proposal.Status.TECHNICAL_REVIEW,
        status=TechnicalReview.Status.OPEN,
    ).values_list("reviewer_id", "beamline_id")
    counts: dict[int, int] = defaultdict(int)
    unassigned: list[int] = []
    for reviewer_id, beamline_id in rows:
        if reviewer_id is None:
            unassigned.append(beamline_id)
        else:
            counts[reviewer_id] += 1
    scientists = selectors.beamline_scientists(set(unassigned))
    for beamline_id in unassigned:
        for person in scientists.get(beamline_id, []):
            counts[person.pk] += 1
    people = User.objects.in_bulk(list(counts))
    for person_id, pending in counts.items():
        notify_person(
            recipient=people[person_id],
            kind="reviews.technical_reminder",
            context={
                "call_code": call.code,
                "count": pending,
                "due": str(call.technical_review_due),
            },
            dedupe_key=f"reviews.technical_reminder:{call.pk}:{person_id}:{n}",
            link=reverse("reviews:technical-list"),
            actor=None,
        )
    return len(counts)
