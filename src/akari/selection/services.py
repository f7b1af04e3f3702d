"""Every write of the selection committee.

* :func:`decision_record`: one proposal's decision (accepted with beamtime per beamline,
  waitlisted or rejected), refused when it breaks a cap or the beamtime available.
* :func:`decisions_adopt`: record the proposed allocation for every proposal still undecided.
* :func:`decisions_publish`: close the call's selection (closed -> decided) and send the
  decision letters.
* :func:`waitlist_fill`: offer freed beamtime to waitlisted proposals in rank order.

Concurrent decisions on one beamline are serialised by locking the call's ``CallBeamline``
rows (``SELECT ... FOR UPDATE``) before the caps are checked, so two staff members can never
together award more than a cap allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akari.accounts.models import User
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.facility.models import Beamline
from akari.notifications.services import notify
from akari.proposals.models import BeamlineRequest, Call, CallBeamline, Proposal, TeamMember
from akari.proposals.services import call_decide
from akari.selection import letters, rules, selectors
from akari.selection.allocation import Action, Breach, Candidate, allocate, breaches
from akari.selection.models import WaitlistEntry
from akari.selection.text import breach_message

Status = Proposal.Status
OUTCOMES = (Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED)


def _lock_offered(call: Call, beamline_ids: Sequence[int]) -> dict[int, CallBeamline]:
    """Lock the call's offered beamlines (in a fixed order, so no deadlock) and return them."""
    rows = (
        CallBeamline.objects.select_for_update()
        .filter(call=call, beamline_id__in=sorted(set(beamline_ids)))
        .select_related("beamline")
        .order_by("beamline_id")
    )
    return {row.beamline_id: row for row in rows}


def _check_award(
    *, call: Call, offered: CallBeamline, request: BeamlineRequest, units: int, proposal: Proposal
) -> list[str]:
    """Messages for every cap or limit the award would break (empty when allowed)."""
    limits = rules.limits_for(call, offered)
    usage = selectors.recorded_usage(call, offered.beamline_id, exclude=proposal)
    annotated = selectors.requests_on(call, offered.beamline_id, list(Status)).get(pk=request.pk)
    group = selectors.groups_of([annotated])[proposal.pk]
    capped = proposal.route.code in rules.capped_routes(call)
    found = breaches(
        limits,
        usage,
        units=units,
        requested=request.units_requested,
        capped=capped,
        group=group.key,
    )
    pack = rules.pack_of(call)
    used = {
        Breach.CAPPED_SHARE: usage.capped,
        Breach.GROUP_SHARE: usage.groups.get(group.key, 0),
    }
    return [
        breach_message(
            breach,
            beamline=offered.beamline.code,
            units_asked=units,
            requested=request.units_requested,
            limits=limits,
            used=used.get(breach, usage.total),
            kind=pack.time_unit.kind,
            capped_percent=pack.caps.priority_and_proprietary_max_percent,
            group_percent=pack.caps.single_group_max_percent,
            group=group.label,
        )
        for breach in found
    ]


def _awards_by_beamline(awarded: Mapping[Beamline | int, int] | None) -> dict[int, int]:
    result: dict[int, int] = {}
    for beamline, units in (awarded or {}).items():
        key = beamline if isinstance(beamline, int) else beamline.pk
        result[key] = int(units)
    return result


# Decisions the committee may still correct while the call's decisions are unpublished.
CORRECTABLE = {Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED}


def _reopen(proposal: Proposal, *, actor: User | None) -> None:
    """Put a decided proposal back before the committee (its awards and waitlist places go),
    inside the caller's transaction: if the new decision is refused, the old one stands."""
    transition(
        proposal,
        Status.COMMITTEE,
        actor=actor,
        reason=str(_("Decision corrected before publication")),
        extra_updates={"decided_at": None},
    )
    BeamlineRequest.objects.filter(proposal=proposal).update(units_awarded=None)
    WaitlistEntry.objects.filter(proposal=proposal).delete()


