"""Scores and rankings: the committee's ranked list per beamline, and the user office's summary
of one proposal's reviews (see :mod:`akari.reviews.scoring` for the normalisation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from akari.facility.models import Beamline
from akari.policies.schema import PeerReview
from akari.proposals.models import Call, Proposal
from akari.reviews import scoring
from akari.reviews.models import ConflictOfInterest, Review, ReviewAssignment, TechnicalReview

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
