"""Publishing a period's schedule and the changes after it (cancellations).

Publishing, in one transaction: the calendar's maintenance, machine study and shutdown become
beamtime ``Block``s on every beamline of the period (so nothing else can land on them), each
beamline outage a maintenance block, each coalition share booking windows of the programme
``nanoterasu-coalition``, and each draft block an experiment block with its ``Experiment``;
then every team is told its dates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from akari.beamtime import services as beamtime
from akari.beamtime.models import Block
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.notifications.services import notify
from akari.proposals.models import Proposal, TeamMember
from akari.scheduling import grid as grids
from akari.scheduling.models import RunSegment, ScheduledBlock, SchedulePeriod

COALITION_PROGRAMME = "nanoterasu-coalition"
CALENDAR_KINDS = {
    RunSegment.Kind.MAINTENANCE: Block.Kind.MAINTENANCE,
    RunSegment.Kind.MACHINE_STUDY: Block.Kind.MACHINE_STUDY,
    RunSegment.Kind.SHUTDOWN: Block.Kind.SHUTDOWN,
}


def _team(proposal: Proposal) -> list[TeamMember]:
    return list(proposal.team.select_related("person").order_by("pk"))


def _local(when: Any) -> str:
    return when.astimezone(grids.TOKYO).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def period_publish(*, period: SchedulePeriod, actor: Any) -> int:
    """Publish the draft schedule; returns the number of experiments created."""
    period = SchedulePeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != SchedulePeriod.Status.DRAFT_READY:
        raise ValidationError(_("Only a ready draft schedule can be published."))
    _instance, ctx = grids.build(period, keep_pins=False)
    for segment in period.segments.filter(kind__in=list(CALENDAR_KINDS)):
        for beamline in ctx.beamlines.values():
            beamtime.block_occupy(
                beamline=beamline,
                start=segment.start,
                end=segment.end,
                kind=CALENDAR_KINDS[RunSegment.Kind(segment.kind)],
                actor=actor,
                label=segment.get_kind_display(),
            )
    for outage in period.outages.select_related("beamline"):
        beamtime.block_occupy(
            beamline=outage.beamline,
            start=outage.start,
            end=outage.end,
            kind=Block.Kind.MAINTENANCE,
            actor=actor,
            label=outage.reason,
        )
    grid = ctx.grid
    for code, shifts in ctx.coalition.items():
        for start, end in grids._intervals([s in shifts for s in range(grid.horizon)]):
            beamtime.window_open(
                beamline=ctx.beamlines[code],
                programme=COALITION_PROGRAMME,
                start=grid.at(start),
                end=grid.at(end),
                actor=actor,
            )
    blocks = list(
        ScheduledBlock.objects.filter(period=period, status=ScheduledBlock.Status.DRAFT)
        .select_related("proposal__route", "proposal__call__policy_version", "beamline")
        .order_by("start", "pk")
    )
    told: dict[int, list[ScheduledBlock]] = defaultdict(list)
    for sb in blocks:
        proposal = sb.proposal
        pack = proposal.call.policy_version.pack
        route = next((r for r in pack.routes if r.code == proposal.route.code), None)
        proprietary = route is not None and route.result_ownership == "proprietary"
        team = _team(proposal)
        pi = next((m.person for m in team if m.role == TeamMember.Role.PI), None)
        block = beamtime.block_occupy(
            beamline=sb.beamline,
            start=sb.start,
            end=sb.end,
            kind=Block.Kind.EXPERIMENT,
            actor=actor,
            label=proposal.number or "",
        )
        experiment = beamtime.experiment_create(
            block=block,
            programme=pack.pack,
            route=proposal.route.code,
            reference=proposal.number or "",
            lead=pi or team[0].person,
            actor=actor,
            proprietary=proprietary,
            title=proposal.title,
            participants=[m.person for m in team if m.is_experimenter],
        )
        sb.block = block
        sb.experiment = experiment
        sb.status = ScheduledBlock.Status.PUBLISHED
        sb.save(update_fields=["block", "experiment", "status", "updated_at"])
        told[proposal.pk].append(sb)
    for pieces in told.values():
        _tell(pieces, event="scheduled")
    transition(
        period,
        SchedulePeriod.Status.PUBLISHED,
        actor=actor,
        extra_updates={"published_at": clock.now()},
    )
    audit.record(actor=actor, action="scheduling.published", obj=period, experiments=len(blocks))
    return len(blocks)


def _tell(pieces: list[ScheduledBlock], *, event: str, actor: Any = None, reason: str = "") -> None:
    proposal = pieces[0].proposal
    dates = [
        {"beamline": sb.beamline.code, "start": _local(sb.start), "end": _local(sb.end)}
        for sb in pieces
    ]
    for member in _team(proposal):
        notify(
            recipient=member.person,
            kind=f"scheduling.{event}",
            context={
                "proposal_number": proposal.number,
                "title": proposal.title,
                "period": str(pieces[0].period.code),
                "dates": dates,
                "reason": reason,
            },
            dedupe_key=f"scheduling.{event}:{pieces[0].pk}:{member.person_id}",
            link=reverse("scheduling:mine"),
            actor=actor,
        )


@transaction.atomic
def block_cancel(*, block: ScheduledBlock, actor: Any, reason: str = "") -> ScheduledBlock:
    """Cancel a published block: its experiment is cancelled (the time is freed), the team is
    told, and the call's waitlist is offered what became free."""
    block = (
        ScheduledBlock.objects.select_for_update(of=("self",))
        .select_related("experiment", "proposal__call", "beamline", "period")
        .get(pk=block.pk)
    )
    if block.status != ScheduledBlock.Status.PUBLISHED or block.experiment is None:
        raise ValidationError(_("Only a published block can be cancelled."))
    beamtime.experiment_cancel(experiment=block.experiment, actor=actor, reason=reason)
    block.status = ScheduledBlock.Status.CANCELLED
    block.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="scheduling.block_cancelled",
        obj=block,
        proposal=block.proposal.number,
        reason=reason,
    )
    _tell([block], event="cancelled", actor=actor, reason=reason)
    from akari.selection.services import waitlist_fill

    waitlist_fill(call=block.proposal.call, actor=actor)
    return block