@transaction.atomic
def decision_record(
    *,
    proposal: Proposal,
    outcome: str,
    awarded: Mapping[Beamline | int, int] | None = None,
    actor: User | None,
    reason: str = "",
    ranks: Mapping[int, int] | None = None,
) -> Proposal:
    """Record the committee's decision on a proposal in committee.

    ``outcome`` is accepted, waitlisted or rejected. For accepted, ``awarded`` gives the units
    per beamline (beamline or its pk -> units; beamlines left out get none; at least one must
    get some); each award is checked against the beamtime still available and the policy caps
    and refused with a message naming the cap. Waitlisted and rejected proposals are awarded
    nothing; a waitlisted one is put on the waitlist of the beamlines of ``ranks`` (beamline pk
    -> committee rank) or, when not given, of every beamline it asked for at its rank in that
    beamline's committee table. Raises ``ValidationError`` (and writes nothing) when the
    decision is not allowed.
    """
    if outcome not in OUTCOMES:
        raise ValidationError(_("Choose accepted, waitlisted or rejected."), code="outcome")
    given = proposal
    proposal = Proposal.objects.select_related("call", "call__policy_version", "route").get(
        pk=given.pk
    )
    call = proposal.call
    if proposal.status in CORRECTABLE and call.status != Call.Status.DECIDED:
        _reopen(proposal, actor=actor)
    requests = {r.beamline_id: r for r in proposal.beamline_requests.select_related("beamline")}
    awards = _awards_by_beamline(awarded)
    offered = _lock_offered(call, list(requests))
    unknown = set(awards) - set(requests)
    if unknown:
        raise ValidationError(
            _("Beamtime can only be awarded on the beamlines the proposal asked for."),
            code="beamline",
        )
    if outcome == Status.ACCEPTED:
        if not any(units > 0 for units in awards.values()):
            raise ValidationError(
                _("An accepted proposal is awarded beamtime on at least one beamline."),
                code="no_award",
            )
        problems: list[str] = []
        for beamline_id, units in awards.items():
            if units == 0:
                continue
            if beamline_id not in offered:
                problems.append(
                    _("%(beamline)s is not offered in this call.")
                    % {"beamline": requests[beamline_id].beamline.code}
                )
                continue
            problems += _check_award(
                call=call,
                offered=offered[beamline_id],
                request=requests[beamline_id],
                units=units,
                proposal=proposal,
            )
        if problems:
            raise ValidationError(problems, code="cap")
    elif any(awards.values()):
        raise ValidationError(
            _("Only an accepted proposal is awarded beamtime."), code="award_not_accepted"
        )
    if outcome == Status.WAITLISTED and not rules.keeps_waitlist(call):
        raise ValidationError(
            _("This programme keeps no waitlist: accept or reject the proposal."),
            code="no_waitlist",
        )
    transition(
        proposal, outcome, actor=actor, reason=reason, extra_updates={"decided_at": clock.now()}
    )
    for beamline_id, request in requests.items():
        request.units_awarded = awards.get(beamline_id, 0) if outcome == Status.ACCEPTED else 0
    BeamlineRequest.objects.bulk_update(list(requests.values()), ["units_awarded"])
    if outcome == Status.WAITLISTED:
        _waitlist(proposal, [offered[b] for b in requests if b in offered], ranks)
    audit.record(
        actor=actor,
        action="selection.decided",
        obj=proposal,
        outcome=str(outcome),
        awarded={r.beamline.code: r.units_awarded for r in requests.values()},
        reason=reason,
    )
    given.status, given.decided_at = proposal.status, proposal.decided_at
    return proposal


def _waitlist(
    proposal: Proposal, offered: Sequence[CallBeamline], ranks: Mapping[int, int] | None
) -> None:
    """Entries on the beamlines of ``ranks`` at those ranks; without ``ranks``, on every
    offered beamline the proposal asked for, at its rank in that beamline's committee table."""
    for row in offered:
        if ranks is not None:
            if row.beamline_id not in ranks:
                continue
            rank = ranks[row.beamline_id]
        else:
            table = selectors.committee_table(proposal.call, row)
            rank = next(r.rank for r in table.rows if r.proposal.pk == proposal.pk)
        WaitlistEntry.objects.update_or_create(
            proposal=proposal,
            beamline_id=row.beamline_id,
            defaults={"call": proposal.call, "rank": rank},
        )


