"""Reads for the reviewer assignment: panels, the optimiser's inputs as plain data, the staff
board, and the inputs of conflict detection."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from akari.accounts.models import Affiliation, User
from akari.proposals.models import Call, Proposal, RelatedPublication, TeamMember
from akari.reviews import solver
from akari.reviews.models import (
    AssignmentRun,
    ConflictOfInterest,
    Panel,
    ReviewAssignment,
    ReviewerProfile,
)
from akari.reviews.selectors.ranking import peer_review_policy

# --- Peer review: staff -------------------------------------------------------------------------


def panels_for(call: Call) -> QuerySet[Panel]:
    """The panels serving ``call``: its own, and its programme's standing panels."""
    return Panel.objects.filter(Q(call=call) | Q(call__isnull=True, programme_id=call.programme_id))


def peer_review_proposals(call: Call) -> QuerySet[Proposal]:
    return Proposal.objects.filter(call=call, status=Proposal.Status.PEER_REVIEW)


@dataclass(frozen=True)
class AssignmentInputs:
    """Everything the optimiser needs for a call, as plain data."""

    proposals: list[solver.ProposalItem]
    reviewers: list[solver.ReviewerItem]
    forbidden: set[solver.Pair]
    caps: dict[int, int]
    pinned: set[solver.Pair]
    k: int


def assignment_inputs(call: Call) -> AssignmentInputs:
    """Proposals in peer review, the panels' reviewers with their expertise and caps, the
    conflicts (and pairs declined or removed: never proposed again), and the pins (staff pins
    and assignments already published)."""
    policy = peer_review_policy(call)
    panels = list(panels_for(call).prefetch_related("research_fields", "members"))
    pool: dict[int, User] = {}
    by_field: dict[str, set[int]] = defaultdict(set)
    panel_fields: dict[int, set[str]] = defaultdict(set)
    for panel in panels:
        codes = {f.code for f in panel.research_fields.all()}
        for member in panel.members.all():
            pool[member.pk] = member
            panel_fields[member.pk] |= codes
            for code in codes:
                by_field[code].add(member.pk)
    profiles = {
        p.user_id: p
        for p in ReviewerProfile.objects.filter(user_id__in=list(pool)).prefetch_related(
            "research_fields"
        )
    }
    reviewers = []
    caps = {}
    for pk, person in sorted(pool.items()):
        profile = profiles.get(pk)
        fields = (
            {f.code for f in profile.research_fields.all()}
            if profile is not None and profile.research_fields.all()
            else panel_fields[pk]
        )
        words = [*profile.keywords_ja, *profile.keywords_en] if profile is not None else []
        reviewers.append(
            solver.ReviewerItem(
                id=pk,
                label=person.display_name,
                fields=frozenset(fields),
                keywords=solver.keyword_set(words),
            )
        )
        cap = profile.max_load if profile is not None else None
        caps[pk] = cap if cap is not None else policy.max_per_reviewer
    items = []
    for proposal in peer_review_proposals(call).select_related("field").order_by("number"):
        field_code = proposal.field.code if proposal.field is not None else None
        candidates = by_field.get(field_code) if field_code is not None else None
        items.append(
            solver.ProposalItem(
                id=proposal.pk,
                label=proposal.number or str(proposal.pk),
                field=field_code,
                keywords=solver.keyword_set(proposal.keywords or []),
                candidates=frozenset(candidates) if candidates else None,
            )
        )
    ids = [p.id for p in items]
    forbidden = set(
        ConflictOfInterest.objects.filter(proposal_id__in=ids).values_list(
            "proposal_id", "reviewer_id"
        )
    )
    existing = ReviewAssignment.objects.filter(proposal_id__in=ids).values_list(
        "proposal_id", "reviewer_id", "status", "pinned", "conflict"
    )
    pinned = set()
    for p, r, status, is_pinned, conflict in existing:
        if conflict or status in (
            ReviewAssignment.Status.DECLINED,
            ReviewAssignment.Status.REMOVED,
        ):
            forbidden.add((p, r))
        elif status in ReviewAssignment.ACTIVE or is_pinned:
            pinned.add((p, r))
    return AssignmentInputs(
        proposals=items,
        reviewers=reviewers,
        forbidden=forbidden,
        caps=caps,
        pinned=pinned,
        k=policy.reviews_per_proposal,
    )


def pair_expertise(proposal: Proposal, reviewer: User) -> int:
    """The optimiser's expertise score for one pair (staff additions show it too)."""
    profile = ReviewerProfile.objects.filter(user=reviewer).first()
    if profile is not None:
        fields = {f.code for f in profile.research_fields.all()}
        words = [*profile.keywords_ja, *profile.keywords_en]
    else:
        fields, words = set(), []
    if not fields:
        # As for the optimiser: without profile fields, the fields of the call's panels.
        fields = {
            code
            for code in panels_for(proposal.call)
            .filter(members=reviewer)
            .values_list("research_fields__code", flat=True)
            if code
        }
    return solver.expertise(
        solver.ProposalItem(
            id=proposal.pk,
            field=proposal.field.code if proposal.field is not None else None,
            keywords=solver.keyword_set(proposal.keywords or []),
        ),
        solver.ReviewerItem(
            id=reviewer.pk, fields=frozenset(fields), keywords=solver.keyword_set(words)
        ),
    )


def assignment_board(call: Call) -> QuerySet[Proposal]:
    """The call's proposals in peer review with their assignments (reviewers loaded) and the
    number of conflicts found; for the staff board."""
    return (
        peer_review_proposals(call)
        .select_related("field", "route")
        .prefetch_related(
            Prefetch(
                "review_assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer", "review").order_by(
                    "reviewer__family_name", "reviewer__given_name", "pk"
                ),
            )
        )
        .annotate(conflict_count=Count("conflicts", distinct=True))
        .order_by("number")
    )


def latest_run(call: Call) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(call=call).order_by("-created_at", "-pk").first()


def call_conflicts(call: Call) -> QuerySet[ConflictOfInterest]:
    return (
        ConflictOfInterest.objects.filter(proposal__call=call)
        .select_related("proposal", "reviewer")
        .order_by("proposal__number", "reviewer__family_name", "source")
    )


def pool_reviewers(call: Call) -> QuerySet[User]:
    """The members of the call's panels (for the staff "add a reviewer" choice)."""
    return (
        User.objects.filter(review_panels__in=panels_for(call).values("pk"))
        .distinct()
        .order_by("family_name", "given_name", "email")
    )


# --- Conflict detection inputs -------------------------------------------------------------------


def primary_organisations(user_ids: Iterable[int]) -> dict[int, int]:
    """person id -> organisation id of their primary affiliation."""
    return dict(
        Affiliation.objects.filter(person_id__in=list(user_ids), is_primary=True).values_list(
            "person_id", "organisation_id"
        )
    )


def team_people(proposal_ids: Iterable[int]) -> dict[int, set[int]]:
    result: dict[int, set[int]] = defaultdict(set)
    for proposal_id, person_id in TeamMember.objects.filter(
        proposal_id__in=list(proposal_ids)
    ).values_list("proposal_id", "person_id"):
        result[proposal_id].add(person_id)
    return result


def publication_authors(proposal_ids: Iterable[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    for proposal_id, authors in RelatedPublication.objects.filter(
        proposal_id__in=list(proposal_ids)
    ).values_list("proposal_id", "authors"):
        result[proposal_id].append(authors)
    return result
