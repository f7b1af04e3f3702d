"""Reviewer, scientist and user-office list pages keep a fixed number of queries: the same with
5 proposals as with 1,000 (and the number is pinned, so a new query is noticed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akari.core import clock
from akari.proposals.models import Proposal
from akari.reviews.models import (
    ConflictOfInterest,
    Panel,
    Review,
    ReviewAssignment,
    TechnicalReview,
)
from tests.factories import UserFactory
from tests.proposals.factories import CallFactory, bulk_proposals
from tests.reviews.factories import beamline, reviewer, scientist_of, staff_user

pytestmark = pytest.mark.django_db

# Queries per page (session, user, roles, navigation and inbox count included).
EXPECTED = {
    "reviews:assignments": 7,
    "reviews:technical-list": 8,
    "reviews:calls": 6,
    "reviews:call-technical": 9,
    "reviews:call-assignments": 11,
    "reviews:call-conflicts": 8,
    "reviews:call-ranking": 11,
    "v1:review-list": 6,
}


def grow(call: Any, count: int, people: dict[str, Any]) -> None:
    """``count`` more proposals in peer review on BL01B1, each with a submitted technical
    review, three scored reviews (one of them the reviewer's), and a declared conflict."""
    rows = bulk_proposals(call, count, status=Proposal.Status.PEER_REVIEW)
    bl = beamline("BL01B1")
    now = clock.now()
    TechnicalReview.objects.bulk_create(
        [
            TechnicalReview(
                proposal=p,
                beamline=bl,
                reviewer=people["scientist"],
                status="submitted",
                verdict="feasible",
                submitted_at=now,
            )
            for p in rows
        ]
    )
    assignments = ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(proposal=p, reviewer=person, status="submitted", assigned_at=now)
            for p in rows
            for person in (people["reviewer"], people["second"], people["third"])
        ]
    )
    Review.objects.bulk_create(
        [
            Review(
                assignment=a,
                score=(a.proposal_id + a.reviewer_id) % 10 + 1,
                comment="c",
                submitted_at=now,
            )
            for a in assignments
        ]
    )
    ConflictOfInterest.objects.bulk_create(
        [ConflictOfInterest(proposal=p, reviewer=people["fourth"], source="declared") for p in rows]
    )


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def test_list_pages_keep_a_fixed_number_of_queries(frozen_clock, login, django_assert_num_queries):
    call = CallFactory()
    people = {
        "scientist": scientist_of(beamline("BL01B1")),
        "reviewer": reviewer(),
        "second": UserFactory(),
        "third": UserFactory(),
        "fourth": UserFactory(),
        "staff": staff_user(),
    }
    panel = Panel.objects.create(call=call, name_ja="分科会", name_en="Panel")
    panel.members.set([people["reviewer"], people["second"], people["third"]])
    pages = {
        "reviews:assignments": ("reviewer", reverse("reviews:assignments")),
        "reviews:technical-list": ("scientist", reverse("reviews:technical-list")),
        "reviews:calls": ("staff", reverse("reviews:calls")),
        "reviews:call-technical": ("staff", reverse("reviews:call-technical", args=[call.pk])),
        "reviews:call-assignments": (
            "staff",
            reverse("reviews:call-assignments", args=[call.pk]),
        ),
        "reviews:call-conflicts": ("staff", reverse("reviews:call-conflicts", args=[call.pk])),
        "reviews:call-ranking": ("staff", reverse("reviews:call-ranking", args=[call.pk])),
        "v1:review-list": ("reviewer", reverse("v1:review-list")),
    }
    clients = {role: login(people[role]) for role in ("reviewer", "scientist", "staff")}

    grow(call, 5, people)
    small = {name: count_queries(clients[role], url) for name, (role, url) in pages.items()}
    grow(call, 995, people)

    assert small == EXPECTED
    for name, (role, url) in pages.items():
        with django_assert_num_queries(EXPECTED[name]):
            response = clients[role].get(url)
        assert response.status_code == 200, name
    ranking = clients["staff"].get(pages["reviews:call-ranking"][1]).content.decode()
    assert ranking.count("data-proposal=") == 1000