def decision_override(
    *,
    proposal: Proposal,
    beamline: Beamline,
    outcome: str,
    units: int,
    actor: User | None,
    reason: str = "",
) -> Proposal:
    """The committee's decision from one row of a beamline's table: ``units`` on ``beamline``
    when accepted; on the proposal's other beamlines (if it asked for several) the proposed
    allocation of their own tables. Checked like every decision (:func:`decision_record`)."""
    awarded: dict[Beamline | int, int] | None = None
    if outcome == Status.ACCEPTED:
        awarded = {beamline.pk: units}
        others = set(
            proposal.beamline_requests.exclude(beamline=beamline).values_list(
                "beamline_id", flat=True
            )
        )
        for row in selectors.offered_beamlines(proposal.call):
            if row.beamline_id not in others:
                continue
            table = selectors.committee_table(proposal.call, row)
            line = next((r for r in table.undecided if r.proposal.pk == proposal.pk), None)
            if line is not None and line.suggestion.action == Action.AWARD:
                awarded[row.beamline_id] = line.suggestion.units
    return decision_record(
        proposal=proposal, outcome=outcome, awarded=awarded, actor=actor, reason=reason
    )


@dataclass(frozen=True)
class Adopted:
    accepted: int
    waitlisted: int
    rejected: int


def decisions_adopt(*, call: Call, actor: User | None) -> Adopted:
    """Record the proposed allocation (the committee table's suggestions, every beamline) for
    every proposal of the call still in committee, best rank first. A proposal awarded beamtime
    on any beamline is accepted with those awards; else waitlisted when any beamline
    waitlists it; else rejected."""
    with transaction.atomic():
        offered = selectors.offered_beamlines(call)
        _lock_offered(call, [row.beamline_id for row in offered])
        awards: dict[int, dict[Beamline | int, int]] = defaultdict(dict)
        waits: dict[int, dict[int, int]] = defaultdict(dict)
        order: dict[int, int] = {}
        proposals: dict[int, Proposal] = {}
        for row in offered:
            table = selectors.committee_table(call, row)
            for line in table.undecided:
                pk = line.proposal.pk
                proposals[pk] = line.proposal
                order[pk] = min(order.get(pk, line.rank), line.rank)
                if line.suggestion.action == Action.AWARD:
                    awards[pk][row.beamline_id] = line.suggestion.units
                elif line.suggestion.action == Action.WAITLIST:
                    waits[pk][row.beamline_id] = line.rank
        counts = {Status.ACCEPTED: 0, Status.WAITLISTED: 0, Status.REJECTED: 0}
        reason = _("Proposed allocation adopted by the committee.")
        for pk in sorted(proposals, key=lambda key: order[key]):
            if awards[pk]:
                outcome = Status.ACCEPTED
            elif waits[pk]:
                outcome = Status.WAITLISTED
            else:
                outcome = Status.REJECTED
            decision_record(
                proposal=proposals[pk],
                outcome=outcome,
                awarded=awards[pk] if outcome == Status.ACCEPTED else None,
                actor=actor,
                reason=reason,
                ranks=waits[pk],
            )
            counts[outcome] += 1
        return Adopted(
            accepted=counts[Status.ACCEPTED],
            waitlisted=counts[Status.WAITLISTED],
            rejected=counts[Status.REJECTED],
        )


