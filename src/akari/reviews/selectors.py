"""Reads of the reviews app, with their related rows loaded up front (fixed query counts).

For the selection app: :func:`beamline_ranking` (the ranked list the committee works from).
Scoping to the viewer is :mod:`akari.reviews.permissions`' job; these functions take querysets
or objects that were already scoped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from akari.accounts.models import Affiliation, User
from akari.facility.models import Beamline
from akari.policies.schema import PeerReview
from akari.proposals.models import Call, Proposal, RelatedPublication, TeamMember
from akari.reviews import scoring, solver
from akari.reviews.models import (
    AssignmentRun,
    BeamlineReviewer,
    ConflictOfInterest,
    Panel,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    TechnicalReview,
)

# Proposals that take part in the ranking: reviewed, still in the running or decided.
RANKED_STATUSES = (
    Proposal.Status.PEER_REVIEW,
    Proposal.Status.COMMITTEE,
    Proposal.Status.ACCEPTED,
    Proposal.Status.WAITLISTED,
    Proposal.Status.REJECTED,
)


def peer_review_policy(call: Call) -> PeerReview:
    return call.policy_version.pack.peer_review


# --- Ranking (for the selection committee) ------------------------------------------------------


@dataclass(frozen=True)
class RankedProposal:
    """One row of a beamline's ranking.

    ``mean_raw`` is on the programme's scale; ``mean_normalised`` is the mean of the reviewers'
    z-scores (higher is better whatever the scale); both are ``None`` without scores.
    ``technical_verdict`` is this beamline's verdict (``""`` while the technical review is
    open). ``rank`` is 1, 2, 3 ... with no ties.
    """

    proposal: Proposal
    mean_raw: float | None
    mean_normalised: float | None
    rank: int
    n_reviews: int
    technical_verdict: str

    @property
    def technical_verdict_label(self) -> str:
        if not self.technical_verdict:
            return ""
        return str(TechnicalReview.Verdict(self.technical_verdict).label)


def call_scores(call: Call) -> list[scoring.Score]:
    """Every counted peer review score of the call (submitted, not conflicted)."""
    rows = Review.objects.filter(
        assignment__proposal__call=call,
        assignment__status=ReviewAssignment.Status.SUBMITTED,
        assignment__conflict=False,
    ).values_list("assignment__proposal_id", "assignment__reviewer_id", "score")
    return [scoring.Score(proposal=p, reviewer=r, score=s) for p, r, s in rows]


def beamline_ranking(
    *, call: Call, beamline: Beamline, proposals: QuerySet[Proposal] | None = None
) -> list[RankedProposal]:
    """The proposals of ``call`` that request ``beamline``, best first (see
    :mod:`akari.reviews.scoring` for the normalisation and the order).

    Included: proposals in peer review, at the committee, or decided (accepted, waitlisted,
    rejected); withdrawn proposals are left out. Scores are normalised per reviewer over the
    whole call (all beamlines). Proposals without scores (their route skips peer review, or no
    review came in) follow the scored ones, by technical verdict then submission time.

    ``proposals`` may be a queryset of the call's proposals with the caller's own
    ``select_related``/``prefetch_related``; it is filtered here. Four queries in all.
    """
    base = proposals if proposals is not None else Proposal.objects.select_related("route")
    rows = list(
        base.filter(
            call=call, status__in=RANKED_STATUSES, beamline_requests__beamline=beamline
        ).distinct()
    )
    higher_is_better = peer_review_policy(call).higher_is_better
    scores = call_scores(call)
    normalised = scoring.normalise(scores, higher_is_better=higher_is_better)
    ids = {p.pk for p in rows}
    stats = scoring.means([s for s in scores if s.proposal in ids], normalised)
    verdicts = dict(
        TechnicalReview.objects.filter(
            proposal__call=call, beamline=beamline, status=TechnicalReview.Status.SUBMITTED
        ).values_list("proposal_id", "verdict")
    )
    raw_sign = 1.0 if higher_is_better else -1.0

    def scored_key(p: Proposal) -> tuple[float, float, str]:
        raw, norm, _n = stats[p.pk]
        return (-norm, -raw_sign * raw, p.number or "")

    def unscored_key(p: Proposal) -> tuple[int, Any, str]:
        return (scoring.verdict_rank(verdicts.get(p.pk)), p.submitted_at, p.number or "")

    scored = sorted((p for p in rows if p.pk in stats), key=scored_key)
    unscored = sorted((p for p in rows if p.pk not in stats), key=unscored_key)
    ranking = []
    for rank, proposal in enumerate([*scored, *unscored], start=1):
        raw, norm, n = stats.get(proposal.pk, (None, None, 0))
        ranking.append(
            RankedProposal(
                proposal=proposal,
                mean_raw=raw,
                mean_normalised=norm,
                rank=rank,
                n_reviews=n,
                technical_verdict=verdicts.get(proposal.pk, ""),
            )
        )
    return ranking


# --- User office overview ----------------------------------------------------------------------


def review_calls() -> QuerySet[Call]:
    """Calls past preparation, with their proposals counted by review stage."""

    def stage(status: str) -> Count:
        return Count("proposals", filter=Q(proposals__status=status), distinct=True)

    return (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .select_related("programme")
        .annotate(
            n_submitted=stage(Proposal.Status.SUBMITTED),
            n_technical=stage(Proposal.Status.TECHNICAL_REVIEW),
            n_peer=stage(Proposal.Status.PEER_REVIEW),
            n_committee=stage(Proposal.Status.COMMITTEE),
        )
        .order_by("-period_start", "code")
    )


def call_technical_reviews(call: Call) -> QuerySet[TechnicalReview]:
    return technical_review_list(TechnicalReview.objects.filter(proposal__call=call))


# --- Technical review ---------------------------------------------------------------------------


def technical_review_list(queryset: QuerySet[TechnicalReview]) -> QuerySet[TechnicalReview]:
    return queryset.select_related(
        "proposal", "proposal__call", "proposal__route", "beamline", "reviewer"
    ).order_by("proposal__call__code", "proposal__number", "beamline__code")


def technical_review_detail(queryset: QuerySet[TechnicalReview], pk: int) -> TechnicalReview:
    return (
        technical_review_list(queryset)
        .select_related("proposal__field", "proposal__call__policy_version")
        .prefetch_related(*_proposal_content_prefetch("proposal__"))
        .get(pk=pk)
    )


def beamline_scientists(beamline_ids: Iterable[int]) -> dict[int, list[User]]:
    """beamline id -> its technical reviewers (beamline scientists)."""
    result: dict[int, list[User]] = defaultdict(list)
    links = BeamlineReviewer.objects.filter(beamline_id__in=list(beamline_ids)).select_related(
        "person"
    )
    for link in links.order_by("person__family_name", "person__given_name", "person_id"):
        result[link.beamline_id].append(link.person)
    return result


def _proposal_content_prefetch(prefix: str = "") -> list[Any]:
    return [
        Prefetch(
            f"{prefix}team",
            queryset=TeamMember.objects.select_related("person").order_by("role", "pk"),
        ),
        Prefetch(f"{prefix}beamline_requests"),
        Prefetch(f"{prefix}publications"),
    ]


# --- Peer review: reviewers ---------------------------------------------------------------------


def assignment_list(queryset: QuerySet[ReviewAssignment]) -> QuerySet[ReviewAssignment]:
    return queryset.select_related(
        "proposal", "proposal__call", "proposal__route", "proposal__field", "review"
    ).order_by("proposal__call__code", "proposal__number")


def assignment_detail(queryset: QuerySet[ReviewAssignment], pk: int) -> ReviewAssignment:
    return (
        assignment_list(queryset)
        .select_related("proposal__call__policy_version")
        .prefetch_related(*_proposal_content_prefetch("proposal__"))
        .get(pk=pk)
    )


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


@dataclass(frozen=True)
class ProposalReviews:
    """Everything the reviews say about one proposal, for the user office."""

    proposal: Proposal
    technical: list[TechnicalReview]
    peer: list[tuple[ReviewAssignment, float | None]]  # with the z-score of a counted score
    conflicts: list[ConflictOfInterest]


def proposal_reviews(proposal: Proposal) -> ProposalReviews:
    technical = list(
        TechnicalReview.objects.filter(proposal=proposal)
        .select_related("beamline", "reviewer")
        .order_by("beamline__code")
    )
    assignments = list(
        ReviewAssignment.objects.filter(proposal=proposal)
        .exclude(status=ReviewAssignment.Status.PROPOSED)
        .select_related("reviewer", "review")
        .order_by("reviewer__family_name", "reviewer__given_name", "pk")
    )
    z = scoring.normalise(
        call_scores(proposal.call),
        higher_is_better=peer_review_policy(proposal.call).higher_is_better,
    )
    peer = [(a, z.get((proposal.pk, a.reviewer_id))) for a in assignments]
    conflicts = list(
        ConflictOfInterest.objects.filter(proposal=proposal)
        .select_related("reviewer")
        .order_by("reviewer__family_name", "source")
    )
    return ProposalReviews(proposal, technical, peer, conflicts)


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
