"""The scenario the permission tests stand on is what it claims to be."""

from __future__ import annotations

from akari.proposals.models import Proposal
from akari.reviews.models import ConflictOfInterest, ReviewAssignment, TechnicalReview


def test_scene_builds_a_proposal_in_peer_review(scene):
    assert scene.proposal.status == Proposal.Status.PEER_REVIEW
    assert scene.technical.status == TechnicalReview.Status.SUBMITTED
    assert scene.technical.reviewer == scene.scientist
    assert scene.assignment.status == ReviewAssignment.Status.ASSIGNED
    assert not scene.assignment.conflict
    assert scene.declared_assignment.status == ReviewAssignment.Status.DECLINED
    assert scene.declared_assignment.conflict
    assert not ReviewAssignment.objects.filter(
        proposal=scene.proposal, reviewer=scene.conflicted
    ).exists()
    assert set(
        ConflictOfInterest.objects.filter(proposal=scene.proposal).values_list(
            "reviewer__email", "source"
        )
    ) == {
        (scene.conflicted.email, "auto_same_organisation"),
        (scene.declared.email, "declared"),
    }
