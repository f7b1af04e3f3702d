"""Reads of calls and proposals, with their related rows fetched up front.

Viewer scoping lives in :mod:`akari.proposals.permissions` (``visible_to``, ``get_*_for``);
these functions take an already scoped queryset or an object the caller may see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from akari.accounts.models import Affiliation
from akari.policies.models import AccessRoute, Programme
from akari.proposals.models import (
    BeamlineRequest,
    Call,
    CallBeamline,
    Proposal,
    TeamMember,
)

PROPOSAL_LIST_RELATED = ("call", "call__programme", "route", "field")


def _team_prefetch() -> Any:
    primary = Affiliation.objects.filter(is_primary=True).select_related("organisation")
    return Prefetch(
        "team",
        TeamMember.objects.select_related("person").prefetch_related(
            Prefetch("person__affiliations", primary, to_attr="primary_affiliations")
        ),
    )


def _requests_prefetch() -> Any:
    return Prefetch(
        "beamline_requests", BeamlineRequest.objects.select_related("beamline", "end_station")
    )


def proposal_for_submission(pk: int) -> Proposal:
    """A proposal with everything the submission rules read (see :mod:`.rules`)."""
    return (
        Proposal.objects.select_related("call", "call__policy_version", "route", "field")
        .prefetch_related(_requests_prefetch(), Prefetch("team", _team_queryset()))
        .get(pk=pk)
    )


def _team_queryset() -> QuerySet[TeamMember]:
    return TeamMember.objects.select_related("person")


def proposal_detail(queryset: QuerySet[Proposal], pk: int) -> Proposal:
    """One proposal of ``queryset`` (already scoped to the viewer) with all its parts."""
    return (
        queryset.select_related(
            "call",
            "call__programme",
            "call__policy_version",
            "route",
            "field",
            "copied_from",
            "created_by",
        )
        .prefetch_related(
            _team_prefetch(),
            _requests_prefetch(),
            "unavailable",
            "publications",
            "attachments",
        )
        .get(pk=pk)
    )


def my_proposals(user: Any) -> QuerySet[Proposal]:
    """Proposals where ``user`` is on the team (any role), newest first."""
    return (
        Proposal.objects.filter(team__person=user)
        .select_related(*PROPOSAL_LIST_RELATED)
        .prefetch_related(_requests_prefetch())
        .order_by("-created_at", "-pk")
        .distinct()
    )


def open_calls() -> QuerySet[Call]:
    """Calls accepting proposals now (status open), with programme, beamlines and routes."""
    return public_calls().filter(status=Call.Status.OPEN)


def public_calls() -> QuerySet[Call]:
    """Calls anyone may read about (everything but calls still in preparation)."""
    return (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .select_related("programme", "programme__facility", "policy_version")
        .prefetch_related(
            Prefetch(
                "offered_beamlines",
                CallBeamline.objects.select_related("beamline", "beamline__facility"),
            ),
            "routes",
        )
        .order_by("-period_start", "code")
    )


def staff_calls() -> QuerySet[Call]:
    """Every call with counts of its proposals (drafts excluded) and of the beamtime asked."""
    submitted = ~Q(proposals__status=Proposal.Status.DRAFT)
    return (
        Call.objects.select_related("programme", "programme__facility")
        .annotate(
            proposal_count=Count("proposals", filter=submitted, distinct=True),
            beamline_count=Count("offered_beamlines", distinct=True),
        )
        .order_by("-period_start", "code")
    )


def call_with_offer(queryset: QuerySet[Call], pk: int) -> Call:
    """One call of ``queryset`` (scoped to the viewer) with programme, policy, offered
    beamlines (and their end stations) and routes."""
    return (
        queryset.select_related("programme", "programme__facility", "policy_version")
        .prefetch_related(
            Prefetch(
                "offered_beamlines",
                CallBeamline.objects.select_related(
                    "beamline", "beamline__facility"
                ).prefetch_related("beamline__end_stations"),
            ),
            "routes",
        )
        .get(pk=pk)
    )


def call_proposals(call: Call, filters: Mapping[str, str] | None = None) -> QuerySet[Proposal]:
    """The submitted proposals of ``call`` (drafts stay private to their team) with PI,
    organisation, route, field and beamline requests; filters: status, beamline, route."""
    filters = filters or {}
    proposals = (
        Proposal.objects.filter(call=call)
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("route", "field")
        .prefetch_related(_team_prefetch(), _requests_prefetch())
        .order_by("number")
    )
    if filters.get("status"):
        proposals = proposals.filter(status=filters["status"])
    if filters.get("route"):
        proposals = proposals.filter(route__code=filters["route"])
    if filters.get("beamline"):
        proposals = proposals.filter(
            pk__in=BeamlineRequest.objects.filter(beamline__code=filters["beamline"]).values(
                "proposal_id"
            )
        )
    return proposals


def principal_investigator(proposal: Proposal) -> TeamMember | None:
    """The PI from the prefetched team (no query when the team is prefetched)."""
    return next((m for m in proposal.team.all() if m.role == TeamMember.Role.PI), None)


def organisation_name(member: TeamMember | None) -> str:
    """The member's primary organisation (from ``primary_affiliations`` when prefetched)."""
    if member is None:
        return ""
    affiliations = getattr(member.person, "primary_affiliations", None)
    if affiliations is None:
        affiliations = list(
            member.person.affiliations.filter(is_primary=True).select_related("organisation")
        )
    return str(affiliations[0].organisation) if affiliations else ""


def programmes_with_calls() -> QuerySet[Programme]:
    """Programmes with routes applied for by call or any time (not booking-only ones): the
    programmes staff can open a call for."""
    applications = [AccessRoute.Application.CALL, AccessRoute.Application.ANYTIME]
    return (
        Programme.objects.filter(versions__routes__application__in=applications)
        .distinct()
        .order_by("order", "code")
    )
