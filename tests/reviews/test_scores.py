"""Peer review scores, per-reviewer normalisation and the ranking per beamline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from akari.core import clock
from akari.policies.models import AccessRoute
from akari.proposals.models import Proposal
from akari.reviews import services
from akari.reviews.models import Review, ReviewAssignment, TechnicalReview
from akari.reviews.selectors import beamline_ranking
from tests.factories import UserFactory
from tests.proposals.factories import CallFactory, ProposalFactory
from tests.reviews.factories import beamline, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(frozen_clock):  # type: ignore[no-untyped-def]
    return CallFactory()


def route(call, code):  # type: ignore[no-untyped-def]
    return AccessRoute.objects.get(policy_version=call.policy_version, code=code)


def proposal(call, number, *, status="committee", code="normal", bl="BL01B1", minutes=0):  # type: ignore[no-untyped-def]
    p = ProposalFactory(
        call=call, status=status, route=route(call, code), beamlines={bl: 3}, number=number
    )
    Proposal.objects.filter(pk=p.pk).update(
        submitted_at=clock.now() + dt.timedelta(minutes=minutes)
    )
    p.refresh_from_db()
    return p


def score(p, person, value, *, status="submitted", conflict=False):  # type: ignore[no-untyped-def]
    assignment = ReviewAssignment.objects.create(
        proposal=p, reviewer=person, status=status, conflict=conflict
    )
    Review.objects.create(assignment=assignment, score=value, comment="c", submitted_at=clock.now())


def verdict(p, value, bl="BL01B1"):  # type: ignore[no-untyped-def]
    TechnicalReview.objects.create(
        proposal=p,
        beamline=beamline(bl),
        status="submitted",
        verdict=value,
        submitted_at=clock.now(),
    )


def test_ranking_uses_normalised_scores_then_technical_verdicts(call):
    p1, p2, p3, p4 = (proposal(call, f"R{i}") for i in (1, 2, 3, 4))
    lenient, strict, bimodal, single = (UserFactory() for _ in range(4))
    # lenient: mean 9, sd sqrt(2/3); strict: mean 5; bimodal: 10 / 2 (z = +1 / -1);
    # single: one score only (z = 0).
    for p, value in ((p1, 10), (p2, 8), (p3, 9)):
        score(p, lenient, value)
    for p, value in ((p1, 4), (p2, 6), (p4, 5)):
        score(p, strict, value)
    score(p1, bimodal, 10)
    score(p2, bimodal, 2)
    score(p4, single, 2)
    # Not counted: a conflicted review and a removed one.
    score(p2, UserFactory(), 10, status="removed", conflict=True)
    score(p4, UserFactory(), 10, status="removed")
    for p in (p1, p3, p4):
        verdict(p, "feasible")
    verdict(p2, "not_feasible", bl="BL02B1")  # another beamline's verdict does not leak
    verdict(p2, "feasible_with_conditions")
    # Without peer review: after the scored ones, by verdict then submission time.
    t_late = proposal(call, "T1", code="proprietary_normal", minutes=20)
    t_early = proposal(call, "T2", code="proprietary_normal", minutes=10)
    t_bad = proposal(call, "T3", code="proprietary_normal", minutes=0)
    t_cond = proposal(call, "T4", code="proprietary_normal", minutes=5)
    proposal(call, "T5", code="proprietary_normal", minutes=1)  # technical review still open
    verdict(t_late, "feasible")
    verdict(t_early, "feasible")
    verdict(t_bad, "not_feasible")
    verdict(t_cond, "feasible_with_conditions")
    # Left out: withdrawn, still in technical review, another beamline.
    proposal(call, "X1", status="withdrawn")
    proposal(call, "X2", status="technical_review")
    proposal(call, "X3", bl="BL02B1")

    ranking = beamline_ranking(call=call, beamline=beamline("BL01B1"))

    rows = [(r.rank, r.proposal.number, r.n_reviews, r.technical_verdict) for r in ranking]
    assert rows == [
        (1, "R1", 3, "feasible"),
        (2, "R3", 1, "feasible"),
        (3, "R4", 2, "feasible"),
        (4, "R2", 3, "feasible_with_conditions"),
        (5, "T2", 0, "feasible"),
        (6, "T1", 0, "feasible"),
        (7, "T4", 0, "feasible_with_conditions"),
        (8, "T3", 0, "not_feasible"),
        (9, "T5", 0, ""),
    ]
    by_number = {r.proposal.number: r for r in ranking}
    assert by_number["R1"].mean_raw == pytest.approx(8.0)
    assert by_number["R1"].mean_normalised == pytest.approx(1 / 3)
    assert by_number["R2"].mean_normalised == pytest.approx(-1 / 3)
    assert by_number["R3"].mean_normalised == pytest.approx(0.0)
    assert by_number["R4"].mean_raw == pytest.approx(3.5)
    assert (by_number["T1"].mean_raw, by_number["T1"].mean_normalised) == (None, None)
    with translation.override("en"):
        assert by_number["R2"].technical_verdict_label == "Feasible with conditions"


def test_ties_fall_to_raw_mean_then_number(call):
    a, b, c = proposal(call, "Z3"), proposal(call, "Z1"), proposal(call, "Z2")
    one, two = UserFactory(), UserFactory()
    # Each reviewer gives one score (z = 0): all tie on the normalised mean.
    score(a, one, 6)
    score(b, two, 6)
    score(c, UserFactory(), 9)

    ranking = beamline_ranking(call=call, beamline=beamline("BL01B1"))

    assert [r.proposal.number for r in ranking] == ["Z2", "Z1", "Z3"]


def test_lower_is_better_scales_rank_the_lowest_first(call):
    document = call.policy_version.document
    document["peer_review"]["higher_is_better"] = False
    type(call.policy_version).objects.filter(pk=call.policy_version_id).update(document=document)
    call = type(call).objects.get(pk=call.pk)
    good, bad = proposal(call, "L1"), proposal(call, "L2")
    person = UserFactory()
    score(good, person, 1)
    score(bad, person, 3)
    score(bad, UserFactory(), 1)  # alone: z = 0, raw 1

    ranking = beamline_ranking(call=call, beamline=beamline("BL01B1"))

    assert [(r.proposal.number, r.mean_normalised) for r in ranking] == [
        ("L1", pytest.approx(1.0)),
        ("L2", pytest.approx(-0.5)),
    ]


def test_ranking_takes_a_fixed_number_of_queries(call, django_assert_num_queries):
    people = [UserFactory() for _ in range(3)]
    for i in range(12):
        p = proposal(call, f"Q{i:02d}")
        verdict(p, "feasible")
        for j, person in enumerate(people):
            score(p, person, (i + j) % 10 + 1)
    call = type(call).objects.get(pk=call.pk)
    bl01 = beamline("BL01B1")
    # Proposals, the call's policy version, the call's scores, the beamline's verdicts.
    with django_assert_num_queries(4):
        ranking = beamline_ranking(call=call, beamline=bl01)
    assert len(ranking) == 12


@pytest.fixture
def assignment(call):  # type: ignore[no-untyped-def]
    p = proposal(call, "S1", status="peer_review")
    return ReviewAssignment.objects.create(
        proposal=p, reviewer=UserFactory(), status="assigned", assigned_at=clock.now()
    )


@pytest.mark.parametrize("value", [0, 11, -3])
def test_scores_off_the_programme_scale_are_refused(assignment, value):
    with pytest.raises(services.ReviewRefused):
        services.review_submit(
            assignment=assignment, actor=assignment.reviewer, score=value, comment="x"
        )
    assert not Review.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == "assigned"


def test_a_comment_is_required(assignment):
    with pytest.raises(services.ReviewRefused):
        services.review_submit(
            assignment=assignment, actor=assignment.reviewer, score=5, comment="  "
        )
    assert not Review.objects.exists()


def test_a_review_may_be_revised_during_peer_review_only(assignment):
    services.review_submit(assignment=assignment, actor=assignment.reviewer, score=5, comment="a")
    services.review_submit(assignment=assignment, actor=assignment.reviewer, score=7, comment="b")

    review = Review.objects.get()
    assert (review.score, review.comment) == (7, "b")
    assignment.refresh_from_db()
    assert assignment.status == "submitted"

    Proposal.objects.filter(pk=assignment.proposal_id).update(status="committee")
    with pytest.raises(PermissionDenied):
        services.review_submit(
            assignment=assignment, actor=assignment.reviewer, score=1, comment="late"
        )
    assert Review.objects.get().score == 7


def test_someone_else_cannot_submit_the_review(assignment):
    with pytest.raises(PermissionDenied):
        services.review_submit(assignment=assignment, actor=UserFactory(), score=5, comment="x")
    assert not Review.objects.exists()


def test_the_score_form_answers_htmx_with_the_partial(assignment, login):
    client = login(assignment.reviewer)
    url = reverse("reviews:assignment-submit", args=[assignment.pk])
    headers = {"HX-Request": "true"}

    bad = client.post(url, {"score": "12", "comment": "x"}, headers=headers)
    assert bad.status_code == 200
    assert b'id="review-form"' in bad.content
    assert b"<html" not in bad.content
    assert not Review.objects.exists()

    good = client.post(url, {"score": "6", "comment": "Well argued"}, headers=headers)
    assert b'data-testid="review-saved"' in good.content
    assert Review.objects.get().score == 6


def test_closing_peer_review_sends_the_proposals_to_the_committee(assignment):
    staff = staff_user()
    services.peer_review_close(call=assignment.proposal.call, actor=staff)
    assignment.proposal.refresh_from_db()
    assert assignment.proposal.status == Proposal.Status.COMMITTEE
    with pytest.raises(PermissionDenied):
        services.peer_review_close(call=assignment.proposal.call, actor=assignment.reviewer)


def test_the_ranking_page_shows_the_chosen_beamline(call, login):
    p = proposal(call, "W1")
    score(p, UserFactory(), 7)
    staff = staff_user()
    page = login(staff).get(reverse("reviews:call-ranking", args=[call.pk]), {"beamline": "BL01B1"})
    text = page.content.decode()
    assert 'data-proposal="W1"' in text
    assert "7.00" in text


def test_proposal_summary_pairs_each_review_with_its_normalised_score(call):
    from akari.reviews.selectors import proposal_reviews

    p, other = proposal(call, "V1"), proposal(call, "V2")
    busy, once, conflicted = UserFactory(), UserFactory(), UserFactory()
    score(p, busy, 8)
    score(other, busy, 4)
    score(p, once, 5)
    score(p, conflicted, 10, status="removed", conflict=True)
    verdict(p, "feasible")

    summary = proposal_reviews(p)

    z = {a.reviewer_id: value for a, value in summary.peer}
    assert z == {busy.pk: pytest.approx(1.0), once.pk: 0.0, conflicted.pk: None}
    assert [t.verdict for t in summary.technical] == ["feasible"]
