"""Reads of the reviews app, with their related rows loaded up front (fixed query counts).

For the selection app: :func:`beamline_ranking` (the ranked list the committee works from) and
:class:`RankedProposal`. Scoping to the viewer is :mod:`akari.reviews.permissions`' job; these
functions take querysets or objects that were already scoped.
"""

from akari.reviews.selectors.assignment import (
    AssignmentInputs,
    assignment_board,
    assignment_inputs,
    call_conflicts,
    latest_run,
    pair_expertise,
    panels_for,
    peer_review_proposals,
    pool_reviewers,
    primary_organisations,
    publication_authors,
    team_people,
)
from akari.reviews.selectors.lists import (
    assignment_detail,
    assignment_list,
    beamline_scientists,
    call_technical_reviews,
    review_calls,
    technical_review_detail,
    technical_review_list,
)
from akari.reviews.selectors.ranking import (
    RANKED_STATUSES,
    ProposalReviews,
    RankedProposal,
    beamline_ranking,
    call_scores,
    peer_review_policy,
    proposal_reviews,
)

__all__ = [
    "RANKED_STATUSES",
    "AssignmentInputs",
    "ProposalReviews",
    "RankedProposal",
    "assignment_board",
    "assignment_detail",
    "assignment_inputs",
    "assignment_list",
    "beamline_ranking",
    "beamline_scientists",
    "call_conflicts",
    "call_scores",
    "call_technical_reviews",
    "latest_run",
    "pair_expertise",
    "panels_for",
    "peer_review_policy",
    "peer_review_proposals",
    "pool_reviewers",
    "primary_organisations",
    "proposal_reviews",
    "publication_authors",
    "review_calls",
    "team_people",
    "technical_review_detail",
    "technical_review_list",
]
