"""Starting the review of a call and the technical review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from akari.core import clock
from akari.notifications.models import Notification
from akari.proposals.models import Call, Proposal
from akari.reviews import services
from akari.reviews.forms import TechnicalReviewForm
from akari.reviews.models import TechnicalReview
from tests.factories import UserFactory
from tests.proposals.factories import CallFactory, submitted_proposal
from tests.reviews.factories import (
    AFTER_DEADLINE,
    beamline,
    pass_technical,
    scientist_of,
    staff_user,
    start_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(frozen_clock):  # type: ignore[no-untyped-def]
    return CallFactory()


def test_review_start_closes_the_call_and_opens_one_technical_review_per_beamline(call):
    staff = staff_user()
    first = scientist_of(beamline("BL01B1"))
    second = scientist_of(beamline("BL01B1"))
    p1 = submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3, "BL02B1": 2})
    p2 = submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})

    created = start_review(call, staff)

    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED
    assert set(Proposal.objects.values_list("status", flat=True)) == {"technical_review"}
    assert len(created) == 3
    rows = TechnicalReview.objects.order_by("proposal__pk", "beamline__code")
    assert [(r.proposal_id, r.beamline.code, r.reviewer_id, r.status) for r in rows] == [
        (p1.pk, "BL01B1", first.pk, "open"),  # least loaded, earliest registered
        (p1.pk, "BL02B1", None, "open"),  # no scientist listed for BL02B1
        (p2.pk, "BL01B1", second.pk, "open"),  # load balanced
    ]
    notified = Notification.objects.filter(kind="reviews.technical_assigned")
    assert sorted(n.recipient_id for n in notified) == sorted([first.pk, second.pk])


def test_review_start_again_on_a_closed_call_adds_only_what_is_missing(call):
    staff = staff_user()
    submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})
    start_review(call, staff)

    again = start_review(call, staff)

    assert again == []
    assert TechnicalReview.objects.count() == 1


def test_review_start_is_refused_before_the_deadline_and_changes_nothing(call):
    staff = staff_user()
    submitted_proposal(call, route_code="normal")

    with pytest.raises(services.ReviewRefused):
        services.review_start(call=call, actor=staff)

    call.refresh_from_db()
    assert call.status == Call.Status.OPEN
    assert Proposal.objects.get().status == Proposal.Status.SUBMITTED
    assert not TechnicalReview.objects.exists()


def test_review_start_is_staff_only(call):
    scientist = scientist_of(beamline("BL01B1"))
    with clock.frozen(AFTER_DEADLINE), pytest.raises(PermissionDenied):
        services.review_start(call=call, actor=scientist)
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN


def test_anytime_proposals_go_to_technical_review_one_by_one(frozen_clock):
    intake = CallFactory(anytime=True)
    staff = staff_user()
    proposal = submitted_proposal(intake, route_code="urgent", beamlines={"BL01B1": 8})

    created = services.proposal_technical_review_start(proposal=proposal, actor=staff)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.TECHNICAL_REVIEW
    assert [r.beamline.code for r in created] == ["BL01B1"]
    intake.refresh_from_db()
    assert intake.status == Call.Status.OPEN


def _submit(review, person, verdict="feasible"):  # type: ignore[no-untyped-def]
    return services.technical_review_submit(
        review=review,
        actor=person,
        verdict=verdict,
        comment_to_applicant="Bring your own cell.",
        internal_comment="Check the cryostat.",
        recommended_units=2,
    )


def test_last_technical_review_moves_a_peer_reviewed_proposal_to_peer_review(call):
    staff = staff_user()
    s1 = scientist_of(beamline("BL01B1"))
    s2 = scientist_of(beamline("BL02B1"))
    proposal = submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3, "BL02B1": 3})
    start_review(call, staff)
    first = TechnicalReview.objects.get(beamline__code="BL01B1")
    second = TechnicalReview.objects.get(beamline__code="BL02B1")

    _submit(first, s1)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.TECHNICAL_REVIEW

    _submit(second, s2, verdict="not_feasible")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PEER_REVIEW
    second.refresh_from_db()
    assert (second.status, second.verdict, second.recommended_units) == (
        "submitted",
        "not_feasible",
        2,
    )
    assert second.submitted_at == clock.now()


def test_a_route_without_peer_review_goes_straight_to_the_committee(call):
    staff = staff_user()
    scientist_of(beamline("BL01B1"))
    proposal = submitted_proposal(call, route_code="proprietary_normal", beamlines={"BL01B1": 3})
    start_review(call, staff)

    pass_technical(proposal)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.COMMITTEE


def test_only_the_reviewer_submits_and_a_refusal_changes_nothing(call):
    staff = staff_user()
    scientist_of(beamline("BL01B1"))
    other = scientist_of(beamline("BL02B1"))
    submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})
    start_review(call, staff)
    review = TechnicalReview.objects.get()

    for person in (other, staff, UserFactory()):
        with pytest.raises(PermissionDenied):
            _submit(review, person)
    review.refresh_from_db()
    assert (review.status, review.verdict) == ("open", "")


def test_an_unassigned_review_is_taken_by_a_scientist_of_the_beamline(call):
    staff = staff_user()
    submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})
    start_review(call, staff)
    review = TechnicalReview.objects.get()
    assert review.reviewer is None
    first = scientist_of(beamline("BL01B1"))
    second = scientist_of(beamline("BL01B1"))
    elsewhere = scientist_of(beamline("BL02B1"))

    with pytest.raises(services.ReviewRefused):
        services.technical_review_take(review=review, actor=elsewhere)
    services.technical_review_take(review=review, actor=first)
    with pytest.raises(services.ReviewRefused):
        services.technical_review_take(review=review, actor=second)

    review.refresh_from_db()
    assert review.reviewer == first


def test_staff_give_a_review_to_a_scientist_of_its_beamline_only(call):
    staff = staff_user()
    first = scientist_of(beamline("BL01B1"))
    second = scientist_of(beamline("BL01B1"))
    elsewhere = scientist_of(beamline("BL02B1"))
    submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})
    start_review(call, staff)
    review = TechnicalReview.objects.get()
    assert review.reviewer == first

    with pytest.raises(services.ReviewRefused):
        services.technical_review_assign(review=review, reviewer=elsewhere, actor=staff)
    with pytest.raises(PermissionDenied):
        services.technical_review_assign(review=review, reviewer=second, actor=first)
    services.technical_review_assign(review=review, reviewer=second, actor=staff)

    review.refresh_from_db()
    assert review.reviewer == second


def test_scientist_submits_through_the_page(call, login):
    staff = staff_user()
    scientist = scientist_of(beamline("BL01B1"))
    proposal = submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})
    start_review(call, staff)
    review = TechnicalReview.objects.get()
    url = reverse("reviews:technical-detail", args=[review.pk])
    client = login(scientist)

    page = client.get(url)
    assert b'data-testid="technical-form"' in page.content
    bad = client.post(url, {"verdict": "feasible_with_conditions"})
    assert bad.status_code == 400
    review.refresh_from_db()
    assert review.status == "open"
    good = client.post(
        url,
        {
            "verdict": "feasible_with_conditions",
            "comment_to_applicant": "Only below 10 K.",
            "recommended_units": "2",
        },
    )

    assert good.status_code == 302
    review.refresh_from_db()
    assert (review.verdict, review.comment_to_applicant) == (
        "feasible_with_conditions",
        "Only below 10 K.",
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PEER_REVIEW


def test_staff_start_the_review_from_the_page(call, login):
    staff = staff_user()
    submitted_proposal(call, route_code="normal", beamlines={"BL01B1": 3})
    client = login(staff)
    with clock.frozen(AFTER_DEADLINE):
        response = client.post(reverse("reviews:call-start", args=[call.pk]))
    assert response["Location"] == reverse("reviews:call-technical", args=[call.pk])
    assert TechnicalReview.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"verdict": "feasible"}, True),
        ({"verdict": "feasible_with_conditions"}, False),
        ({"verdict": "feasible_with_conditions", "comment_to_applicant": "x"}, True),
        ({"verdict": "not_feasible"}, False),
        ({"verdict": "not_feasible", "internal_comment": "Beam too large"}, True),
        ({"verdict": "maybe"}, False),
        ({"verdict": "feasible", "recommended_units": "-1"}, False),
    ],
)
def test_technical_review_form(data, valid):
    assert TechnicalReviewForm(data).is_valid() is valid


def test_call_close_time_is_the_deadline(call):
    assert call.closes_at is not None
    assert call.closes_at < AFTER_DEADLINE
    assert AFTER_DEADLINE - call.closes_at < dt.timedelta(days=7)
