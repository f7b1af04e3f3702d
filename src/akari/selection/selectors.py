"""Reads of the selection committee: the committee table of a beamline, usage against the caps,
the waitlist, and the calls the committee works on.

These take objects the caller may see (fetched through :mod:`akari.selection.permissions`).

**Committee order** (the order of the table, of the proposed allocation and of the waitlist):

1. Proposals of routes without peer review (the programme's review path is technical and safety
   only: SPring-8 priority access and proprietary proposals). They have no score; they are
   accepted when feasible and within their caps, so they come first, in order of submission.
   This is why the programmes cap their share.
2. Peer-reviewed proposals in the order of the reviews app's ranking on the beamline
   (``beamline_ranking``: normalised mean score).
3. Anything the ranking does not list (not reviewed yet), in order of submission.

The position in this order is the committee rank shown in the table and kept on the waitlist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from akari.accounts.models import Affiliation, Organisation, User
from akari.core.i18n import localized
from akari.facility.models import Beamline
from akari.policies.models import AccessRoute
from akari.proposals.models import BeamlineRequest, Call, CallBeamline, Proposal, TeamMember
from akari.selection import ranking as ranking_source
from akari.selection import rules
from akari.selection.allocation import (
    Action,
    Candidate,
    Decided,
    Limits,
    Suggestion,
    Usage,
    allocate,
)
from akari.selection.models import WaitlistEntry

Status = Proposal.Status
DECIDED_STATUSES = (Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED)
TABLE_STATUSES = (Status.COMMITTEE, *DECIDED_STATUSES)
BEFORE_DECISION = (Status.SUBMITTED, Status.TECHNICAL_REVIEW, Status.PEER_REVIEW, Status.COMMITTEE)


# --- Calls ---------------------------------------------------------------------------------------


def committee_calls() -> QuerySet[Call]:
    """Calls past their deadline (closed, under review) or decided, newest period first."""
    return (
        Call.objects.filter(status__in=[Call.Status.CLOSED, Call.Status.DECIDED])
        .select_related("programme")
        .order_by("-period_start", "code")
    )


def call_for_committee(queryset: QuerySet[Call], pk: int) -> Call:
    return queryset.select_related("programme", "policy_version").get(pk=pk)


def offered_beamlines(call: Call) -> list[CallBeamline]:
    return list(call.offered_beamlines.select_related("beamline").order_by("beamline__code"))


def undecided_count(call: Call) -> int:
    """Submitted proposals of the call still without a decision (reviews or committee)."""
    return Proposal.objects.filter(call=call, status__in=BEFORE_DECISION).count()


# --- Groups and usage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """The "group" of the single-group cap: the PI's primary affiliation organisation."""

    key: str
    organisation: Organisation | None
    pi: User | None

    @property
    def label(self) -> str:
        if self.organisation is not None:
            return localized(self.organisation, "name")
        return self.pi.display_name if self.pi is not None else ""


def _with_group_ids(requests: QuerySet[BeamlineRequest]) -> QuerySet[BeamlineRequest]:
    """Annotate ``pi_id`` and the PI's primary ``organisation_id`` (two subqueries, no joins)."""
    pi = TeamMember.objects.filter(proposal=OuterRef("proposal"), role=TeamMember.Role.PI)
    primary = Affiliation.objects.filter(person=OuterRef("pi_id"), is_primary=True)
    return requests.annotate(
        pi_id=Subquery(pi.values("person")[:1]),
        organisation_id=Subquery(primary.values("organisation")[:1]),
    )


def requests_on(
    call: Call, beamline: Beamline | int, statuses: Iterable[str]
) -> QuerySet[BeamlineRequest]:
    """Requests on one beamline of a call's proposals in ``statuses``, with proposal, route and
    group ids."""
    return _with_group_ids(
        BeamlineRequest.objects.filter(
            proposal__call=call, beamline=beamline, proposal__status__in=list(statuses)
        ).select_related("proposal", "proposal__route")
    )


def group_key_of(request: BeamlineRequest) -> str:
    return rules.group_key(
        organisation_id=getattr(request, "organisation_id", None),
        pi_id=getattr(request, "pi_id", None),
    )


