"""Who may see and do what in the reviews app: the one place for these rules.

- **User office** (roles ``user_office``, ``system_admin``; the proposals app's
  :func:`~akari.proposals.permissions.is_staff`): every review page of every call; starts
  reviews, assigns technical reviewers, runs and adjusts the reviewer assignment, publishes it,
  reads scores and rankings, closes peer review. Staff do not write reviews.
- **Beamline scientists** (a :class:`~akari.reviews.models.BeamlineReviewer` row for the
  beamline): the technical reviews they hold, and the unassigned ones of their beamlines (which
  they may take). They submit only their own, while the proposal is in technical review.
- **Peer reviewers**: their own assignments that are published (``assigned``/``submitted``)
  and not conflicted; nothing else, not even other reviewers' scores. They score while the
  proposal is in peer review, and may decline or declare a conflict before submitting.
- Everyone else (applicants, team members, anonymous visitors): nothing in this app.

Objects outside a person's scope are reported as missing (404), never as forbidden.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from akari.accounts.roles import Role, has_role
from akari.proposals.models import Call, Proposal
from akari.proposals.permissions import is_staff
from akari.reviews import selectors
from akari.reviews.models import BeamlineReviewer, ReviewAssignment, TechnicalReview


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_manage_reviews(user: Any) -> bool:
    return _signed_in(user) and is_staff(user)


def reviewed_beamline_ids(user: Any) -> set[int]:
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_akari_reviewed_beamlines", None)
    if cached is None:
        cached = set(
            BeamlineReviewer.objects.filter(person=user).values_list("beamline_id", flat=True)
        )
        user._akari_reviewed_beamlines = cached
    return cached


def is_beamline_scientist_for(user: Any, beamline_id: int) -> bool:
    return beamline_id in reviewed_beamline_ids(user)


# --- Navigation (for ``akari.core.navigation``) -------------------------------------------------


def shows_peer_reviews(user: Any) -> bool:
    """ "My peer reviews" (``reviews:assignments``): reviewers."""
    return _signed_in(user) and has_role(user, Role.REVIEWER)


def shows_technical_reviews(user: Any) -> bool:
    """ "Technical reviews" (``reviews:technical-list``): beamline scientists."""
    return _signed_in(user) and has_role(user, Role.BEAMLINE_SCIENTIST)


def shows_review_management(user: Any) -> bool:
    """ "Reviews (user office)" (``reviews:calls``): the user office."""
    return can_manage_reviews(user)


# --- Technical review ---------------------------------------------------------------------------


def technical_reviews_visible_to(user: Any) -> QuerySet[TechnicalReview]:
    if not _signed_in(user):
        return TechnicalReview.objects.none()
    if is_staff(user):
        return TechnicalReview.objects.all()
    return TechnicalReview.objects.filter(
        Q(reviewer=user)
        | Q(reviewer__isnull=True, beamline_id__in=list(reviewed_beamline_ids(user)))
    )


def get_technical_review_for(user: Any, pk: int) -> TechnicalReview:
    try:
        return selectors.technical_review_detail(technical_reviews_visible_to(user), pk)
    except TechnicalReview.DoesNotExist:
        raise Http404(_("No such technical review.")) from None


def can_take_technical_review(user: Any, review: TechnicalReview) -> bool:
    return (
        review.status == TechnicalReview.Status.OPEN
        and review.reviewer_id is None
        and is_beamline_scientist_for(user, review.beamline_id)
    )


def can_submit_technical_review(user: Any, review: TechnicalReview) -> bool:
    if review.status != TechnicalReview.Status.OPEN:
        return False
    if review.proposal.status != Proposal.Status.TECHNICAL_REVIEW:
        return False
    if review.reviewer_id is None:
        return can_take_technical_review(user, review)
    return _signed_in(user) and review.reviewer_id == user.pk


def can_assign_technical_review(user: Any, review: TechnicalReview) -> bool:
    return can_manage_reviews(user) and review.status == TechnicalReview.Status.OPEN


# --- Peer review --------------------------------------------------------------------------------


def assignments_visible_to(user: Any) -> QuerySet[ReviewAssignment]:
    """A reviewer's own published, non-conflicted assignments (staff use the call pages)."""
    if not _signed_in(user):
        return ReviewAssignment.objects.none()
    return ReviewAssignment.objects.filter(
        reviewer=user, conflict=False, status__in=ReviewAssignment.ACTIVE
    )


def get_assignment_for(user: Any, pk: int) -> ReviewAssignment:
    try:
        return selectors.assignment_detail(assignments_visible_to(user), pk)
    except ReviewAssignment.DoesNotExist:
        raise Http404(_("No such review.")) from None


def _own_visible(user: Any, assignment: ReviewAssignment) -> bool:
    return _signed_in(user) and assignment.reviewer_id == user.pk and assignment.visible_to_reviewer


def can_submit_review(user: Any, assignment: ReviewAssignment) -> bool:
    return (
        _own_visible(user, assignment) and assignment.proposal.status == Proposal.Status.PEER_REVIEW
    )


def can_decline(user: Any, assignment: ReviewAssignment) -> bool:
    """Decline, or declare a conflict: before the review is submitted."""
    return (
        _own_visible(user, assignment)
        and assignment.status == ReviewAssignment.Status.ASSIGNED
        and assignment.proposal.status == Proposal.Status.PEER_REVIEW
    )


# --- User office --------------------------------------------------------------------------------


def get_call_for_staff(user: Any, pk: int) -> Call:
    """A call for the review pages of the user office; 404 for anyone else."""
    if not can_manage_reviews(user):
        raise Http404(_("No such call."))
    try:
        return Call.objects.select_related("programme", "policy_version").get(pk=pk)
    except Call.DoesNotExist:
        raise Http404(_("No such call.")) from None


def get_board_assignment_for(user: Any, pk: int) -> ReviewAssignment:
    """An assignment for staff adjustments (pin, remove); 404 for anyone else."""
    if not can_manage_reviews(user):
        raise Http404(_("No such assignment."))
    try:
        return ReviewAssignment.objects.select_related(
            "proposal", "proposal__call", "reviewer"
        ).get(pk=pk)
    except ReviewAssignment.DoesNotExist:
        raise Http404(_("No such assignment.")) from None


def get_reviewed_proposal_for(user: Any, pk: int) -> Proposal:
    """A submitted proposal with its call and route, for the user office's review summary."""
    if not can_manage_reviews(user):
        raise Http404(_("No such proposal."))
    try:
        return (
            Proposal.objects.select_related("call", "call__policy_version", "route", "field")
            .exclude(status=Proposal.Status.DRAFT)
            .get(pk=pk)
        )
    except Proposal.DoesNotExist:
        raise Http404(_("No such proposal.")) from None


def get_board_proposal_for(user: Any, pk: int) -> Proposal:
    if not can_manage_reviews(user):
        raise Http404(_("No such proposal."))
    try:
        return Proposal.objects.select_related("call", "call__policy_version", "field").get(
            pk=pk, status=Proposal.Status.PEER_REVIEW
        )
    except Proposal.DoesNotExist:
        raise Http404(_("No such proposal.")) from None
