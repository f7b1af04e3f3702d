"""The list and detail pages' reads: calls under review, technical reviews, a reviewer's
assignments (viewer scoping is :mod:`akari.reviews.permissions`' job)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from akari.accounts.models import User
from akari.proposals.models import Call, Proposal, TeamMember
from akari.reviews.models import BeamlineReviewer, ReviewAssignment, TechnicalReview

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