def groups_of(requests: Sequence[BeamlineRequest]) -> dict[int, Group]:
    """Proposal pk -> :class:`Group`, for requests from :func:`requests_on` (two queries)."""
    org_ids = {r.organisation_id for r in requests if getattr(r, "organisation_id", None)}  # type: ignore[attr-defined]
    pi_ids = {r.pi_id for r in requests if getattr(r, "pi_id", None)}  # type: ignore[attr-defined]
    organisations = Organisation.objects.in_bulk(org_ids) if org_ids else {}
    people = User.objects.in_bulk(pi_ids) if pi_ids else {}
    return {
        r.proposal_id: Group(
            key=group_key_of(r),
            organisation=organisations.get(getattr(r, "organisation_id", None) or 0),
            pi=people.get(getattr(r, "pi_id", None) or 0),
        )
        for r in requests
    }


def recorded_usage(
    call: Call, beamline: Beamline | int, *, exclude: Proposal | None = None
) -> Usage:
    """Units awarded on the beamline to the call's accepted proposals (optionally leaving one
    out), in total, to capped routes and per group: one query."""
    capped = rules.capped_routes(call)
    requests = requests_on(call, beamline, [Status.ACCEPTED])
    if exclude is not None:
        requests = requests.exclude(proposal=exclude)
    return Usage.of(
        (r.units_awarded or 0, r.proposal.route.code in capped, group_key_of(r)) for r in requests
    )


# --- The committee table -------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeRow:
    rank: int
    request: BeamlineRequest
    group: Group
    capped: bool
    peer_reviewed: bool
    review_rank: int | None
    mean_raw: Any
    mean_normalised: Any
    n_reviews: int
    technical_verdict: str | None
    suggestion: Suggestion

    @property
    def proposal(self) -> Proposal:
        return self.request.proposal

    @property
    def route(self) -> AccessRoute:
        return self.request.proposal.route

    @property
    def confidential(self) -> bool:
        """Proprietary: the committee table shows no title (the proposal page logs views)."""
        return self.route.result_ownership == AccessRoute.ResultOwnership.PROPRIETARY

    @property
    def decided(self) -> bool:
        return self.proposal.status != Status.COMMITTEE

    @property
    def awarded(self) -> int:
        return (self.request.units_awarded or 0) if self.proposal.status == Status.ACCEPTED else 0


@dataclass(frozen=True)
class GroupUse:
    group: Group
    recorded: int
    proposed: int


@dataclass
class CommitteeTable:
    call: Call
    offered: CallBeamline
    limits: Limits
    unit_kind: str
    capped_percent: int | None
    group_percent: int | None
    rows: list[CommitteeRow]
    recorded: Usage = field(default_factory=Usage)
    proposed: Usage = field(default_factory=Usage)

    @property
    def beamline(self) -> Beamline:
        return self.offered.beamline

    @property
    def remaining(self) -> int:
        return self.limits.available - self.recorded.total

    @property
    def undecided(self) -> list[CommitteeRow]:
        return [row for row in self.rows if not row.decided]

    @property
    def waitlist(self) -> list[CommitteeRow]:
        return [row for row in self.rows if row.proposal.status == Status.WAITLISTED]

    @property
    def groups(self) -> list[GroupUse]:
        """Groups with beamtime recorded or proposed, largest first."""
        seen: dict[str, Group] = {row.group.key: row.group for row in self.rows}
        uses = [
            GroupUse(group, self.recorded.groups.get(key, 0), self.proposed.groups.get(key, 0))
            for key, group in seen.items()
        ]
        uses = [u for u in uses if u.recorded or u.proposed]
        return sorted(uses, key=lambda u: (-u.proposed, u.group.label))


def _order_key(request: BeamlineRequest, ranked: Mapping[int, Any]) -> tuple[int, float, Any, str]:
    proposal = request.proposal
    submitted = proposal.submitted_at.timestamp() if proposal.submitted_at else 0.0
    if proposal.route.review_path != AccessRoute.ReviewPath.PEER_AND_TECHNICAL:
        return (0, submitted, 0, proposal.number or "")
    entry = ranked.get(proposal.pk)
    if entry is not None:
        return (1, float(entry.rank), 0, proposal.number or "")
    return (2, submitted, 0, proposal.number or "")


def _decided(proposal: Proposal, request: BeamlineRequest) -> Decided | None:
    if proposal.status == Status.ACCEPTED:
        return Decided(Action.AWARD, request.units_awarded or 0)
    if proposal.status == Status.WAITLISTED:
        return Decided(Action.WAITLIST)
    if proposal.status == Status.REJECTED:
        return Decided(Action.REJECT)
    return None


