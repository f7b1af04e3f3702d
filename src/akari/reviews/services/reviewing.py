"""What a peer reviewer does (score, decline, declare a conflict), and closing peer review."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.proposals.models import Call, Proposal
from akari.reviews import permissions, selectors
from akari.reviews.models import ConflictOfInterest, Review, ReviewAssignment
from akari.reviews.services.common import ReviewRefused


def _locked(assignment: ReviewAssignment) -> ReviewAssignment:
    return (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("proposal", "proposal__call__policy_version")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def review_submit(*, assignment: ReviewAssignment, actor: User, score: int, comment: str) -> Review:
    """Record the reviewer's score (on the programme's scale) and comment. A reviewer may
    revise it while the proposal is in peer review; the first submission marks the assignment
    submitted."""
    locked = _locked(assignment)
    if not permissions.can_submit_review(actor, locked):
        raise PermissionDenied
    policy = selectors.peer_review_policy(locked.proposal.call)
    if not policy.score_min <= score <= policy.score_max:
        raise ReviewRefused(
            _("The score must be between %(min)s and %(max)s.")
            % {"min": policy.score_min, "max": policy.score_max},
            code="score_range",
        )
    if not comment.strip():
        raise ReviewRefused(_("Please write a comment."), code="comment")
    review, _created = Review.objects.update_or_create(
        assignment=locked,
        defaults={"score": score, "comment": comment, "submitted_at": clock.now()},
    )
    if locked.status == ReviewAssignment.Status.ASSIGNED:
        transition(locked, ReviewAssignment.Status.SUBMITTED, actor=actor, reason="scored")
    audit.record(actor=actor, action="review.submitted", obj=locked)
    return review


@transaction.atomic
def assignment_decline(*, assignment: ReviewAssignment, actor: User, reason: str) -> None:
    """The reviewer cannot take this review (no conflict): the user office finds another."""
    locked = _locked(assignment)
    if not permissions.can_decline(actor, locked):
        raise PermissionDenied
    transition(
        locked,
        ReviewAssignment.Status.DECLINED,
        actor=actor,
        reason="declined",
        extra_updates={"decline_reason": reason},
    )


@transaction.atomic
def conflict_declare(*, assignment: ReviewAssignment, actor: User, detail: str) -> None:
    """The reviewer declares a conflict of interest: it is stored, and the assignment is
    flagged and declined, so the proposal disappears from the reviewer's pages."""
    locked = _locked(assignment)
    if not permissions.can_decline(actor, locked):
        raise PermissionDenied
    if not detail.strip():
        raise ReviewRefused(_("Please say what the conflict is."), code="detail")
    ConflictOfInterest.objects.get_or_create(
        proposal_id=locked.proposal_id,
        reviewer=actor,
        source=ConflictOfInterest.Source.DECLARED,
        defaults={"detail": detail},
    )
    transition(
        locked,
        ReviewAssignment.Status.DECLINED,
        actor=actor,
        reason="conflict of interest declared",
        extra_updates={"conflict": True, "conflict_reason": detail},
    )


@transaction.atomic
def peer_review_close(*, call: Call, actor: Any) -> int:
    """End peer review for a call: every proposal still in peer review goes to the selection
    committee, with whatever scores came in. Returns how many moved."""
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    moved = 0
    for proposal in Proposal.objects.filter(call=call, status=Proposal.Status.PEER_REVIEW):
        transition(proposal, Proposal.Status.COMMITTEE, actor=actor, reason="peer review closed")
        moved += 1
    audit.record(actor=actor, action="reviews.peer_review_closed", obj=call, count=moved)
    return moved