@transaction.atomic
def decisions_publish(*, call: Call, actor: User | None) -> int:
    """Close the selection of a call (closed -> decided) once every submitted proposal is
    decided, and send each team member of each decided proposal the decision letter in their
    language. Returns the number of letters."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    waiting = selectors.undecided_count(call)
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)s proposal of this call has no decision yet.",
                "%(count)s proposals of this call have no decision yet.",
                waiting,
            )
            % {"count": waiting},
            code="undecided",
        )
    call_decide(call=call, actor=actor)
    decided = list(
        Proposal.objects.filter(call=call, status__in=OUTCOMES)
        .select_related("call", "call__programme", "call__policy_version", "route")
        .prefetch_related("beamline_requests__beamline", "team__person")
        .order_by("number")
    )
    comments = letters.technical_comments(decided)
    sent = 0
    for proposal in decided:
        context = letters.decision_context(proposal, comments.get(proposal.pk, []))
        for member in proposal.team.all():
            notify(
                recipient=member.person,
                kind="selection.decision",
                context=context,
                dedupe_key=f"selection.decision:{proposal.pk}",
                link=letters.proposal_link(proposal),
                actor=actor,
            )
            sent += 1
    audit.record(actor=actor, action="selection.published", obj=call, letters=sent)
    return sent


def _promote(
    proposal: Proposal, awards: Mapping[int, int], *, actor: User | None, call: Call
) -> None:
    reason = _("Freed beamtime offered to the waitlist.")
    requests = {r.beamline_id: r for r in proposal.beamline_requests.select_related("beamline")}
    offered = {row.beamline_id: row for row in selectors.offered_beamlines(call)}
    for beamline_id, units in awards.items():
        problems = _check_award(
            call=call,
            offered=offered[beamline_id],
            request=requests[beamline_id],
            units=units,
            proposal=proposal,
        )
        if problems:  # pragma: no cover - the allocation already respects every limit
            raise ValidationError(problems, code="cap")
    transition(
        proposal,
        Status.ACCEPTED,
        actor=actor,
        reason=reason,
        extra_updates={"decided_at": clock.now()},
    )
    for beamline_id, request in requests.items():
        request.units_awarded = awards.get(beamline_id, 0)
    BeamlineRequest.objects.bulk_update(list(requests.values()), ["units_awarded"])
    audit.record(
        actor=actor,
        action="selection.promoted",
        obj=proposal,
        awarded={r.beamline.code: r.units_awarded for r in requests.values()},
    )
    context = letters.decision_context(proposal, [])
    for member in TeamMember.objects.filter(proposal=proposal).select_related("person"):
        notify(
            recipient=member.person,
            kind="selection.promoted",
            context=context,
            dedupe_key=f"selection.promoted:{proposal.pk}",
            link=letters.proposal_link(proposal),
            actor=actor,
        )


@transaction.atomic
def waitlist_fill(*, call: Call, actor: User | None = None) -> list[Proposal]:
    """Offer the beamtime that is free on each beamline of a decided call (available minus what
    accepted proposals hold, e.g. after a withdrawal) to its waitlist, in rank order: each
    waitlisted proposal gets its request, or the largest part that fits the beamtime and the
    caps, else keeps waiting. Promoted proposals are accepted and their team told.
    Idempotent: once nothing is free or nothing fits, running again promotes nothing."""
    call = Call.objects.select_related("programme", "policy_version").get(pk=call.pk)
    if call.status != Call.Status.DECIDED or not rules.keeps_waitlist(call):
        return []
    offered = selectors.offered_beamlines(call)
    _lock_offered(call, [row.beamline_id for row in offered])
    capped_codes = rules.capped_routes(call)
    awards: dict[int, dict[int, int]] = defaultdict(dict)
    best: dict[int, int] = {}
    proposals: dict[int, Proposal] = {}
    for row in offered:
        usage = selectors.recorded_usage(call, row.beamline_id)
        entries = list(selectors.waitlist(call, row.beamline_id))
        if not entries or usage.total >= row.units_available:
            continue
        requests = {
            r.proposal_id: r
            for r in selectors.requests_on(call, row.beamline_id, [Status.WAITLISTED]).filter(
                proposal__in=[e.proposal_id for e in entries]
            )
        }
        groups = selectors.groups_of(list(requests.values()))
        candidates = [
            Candidate(
                key=e.proposal_id,
                units_requested=requests[e.proposal_id].units_requested,
                capped=e.proposal.route.code in capped_codes,
                group=groups[e.proposal_id].key,
            )
            for e in entries
            if e.proposal_id in requests
        ]
        for entry in entries:
            proposals[entry.proposal_id] = entry.proposal
            best[entry.proposal_id] = min(best.get(entry.proposal_id, entry.rank), entry.rank)
        for suggestion in allocate(candidates, rules.limits_for(call, row), start=usage):
            if suggestion.action == Action.AWARD:
                awards[cast(int, suggestion.key)][row.beamline_id] = suggestion.units
    promoted = []
    for pk in sorted(awards, key=lambda key: best[key]):
        _promote(proposals[pk], awards[pk], actor=actor, call=call)
        promoted.append(proposals[pk])
    return promoted


def waitlist_fill_all(*, actor: User | None = None) -> dict[Call, list[Proposal]]:
    """:func:`waitlist_fill` for every decided call whose beamtime period has not ended."""
    calls = Call.objects.filter(status=Call.Status.DECIDED, period_end__gte=clock.today())
    return {call: promoted for call in calls if (promoted := waitlist_fill(call=call, actor=actor))}