def committee_table(call: Call, offered: CallBeamline) -> CommitteeTable:
    """The committee table of one beamline of a call: every proposal in committee or decided
    that asked for the beamline, in committee order, with the proposed allocation, the running
    total and the caps. A fixed number of queries whatever the number of proposals."""
    beamline = offered.beamline
    ranked = {
        entry.proposal.pk: entry
        for entry in ranking_source.beamline_ranking(call=call, beamline=beamline)
    }
    requests = sorted(
        requests_on(call, beamline, TABLE_STATUSES), key=lambda r: _order_key(r, ranked)
    )
    groups = groups_of(requests)
    capped_codes = rules.capped_routes(call)
    limits = rules.limits_for(call, offered)
    candidates = []
    for request in requests:
        entry = ranked.get(request.proposal_id)
        verdict = entry.technical_verdict if entry is not None else None
        candidates.append(
            Candidate(
                key=request.proposal_id,
                units_requested=request.units_requested,
                capped=request.proposal.route.code in capped_codes,
                group=groups[request.proposal_id].key,
                feasible=verdict != ranking_source.NOT_FEASIBLE,
                decided=_decided(request.proposal, request),
            )
        )
    suggestions = allocate(candidates, limits)
    rows = []
    recorded, proposed = Usage(), Usage()
    for position, (request, candidate, suggestion) in enumerate(
        zip(requests, candidates, suggestions, strict=True), start=1
    ):
        entry = ranked.get(request.proposal_id)
        row = CommitteeRow(
            rank=position,
            request=request,
            group=groups[request.proposal_id],
            capped=candidate.capped,
            peer_reviewed=request.proposal.route.review_path
            == AccessRoute.ReviewPath.PEER_AND_TECHNICAL,
            review_rank=getattr(entry, "rank", None),
            mean_raw=getattr(entry, "mean_raw", None),
            mean_normalised=getattr(entry, "mean_normalised", None),
            n_reviews=getattr(entry, "n_reviews", 0) or 0,
            technical_verdict=getattr(entry, "technical_verdict", None),
            suggestion=suggestion,
        )
        rows.append(row)
        if row.awarded:
            recorded.add(units=row.awarded, capped=row.capped, group=row.group.key)
        if suggestion.action == Action.AWARD:
            proposed.add(units=suggestion.units, capped=row.capped, group=row.group.key)
    pack = rules.pack_of(call)
    return CommitteeTable(
        call=call,
        offered=offered,
        limits=limits,
        unit_kind=pack.time_unit.kind,
        capped_percent=pack.caps.priority_and_proprietary_max_percent,
        group_percent=pack.caps.single_group_max_percent,
        rows=rows,
        recorded=recorded,
        proposed=proposed,
    )


# --- The waitlist --------------------------------------------------------------------------------


def waitlist(call: Call, beamline: Beamline | int) -> QuerySet[WaitlistEntry]:
    """Proposals still waiting on the beamline, best rank first."""
    return (
        WaitlistEntry.objects.filter(
            call=call, beamline=beamline, proposal__status=Status.WAITLISTED
        )
        .select_related("proposal", "proposal__route")
        .order_by("rank", "pk")
    )


# --- A call's overview ---------------------------------------------------------------------------


@dataclass
class BeamlineSummary:
    offered: CallBeamline
    limits: Limits
    recorded: Usage
    waitlist: list[WaitlistEntry]

    @property
    def beamline(self) -> Beamline:
        return self.offered.beamline

    @property
    def free(self) -> int:
        return self.limits.available - self.recorded.total


def call_overview(call: Call) -> list[BeamlineSummary]:
    """Per offered beamline: beamtime available and awarded (in total and to capped routes) and
    the waitlist in rank order. Three queries whatever the number of proposals."""
    capped = rules.capped_routes(call)
    usage: dict[int, Usage] = {}
    accepted = _with_group_ids(
        BeamlineRequest.objects.filter(proposal__call=call, proposal__status=Status.ACCEPTED)
    ).select_related("proposal__route")
    for request in accepted:
        usage.setdefault(request.beamline_id, Usage()).add(
            units=request.units_awarded or 0,
            capped=request.proposal.route.code in capped,
            group=group_key_of(request),
        )
    waiting: dict[int, list[WaitlistEntry]] = {}
    entries = (
        WaitlistEntry.objects.filter(call=call, proposal__status=Status.WAITLISTED)
        .select_related("proposal")
        .order_by("beamline_id", "rank", "pk")
    )
    for entry in entries:
        waiting.setdefault(entry.beamline_id, []).append(entry)
    return [
        BeamlineSummary(
            offered=row,
            limits=rules.limits_for(call, row),
            recorded=usage.get(row.beamline_id, Usage()),
            waitlist=waiting.get(row.beamline_id, []),
        )
        for row in offered_beamlines(call)
    ]
