"""Permission matrix over every page and endpoint of the reviews app.

People (see ``tests.reviews.factories.scene``): anonymous, the applicant (PI), a
co-investigator, another applicant, a conflicted reviewer (conflict found on the server, never
assigned), a reviewer who declared a conflict (assignment flagged), the beamline scientist, the
assigned reviewer, and the user office. For every page: who gets it, and what it shows. For
every write: who may do it, and that every denial changes nothing in the database.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from akari.core.models import AuditEvent, StatusEvent
from akari.notifications.models import Notification
from akari.proposals.models import Call, Proposal
from akari.reviews import services
from akari.reviews.models import (
    AssignmentRun,
    ConflictOfInterest,
    Review,
    ReviewAssignment,
    TechnicalReview,
)

ROLES = [
    "anonymous",
    "applicant",
    "co_investigator",
    "other_applicant",
    "conflicted",
    "declared",
    "scientist",
    "reviewer",
    "staff",
]
STAFF_PAGES = [
    "reviews:call-technical",
    "reviews:call-assignments",
    "reviews:call-conflicts",
    "reviews:call-ranking",
]


def person(scene: Any, role: str) -> Any:
    return None if role == "anonymous" else getattr(scene, role)


def snapshot() -> tuple[Any, ...]:
    """Everything a review action could change."""
    return (
        list(
            ReviewAssignment.objects.order_by("pk").values_list(
                "pk", "status", "conflict", "pinned", "reviewer_id"
            )
        ),
        list(Review.objects.order_by("pk").values_list("pk", "score", "comment")),
        list(
            TechnicalReview.objects.order_by("pk").values_list(
                "pk", "status", "reviewer_id", "verdict"
            )
        ),
        list(ConflictOfInterest.objects.order_by("pk").values_list("pk", "source")),
        list(Proposal.objects.order_by("pk").values_list("pk", "status")),
        list(Call.objects.order_by("pk").values_list("pk", "status")),
        StatusEvent.objects.count(),
        AuditEvent.objects.exclude(action="proposal.viewed").count(),
        AssignmentRun.objects.count(),
        Notification.objects.count(),
    )


def assert_login_redirect(response: Any) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Pages --------------------------------------------------------------------------------------


def test_my_reviews_list_shows_only_own_published_unconflicted_assignments(scene, login):
    url = reverse("reviews:assignments")
    for role in ROLES:
        response = login(person(scene, role)).get(url)
        if role == "anonymous":
            assert_login_redirect(response)
            continue
        assert response.status_code == 200, role
        text = response.content.decode()
        shown = scene.proposal.number in text
        assert shown == (role == "reviewer"), role
    # The other proposal (no conflict there) is listed for the conflicted reviewer.
    text = login(scene.conflicted).get(url).content.decode()
    assert scene.other_proposal.number in text


def test_review_page_only_for_the_assigned_reviewer(scene, login):
    url = reverse("reviews:assignment", args=[scene.assignment.pk])
    for role in ROLES:
        response = login(person(scene, role)).get(url)
        if role == "anonymous":
            assert_login_redirect(response)
        elif role == "reviewer":
            assert response.status_code == 200
            text = response.content.decode()
            assert scene.proposal.title in text
            assert 'data-testid="review-form"' in text
        else:
            assert response.status_code == 404, role


def test_a_declined_conflicted_assignment_is_invisible_to_its_reviewer(scene, login):
    url = reverse("reviews:assignment", args=[scene.declared_assignment.pk])
    assert login(scene.declared).get(url).status_code == 404
    api = reverse("v1:review-detail", args=[scene.declared_assignment.pk])
    assert login(scene.declared).get(api).status_code == 404


def test_reviewers_never_see_other_reviewers_scores(scene, login):
    other = ReviewAssignment.objects.get(proposal=scene.other_proposal, reviewer=scene.reviewer)
    colleague = ReviewAssignment.objects.filter(proposal=scene.other_proposal).exclude(
        reviewer=scene.reviewer
    )[0]
    services.review_submit(
        assignment=colleague,
        actor=colleague.reviewer,
        score=9,
        comment="Colleague's secret comment",
    )
    text = login(scene.reviewer).get(reverse("reviews:assignment", args=[other.pk])).content
    assert b"Colleague&#x27;s secret comment" not in text
    assert b"Colleague's secret comment" not in text
    api = login(scene.reviewer).get(reverse("v1:review-detail", args=[other.pk])).json()
    assert api["score"] is None
    assert "Colleague" not in json.dumps(api)


def test_technical_review_list_for_scientists_and_staff(scene, login):
    url = reverse("reviews:technical-list")
    for role in ROLES:
        response = login(person(scene, role)).get(url)
        if role == "anonymous":
            assert_login_redirect(response)
            continue
        assert response.status_code == 200, role
        shown = scene.proposal.number in response.content.decode()
        assert shown == (role in {"scientist", "staff"}), role


def test_technical_review_page_for_its_scientist_and_staff(scene, login):
    url = reverse("reviews:technical-detail", args=[scene.technical.pk])
    for role in ROLES:
        response = login(person(scene, role)).get(url)
        if role == "anonymous":
            assert_login_redirect(response)
        elif role in {"scientist", "staff"}:
            assert response.status_code == 200, role
            text = response.content.decode()
            assert scene.proposal.title in text
            assert 'data-testid="technical-result"' in text
        else:
            assert response.status_code == 404, role


def test_call_review_pages_are_the_user_offices(scene, login):
    for name in STAFF_PAGES:
        url = reverse(name, args=[scene.call.pk])
        for role in ROLES:
            response = login(person(scene, role)).get(url)
            if role == "anonymous":
                assert_login_redirect(response)
            elif role == "staff":
                assert response.status_code == 200, name
                assert scene.proposal.number in response.content.decode(), name
            else:
                assert response.status_code == 404, (name, role)


def test_review_summary_of_a_proposal_is_the_user_offices(scene, login):
    services.review_submit(
        assignment=scene.assignment, actor=scene.reviewer, score=8, comment="Strong case"
    )
    url = reverse("reviews:proposal-reviews", args=[scene.proposal.pk])
    for role in ROLES:
        response = login(person(scene, role)).get(url)
        if role == "anonymous":
            assert_login_redirect(response)
        elif role == "staff":
            assert response.status_code == 200
            text = response.content.decode()
            assert "Strong case" in text
            assert f'data-reviewer="{scene.reviewer.email}"' in text
            assert "Former student" in text  # the declared conflict
        else:
            assert response.status_code == 404, role


def test_review_calls_page_is_the_user_offices(scene, login):
    url = reverse("reviews:calls")
    for role in ROLES:
        response = login(person(scene, role)).get(url)
        if role == "anonymous":
            assert_login_redirect(response)
        elif role == "staff":
            assert response.status_code == 200
            assert scene.call.code in response.content.decode()
        else:
            assert response.status_code == 404, role


# --- Writes -------------------------------------------------------------------------------------


def _post_all(scene: Any, login: Any, url: str, data: dict[str, Any], allowed: str) -> Any:
    """POST as every role but ``allowed``: each is refused and nothing changes. Then POST as
    ``allowed`` and return the response."""
    before = snapshot()
    for role in ROLES:
        if role == allowed:
            continue
        response = login(person(scene, role)).post(url, data)
        if role == "anonymous":
            assert_login_redirect(response)
        else:
            assert response.status_code == 404, role
        assert snapshot() == before, role
    return login(person(scene, allowed)).post(url, data)


def test_only_the_assigned_reviewer_scores(scene, login):
    url = reverse("reviews:assignment-submit", args=[scene.assignment.pk])
    response = _post_all(scene, login, url, {"score": 7, "comment": "Sound"}, "reviewer")
    assert response.status_code == 302
    assert Review.objects.get(assignment=scene.assignment).score == 7


def test_only_the_assigned_reviewer_declines(scene, login):
    url = reverse("reviews:assignment-decline", args=[scene.assignment.pk])
    response = _post_all(scene, login, url, {"reason": "Travelling"}, "reviewer")
    assert response.status_code == 302
    scene.assignment.refresh_from_db()
    assert scene.assignment.status == ReviewAssignment.Status.DECLINED


def test_only_the_assigned_reviewer_declares_a_conflict(scene, login):
    url = reverse("reviews:assignment-conflict", args=[scene.assignment.pk])
    response = _post_all(scene, login, url, {"detail": "Co-author"}, "reviewer")
    assert response.status_code == 302
    scene.assignment.refresh_from_db()
    assert scene.assignment.conflict is True


def test_technical_review_writes_are_refused_to_everyone_else(scene, login):
    # The review is submitted already: even its scientist cannot submit or take it again.
    before = snapshot()
    for name, data in [
        ("reviews:technical-detail", {"verdict": "feasible"}),
        ("reviews:technical-take", {}),
    ]:
        url = reverse(name, args=[scene.technical.pk])
        for role in ROLES:
            response = login(person(scene, role)).post(url, data)
            if role == "anonymous":
                assert_login_redirect(response)
            elif role == "scientist":
                assert response.status_code in {302, 403}, (name, response.status_code)
            elif role == "staff":
                # Staff see the review but do not write it.
                assert response.status_code in {302, 403}, (name, response.status_code)
            else:
                assert response.status_code == 404, (name, role)
            assert snapshot() == before, (name, role)


STAFF_WRITES = [
    ("reviews:call-start", "call", {}),
    ("reviews:call-optimise", "call", {}),
    ("reviews:call-publish", "call", {}),
    ("reviews:call-close-peer-review", "call", {}),
    ("reviews:assignment-add", "proposal", {"email": "nobody@example.org"}),
    ("reviews:assignment-pin", "assignment", {"pinned": "1"}),
    ("reviews:assignment-remove", "assignment", {}),
    ("reviews:technical-assign", "technical", {}),
]


def test_staff_writes_are_refused_to_everyone_else(scene, login):
    before = snapshot()
    for name, target, data in STAFF_WRITES:
        url = reverse(name, args=[getattr(scene, target).pk])
        for role in ROLES:
            if role == "staff":
                continue
            response = login(person(scene, role)).post(url, data)
            if role == "anonymous":
                assert_login_redirect(response)
            else:
                assert response.status_code == 404, (name, role)
            assert snapshot() == before, (name, role)


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_only_my_reviews(scene, login):
    url = reverse("v1:review-list")
    for role in ROLES:
        response = login(person(scene, role)).get(url)
        if role == "anonymous":
            assert response.status_code in {401, 403}
            continue
        numbers = [row["proposal_number"] for row in response.json()["results"]]
        assert (scene.proposal.number in numbers) == (role == "reviewer"), role


def test_api_detail_and_submit_only_for_the_assigned_reviewer(scene, login):
    detail = reverse("v1:review-detail", args=[scene.assignment.pk])
    submit = reverse("v1:review-submit", args=[scene.assignment.pk])
    before = snapshot()
    for role in ROLES:
        if role == "reviewer":
            continue
        client = login(person(scene, role))
        got = client.get(detail)
        posted = client.post(submit, {"score": 5, "comment": "x"}, content_type="application/json")
        expected = {401, 403} if role == "anonymous" else {404}
        assert got.status_code in expected, role
        assert posted.status_code in expected, role
        assert snapshot() == before, role
    client = login(scene.reviewer)
    body = client.get(detail).json()
    assert body["proposal_number"] == scene.proposal.number
    assert body["title"] == scene.proposal.title
    posted = client.post(submit, {"score": 8, "comment": "Good"}, content_type="application/json")
    assert posted.status_code == 200
    assert (posted.json()["score"], posted.json()["status"]) == (8, "submitted")
