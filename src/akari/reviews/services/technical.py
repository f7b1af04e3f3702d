"""Starting the review of a call, and the technical review by beamline scientists."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.policies.models import AccessRoute
from akari.proposals import services as proposal_services
from akari.proposals.models import BeamlineRequest, Call, Proposal
from akari.reviews import permissions
from akari.reviews.models import BeamlineReviewer, TechnicalReview
from akari.reviews.services.common import ReviewRefused, batch_key, notify_person


@transaction.atomic
def review_start(*, call: Call, actor: Any) -> list[TechnicalReview]:
    """Start the review of a call: close it (``proposals.services.call_close`` moves every
    submitted proposal to technical review), then open one technical review per requested
    beamline of each proposal in technical review (see :func:`technical_reviews_open`).

    A periodic call is closed only after its submission deadline; a call that is already
    closed just gets the technical reviews it is missing (idempotent). An anytime intake stays
    open: each submitted proposal goes to technical review on its own.
    """
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.kind == Call.Kind.ANYTIME:
        if call.status != Call.Status.OPEN:
            raise ReviewRefused(_("This intake is not open."), code="not_open")
        for proposal in Proposal.objects.filter(call=call, status=Proposal.Status.SUBMITTED):
            transition(proposal, Proposal.Status.TECHNICAL_REVIEW, actor=actor, reason="review")
    elif call.status == Call.Status.OPEN:
        if call.closes_at is not None and clock.now() < call.closes_at:
            raise ReviewRefused(
                _("Submission is open until the deadline; the review starts after it."),
                code="before_deadline",
            )
        proposal_services.call_close(call=call, actor=actor)
    elif call.status != Call.Status.CLOSED:
        raise ReviewRefused(_("This call has been decided."), code="decided")
    proposals = Proposal.objects.filter(call=call, status=Proposal.Status.TECHNICAL_REVIEW)
    created = _open_reviews(list(proposals), actor=actor)
    audit.record(actor=actor, action="reviews.started", obj=call, technical_reviews=len(created))
    return created


def _open_reviews(proposals: list[Proposal], *, actor: Any) -> list[TechnicalReview]:
    """One open technical review per (proposal, requested beamline) that has none yet; each
    goes to the beamline's scientist with the fewest open technical reviews (ties: the
    earliest registered), or stays unassigned when the beamline has no scientist listed."""
    requests = BeamlineRequest.objects.filter(proposal__in=proposals).values_list(
        "proposal_id", "beamline_id"
    )
    existing = set(
        TechnicalReview.objects.filter(proposal__in=proposals).values_list(
            "proposal_id", "beamline_id"
        )
    )
    wanted = [pair for pair in requests if pair not in existing]
    beamline_ids = {b for _p, b in wanted}
    scientists: dict[int, list[int]] = defaultdict(list)
    for beamline_id, person_id in (
        BeamlineReviewer.objects.filter(beamline_id__in=beamline_ids)
        .order_by("created_at", "pk")
        .values_list("beamline_id", "person_id")
    ):
        scientists[beamline_id].append(person_id)
    load: dict[int, int] = defaultdict(
        int,
        TechnicalReview.objects.filter(status=TechnicalReview.Status.OPEN, reviewer__isnull=False)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n"),
    )
    rows = []
    for proposal_id, beamline_id in sorted(wanted):
        reviewer_id = None
        if scientists[beamline_id]:
            reviewer_id = min(scientists[beamline_id], key=lambda pk: load[pk])
            load[reviewer_id] += 1
        rows.append(
            TechnicalReview(
                proposal_id=proposal_id, beamline_id=beamline_id, reviewer_id=reviewer_id
            )
        )
    created = TechnicalReview.objects.bulk_create(rows)
    _notify_technical_reviewers(created, actor=actor)
    # A proposal that requested no beamline has nothing to review technically.
    reviewed = {p for p, _b in existing} | {r.proposal_id for r in created}
    for proposal in proposals:
        if proposal.pk not in reviewed:
            _advance_if_complete(proposal.pk, actor=actor)
    return created


def _notify_technical_reviewers(reviews: list[TechnicalReview], *, actor: Any) -> None:
    by_person: dict[int, list[TechnicalReview]] = defaultdict(list)
    for review in reviews:
        if review.reviewer_id is not None:
            by_person[review.reviewer_id].append(review)
    people = User.objects.in_bulk(list(by_person))
    link = reverse("reviews:technical-list")
    for person_id, rows in by_person.items():
        notify_person(
            recipient=people[person_id],
            kind="reviews.technical_assigned",
            context={"count": len(rows)},
            dedupe_key=batch_key("reviews.technical_assigned", person_id, ids=[r.pk for r in rows]),
            link=link,
            actor=actor,
        )


@transaction.atomic
def proposal_technical_review_start(*, proposal: Proposal, actor: Any) -> list[TechnicalReview]:
    """Send one submitted proposal of an anytime intake to technical review."""
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    transition(proposal, Proposal.Status.TECHNICAL_REVIEW, actor=actor, reason="review")
    return _open_reviews([proposal], actor=actor)


@transaction.atomic
def technical_review_assign(
    *, review: TechnicalReview, reviewer: User, actor: Any
) -> TechnicalReview:
    """The user office gives an open technical review to a scientist of its beamline."""
    locked = TechnicalReview.objects.select_for_update().get(pk=review.pk)
    if not permissions.can_assign_technical_review(actor, locked):
        raise PermissionDenied
    if not BeamlineReviewer.objects.filter(beamline=locked.beamline_id, person=reviewer).exists():
        raise ReviewRefused(
            _("%(person)s is not a technical reviewer of this beamline.") % {"person": reviewer},
            code="not_beamline_reviewer",
        )
    locked.reviewer = reviewer
    locked.save(update_fields=["reviewer"])
    audit.record(actor=actor, action="technical_review.assigned", obj=locked, reviewer=reviewer.pk)
    notify_person(
        recipient=reviewer,
        kind="reviews.technical_assigned",
        context={"count": 1},
        dedupe_key=f"reviews.technical_assigned:{locked.pk}:{reviewer.pk}",
        link=reverse("reviews:technical-detail", args=[locked.pk]),
        actor=actor,
    )
    return locked


@transaction.atomic
def technical_review_take(*, review: TechnicalReview, actor: User) -> TechnicalReview:
    """A scientist of the beamline takes an unassigned technical review (first come)."""
    locked = TechnicalReview.objects.select_for_update().get(pk=review.pk)
    if not permissions.can_take_technical_review(actor, locked):
        raise ReviewRefused(_("This technical review is no longer free."), code="taken")
    locked.reviewer = actor
    locked.save(update_fields=["reviewer"])
    audit.record(actor=actor, action="technical_review.taken", obj=locked)
    return locked


@transaction.atomic
def technical_review_submit(
    *,
    review: TechnicalReview,
    actor: User,
    verdict: str,
    comment_to_applicant: str,
    internal_comment: str,
    recommended_units: int | None,
) -> TechnicalReview:
    """Record the verdict (feasible, with conditions, not feasible), the comments and the
    recommended beamtime. When this was the proposal's last open technical review, the proposal
    moves on: to peer review when its route's review path has peer review, else straight to the
    selection committee. A "not feasible" verdict does not reject anything by itself: it is
    shown to the committee, which decides.
    """
    # Lock the proposal first: two scientists finishing its last two reviews at once must not
    # both miss (or both make) the move to the next stage.
    Proposal.objects.select_for_update().get(pk=review.proposal_id)
    locked = (
        TechnicalReview.objects.select_for_update(of=("self",))
        .select_related("proposal")
        .get(pk=review.pk)
    )
    if not permissions.can_submit_technical_review(actor, locked):
        raise PermissionDenied
    if verdict not in TechnicalReview.Verdict.values:
        raise ReviewRefused(_("Choose a verdict."), code="verdict")
    submitted = transition(
        locked,
        TechnicalReview.Status.SUBMITTED,
        actor=actor,
        extra_updates={
            "reviewer": actor,
            "verdict": verdict,
            "comment_to_applicant": comment_to_applicant,
            "internal_comment": internal_comment,
            "recommended_units": recommended_units,
            "submitted_at": clock.now(),
        },
    )
    audit.record(actor=actor, action="technical_review.submitted", obj=submitted, verdict=verdict)
    _advance_if_complete(locked.proposal_id, actor=actor)
    return submitted


def _advance_if_complete(proposal_id: int, *, actor: Any) -> None:
    proposal = Proposal.objects.select_for_update().select_related("route").get(pk=proposal_id)
    if proposal.status != Proposal.Status.TECHNICAL_REVIEW:
        return
    if proposal.technical_reviews.filter(status=TechnicalReview.Status.OPEN).exists():
        return
    peer = proposal.route.review_path == AccessRoute.ReviewPath.PEER_AND_TECHNICAL
    transition(
        proposal,
        Proposal.Status.PEER_REVIEW if peer else Proposal.Status.COMMITTEE,
        actor=actor,
        reason="technical review complete",
    )
