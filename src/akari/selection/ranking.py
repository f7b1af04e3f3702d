"""What the committee reads from the reviews app (only here, so tests may stand in for it).

* ``beamline_ranking(call=, beamline=)``: one row per proposal on the beamline, best first, each
  with ``proposal``, ``mean_raw``, ``mean_normalised``, ``rank``, ``n_reviews`` and
  ``technical_verdict``.
* ``comments_to_applicant(proposals)``: (proposal pk, beamline code, comment) of the submitted
  technical reviews' comments meant for the applicant (for letters of proposals not accepted).

Selection never writes review data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from akari.facility.models import Beamline
from akari.proposals.models import Call, Proposal

# The technical-review verdict that makes the committee suggest rejection.
NOT_FEASIBLE = "not_feasible"


class RankedProposal(Protocol):
    @property
    def proposal(self) -> Proposal: ...
    @property
    def mean_raw(self) -> Any: ...
    @property
    def mean_normalised(self) -> Any: ...
    @property
    def rank(self) -> int: ...
    @property
    def n_reviews(self) -> int: ...
    @property
    def technical_verdict(self) -> str | None: ...


def beamline_ranking(*, call: Call, beamline: Beamline) -> Sequence[RankedProposal]:
    from akari.reviews.selectors import beamline_ranking as ranking

    return ranking(call=call, beamline=beamline)


def comments_to_applicant(proposals: Sequence[Proposal]) -> Iterable[tuple[int, str, str]]:
    """Submitted technical reviews' comments meant for the applicant (never the internal
    comment)."""
    from akari.reviews.models import TechnicalReview

    return (
        TechnicalReview.objects.filter(
            proposal__in=[p.pk for p in proposals], status=TechnicalReview.Status.SUBMITTED
        )
        .exclude(comment_to_applicant="")
        .order_by("proposal_id", "beamline__code")
        .values_list("proposal_id", "beamline__code", "comment_to_applicant")
    )
