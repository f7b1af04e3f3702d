"""Every allowed and every illegal status change of the reviews app's workflow models."""

from __future__ import annotations

import pytest

from akari.core.models import StatusEvent
from akari.core.workflow import IllegalTransition, transition
from akari.reviews.models import ReviewAssignment, TechnicalReview
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory
from tests.reviews.factories import beamline

pytestmark = pytest.mark.django_db


def pairs(model):  # type: ignore[no-untyped-def]
    statuses = list(model.Status)
    allowed = {(a, b) for a, targets in model.TRANSITIONS.items() for b in targets}
    return [(a, b, (a, b) in allowed) for a in statuses for b in statuses if a != b]


def _check(obj, source, target, allowed, actor):  # type: ignore[no-untyped-def]
    type(obj).objects.filter(pk=obj.pk).update(status=source)
    obj.refresh_from_db()
    events = StatusEvent.objects.count()
    if allowed:
        transition(obj, target, actor=actor, reason="test")
        obj.refresh_from_db()
        assert obj.status == target
        event = StatusEvent.objects.latest("pk")
        assert (event.from_status, event.to_status, event.actor) == (source, target, actor)
    else:
        with pytest.raises(IllegalTransition):
            transition(obj, target, actor=actor)
        obj.refresh_from_db()
        assert obj.status == source
        assert StatusEvent.objects.count() == events


def test_the_tables_are_what_the_workflow_documents():
    technical = {str(k): {str(v) for v in vs} for k, vs in TechnicalReview.TRANSITIONS.items()}
    assignment = {str(k): {str(v) for v in vs} for k, vs in ReviewAssignment.TRANSITIONS.items()}
    assert technical == {"open": {"submitted"}, "submitted": set()}
    assert assignment == {
        "proposed": {"assigned"},
        "assigned": {"submitted", "declined", "removed"},
        "submitted": {"removed"},
        "declined": set(),
        "removed": {"proposed"},
    }


@pytest.mark.parametrize(("source", "target", "allowed"), pairs(TechnicalReview))
def test_technical_review_transitions(frozen_clock, source, target, allowed):
    proposal = ProposalFactory(status="technical_review")
    review = TechnicalReview.objects.create(
        proposal=proposal, beamline=beamline(), verdict="feasible"
    )
    _check(review, source, target, allowed, UserFactory())


@pytest.mark.parametrize(("source", "target", "allowed"), pairs(ReviewAssignment))
def test_review_assignment_transitions(frozen_clock, source, target, allowed):
    proposal = ProposalFactory(status="peer_review")
    assignment = ReviewAssignment.objects.create(proposal=proposal, reviewer=UserFactory())
    _check(assignment, source, target, allowed, UserFactory())


def test_a_submitted_technical_review_needs_a_verdict(frozen_clock):
    from django.db import IntegrityError, transaction

    proposal = ProposalFactory(status="technical_review")
    review = TechnicalReview.objects.create(proposal=proposal, beamline=beamline())
    with pytest.raises(IntegrityError), transaction.atomic():
        TechnicalReview.objects.filter(pk=review.pk).update(status="submitted")
