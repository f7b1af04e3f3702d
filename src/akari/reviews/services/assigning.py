"""Conflicts of interest and the peer reviewer assignment (optimise, adjust, publish)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.proposals.models import Call, Proposal
from akari.reviews import conflicts, permissions, selectors, solver
from akari.reviews.models import AssignmentRun, ConflictOfInterest, ReviewAssignment
from akari.reviews.services.common import ReviewRefused, batch_key, notify_person

DEFAULT_TIME_LIMIT_SECONDS = 10.0
DEFAULT_WORKERS = 1


def time_limit() -> float:
    """``AKARI_ASSIGNMENT_TIME_LIMIT`` seconds (default 10), read at call time."""
    return float(getattr(settings, "AKARI_ASSIGNMENT_TIME_LIMIT", DEFAULT_TIME_LIMIT_SECONDS))


def workers() -> int:
    """``AKARI_ASSIGNMENT_WORKERS`` (default 1: one LP-guided CP-SAT worker, the fastest on
    this problem; 0 lets CP-SAT use every core), read at call time."""
    return int(getattr(settings, "AKARI_ASSIGNMENT_WORKERS", DEFAULT_WORKERS))


# --- Conflicts of interest ----------------------------------------------------------------------


def conflicts_detect(*, proposal_ids: Iterable[int], reviewer_ids: Iterable[int]) -> int:
    """Find and store the conflicts between these proposals and reviewers (see
    :mod:`akari.reviews.conflicts`): a reviewer on the team, at the same organisation as a team
    member, or named among the authors of a listed publication. Returns the number of new
    conflicts. Assignments of newly conflicted pairs are flagged (``conflict=True``): a draft
    one is deleted, a published one is removed, so the reviewer no longer sees the proposal.
    """
    proposal_ids = list(proposal_ids)
    reviewer_ids = list(reviewer_ids)
    if not proposal_ids or not reviewer_ids:
        return 0
    teams = selectors.team_people(proposal_ids)
    organisations = selectors.primary_organisations(
        {*reviewer_ids, *(pk for people in teams.values() for pk in people)}
    )
    publications = selectors.publication_authors(proposal_ids)
    names = {
        pk: conflicts.PersonNames(family=f, given=g, family_ja=fj, given_ja=gj)
        for pk, f, g, fj, gj in User.objects.filter(pk__in=reviewer_ids).values_list(
            "pk", "family_name", "given_name", "family_name_ja", "given_name_ja"
        )
    }
    found: list[ConflictOfInterest] = []
    for proposal_id in proposal_ids:
        team = teams.get(proposal_id, set())
        team_orgs = {organisations[pk] for pk in team if pk in organisations}
        for reviewer_id in reviewer_ids:
            if reviewer_id in team:
                found.append(
                    ConflictOfInterest(
                        proposal_id=proposal_id,
                        reviewer_id=reviewer_id,
                        source=ConflictOfInterest.Source.TEAM_MEMBER,
                    )
                )
            elif organisations.get(reviewer_id) in team_orgs:
                found.append(
                    ConflictOfInterest(
                        proposal_id=proposal_id,
                        reviewer_id=reviewer_id,
                        source=ConflictOfInterest.Source.SAME_ORGANISATION,
                    )
                )
            lines = [
                line
                for authors in publications.get(proposal_id, [])
                for line in conflicts.coauthor_lines(authors, names[reviewer_id])
            ]
            if lines:
                found.append(
                    ConflictOfInterest(
                        proposal_id=proposal_id,
                        reviewer_id=reviewer_id,
                        source=ConflictOfInterest.Source.COAUTHOR,
                        detail="\n".join(lines),
                    )
                )
    if not found:
        return 0
    before = ConflictOfInterest.objects.filter(proposal_id__in=proposal_ids).count()
    ConflictOfInterest.objects.bulk_create(found, ignore_conflicts=True)
    added = ConflictOfInterest.objects.filter(proposal_id__in=proposal_ids).count() - before
    _flag_conflicted({(c.proposal_id, c.reviewer_id) for c in found}, actor=None)
    return added


def _flag_conflicted(pairs: set[tuple[int, int]], *, actor: Any) -> None:
    if not pairs:
        return
    proposal_ids = {p for p, _r in pairs}
    rows = ReviewAssignment.objects.filter(proposal_id__in=proposal_ids, conflict=False)
    for assignment in rows:
        if (assignment.proposal_id, assignment.reviewer_id) not in pairs:
            continue
        if assignment.status == ReviewAssignment.Status.PROPOSED:
            assignment.delete()
            continue
        updates = {"conflict": True, "conflict_reason": _("Conflict of interest found.")}
        if assignment.status in ReviewAssignment.ACTIVE:
            transition(
                assignment,
                ReviewAssignment.Status.REMOVED,
                actor=actor,
                reason="conflict of interest",
                extra_updates=updates,
            )
        else:
            ReviewAssignment.objects.filter(pk=assignment.pk).update(**updates)


# --- The optimiser ------------------------------------------------------------------------------


@transaction.atomic
def assignment_optimise(*, call: Call, actor: Any) -> AssignmentRun:
    """Propose peer reviewers for every proposal of ``call`` in peer review.

    First detects conflicts between those proposals and the members of the call's panels,
    then runs :func:`akari.reviews.solver.solve` with the policy's ``reviews_per_proposal``,
    each reviewer's cap (their profile's ``max_load``, else the policy's
    ``max_per_reviewer``), the conflicts (and pairs declined or removed) vetoed, and the pins
    (staff pins and published assignments) kept. Draft assignments that are not pinned are
    replaced by the result. Returns the run with its report (status, total expertise, bound,
    proposals left short and why).
    """
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    call = Call.objects.select_for_update().select_related("policy_version").get(pk=call.pk)
    proposal_ids = list(selectors.peer_review_proposals(call).values_list("pk", flat=True))
    reviewer_ids = list(selectors.pool_reviewers(call).values_list("pk", flat=True))
    conflicts_detect(proposal_ids=proposal_ids, reviewer_ids=reviewer_ids)
    inputs = selectors.assignment_inputs(call)
    result = solver.solve(
        inputs.proposals,
        inputs.reviewers,
        inputs.forbidden,
        inputs.k,
        inputs.caps,
        inputs.pinned,
        time_limit=time_limit(),
        workers=workers(),
    )
    drafts = ReviewAssignment.objects.filter(
        proposal_id__in=proposal_ids, status=ReviewAssignment.Status.PROPOSED
    )
    existing = {(a.proposal_id, a.reviewer_id): a for a in drafts}
    stale = [a.pk for pair, a in existing.items() if pair not in result.pairs and not a.pinned]
    ReviewAssignment.objects.filter(pk__in=stale).delete()
    known = set(
        ReviewAssignment.objects.filter(proposal_id__in=proposal_ids).values_list(
            "proposal_id", "reviewer_id"
        )
    )
    ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(
                proposal_id=p, reviewer_id=r, expertise=result.scores[(p, r)], pinned=False
            )
            for p, r in sorted(result.pairs - known)
        ]
    )
    run = AssignmentRun.objects.create(
        call=call,
        started_by=actor if isinstance(actor, User) else None,
        status=result.status,
        objective=result.objective,
        bound=None if result.bound != result.bound else result.bound,  # NaN -> None
        wall_time=result.wall_time,
        reviews_per_proposal=inputs.k,
        proposals=len(inputs.proposals),
        reviewers=len(inputs.reviewers),
        shortfalls=[asdict(s) for s in result.shortfalls],
    )
    audit.record(
        actor=actor,
        action="reviews.assignment_optimised",
        obj=call,
        status=result.status,
        objective=result.objective,
        short=len(result.shortfalls),
    )
    return run


# --- Staff adjustments --------------------------------------------------------------------------


def _check_staff(actor: Any) -> None:
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied


def assignment_add(*, proposal: Proposal, reviewer: User, actor: Any) -> ReviewAssignment:
    """Staff add a reviewer to a proposal in peer review (a pinned draft, published with the
    others). Conflicts are checked on the server first and stored even when the addition is
    then refused for them."""
    _check_staff(actor)
    with transaction.atomic():
        conflicts_detect(proposal_ids=[proposal.pk], reviewer_ids=[reviewer.pk])
    with transaction.atomic():
        return _add(proposal, reviewer, actor)


def _add(proposal: Proposal, reviewer: User, actor: Any) -> ReviewAssignment:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("call", "field")
        .get(pk=proposal.pk)
    )
    if proposal.status != Proposal.Status.PEER_REVIEW:
        raise ReviewRefused(_("The proposal is not in peer review."), code="not_peer_review")
    conflict = ConflictOfInterest.objects.filter(proposal=proposal, reviewer=reviewer).first()
    if conflict is not None:
        raise ReviewRefused(
            _("%(person)s has a conflict of interest with this proposal: %(reason)s.")
            % {"person": reviewer, "reason": conflict.get_source_display()},
            code="conflict",
        )
    expertise = selectors.pair_expertise(proposal, reviewer)
    existing = ReviewAssignment.objects.filter(proposal=proposal, reviewer=reviewer).first()
    if existing is None:
        assignment = ReviewAssignment.objects.create(
            proposal=proposal, reviewer=reviewer, pinned=True, expertise=expertise
        )
    elif existing.status == ReviewAssignment.Status.REMOVED:
        assignment = transition(
            existing,
            ReviewAssignment.Status.PROPOSED,
            actor=actor,
            reason="added again",
            extra_updates={"pinned": True, "expertise": expertise, "assigned_at": None},
        )
    elif existing.status == ReviewAssignment.Status.DECLINED:
        raise ReviewRefused(_("%(person)s declined this review.") % {"person": reviewer})
    else:
        raise ReviewRefused(
            _("%(person)s is already a reviewer of this proposal.") % {"person": reviewer},
            code="duplicate",
        )
    audit.record(
        actor=actor, action="reviews.assignment_added", obj=assignment, reviewer=reviewer.pk
    )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: ReviewAssignment, actor: Any) -> None:
    """Staff take a reviewer off a proposal: a draft is deleted; a published assignment is
    marked removed (the reviewer no longer sees the proposal; a submitted score stops
    counting)."""
    _check_staff(actor)
    locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    audit.record(
        actor=actor,
        action="reviews.assignment_removed",
        obj=locked.proposal,
        reviewer=locked.reviewer_id,
        status=locked.status,
    )
    if locked.status == ReviewAssignment.Status.PROPOSED:
        locked.delete()
        return
    transition(locked, ReviewAssignment.Status.REMOVED, actor=actor, reason="removed by staff")


@transaction.atomic
def assignment_pin(*, assignment: ReviewAssignment, pinned: bool, actor: Any) -> ReviewAssignment:
    """Keep (or release) a draft assignment through later optimiser runs."""
    _check_staff(actor)
    locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status != ReviewAssignment.Status.PROPOSED:
        raise ReviewRefused(
            _("Only draft assignments can be pinned; published ones are kept anyway."),
            code="not_draft",
        )
    locked.pinned = pinned
    locked.save(update_fields=["pinned"])
    return locked


@transaction.atomic
def assignments_publish(*, call: Call, actor: Any) -> int:
    """Publish the call's draft assignments: each becomes ``assigned`` and every reviewer with
    new assignments gets one notification (``reviews.assigned``). Conflicts are checked once
    more first. Returns the number of assignments published."""
    _check_staff(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    drafts = ReviewAssignment.objects.filter(
        proposal__call=call,
        proposal__status=Proposal.Status.PEER_REVIEW,
        status=ReviewAssignment.Status.PROPOSED,
    )
    pairs = list(drafts.values_list("proposal_id", "reviewer_id"))
    conflicts_detect(proposal_ids={p for p, _r in pairs}, reviewer_ids={r for _p, r in pairs})
    now = clock.now()
    published: dict[int, list[int]] = defaultdict(list)
    for assignment in drafts.filter(conflict=False).order_by("pk"):
        transition(
            assignment,
            ReviewAssignment.Status.ASSIGNED,
            actor=actor,
            reason="published",
            extra_updates={"assigned_at": now},
        )
        published[assignment.reviewer_id].append(assignment.pk)
    people = User.objects.in_bulk(list(published))
    due = call.peer_review_due.isoformat() if call.peer_review_due else ""
    for reviewer_id, ids in published.items():
        notify_person(
            recipient=people[reviewer_id],
            kind="reviews.assigned",
            context={"call_code": call.code, "count": len(ids), "due": due},
            dedupe_key=batch_key("reviews.assigned", call.pk, reviewer_id, ids=ids),
            link=reverse("reviews:assignments"),
            actor=actor,
        )
    count = sum(len(ids) for ids in published.values())
    audit.record(actor=actor, action="reviews.assignments_published", obj=call, count=count)
    return count
