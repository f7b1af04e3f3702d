"""Writes of the scheduling app before publication: the operating calendar, solver runs and
the staff's adjustments of the draft schedule (publication and later changes: publishing.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from akari.core import audit, clock
from akari.core.workflow import transition
from akari.scheduling import grid as grids
from akari.scheduling.models import (
    BeamlineOutage,
    BeamlinePlan,
    RunSegment,
    ScheduledBlock,
    SchedulePeriod,
    SolverRun,
)
from akari.scheduling.solver import Result, solve

Status = SchedulePeriod.Status
EDITABLE = (Status.DRAFT, Status.DRAFT_READY)


def _editable(period: SchedulePeriod) -> None:
    period.refresh_from_db(fields=["status"])
    if period.status not in EDITABLE:
        raise ValidationError(_("This period's schedule can no longer be edited."))


# --- operating calendar ------------------------------------------------------------------


@transaction.atomic
def segment_add(
    *, period: SchedulePeriod, kind: str, start: dt.datetime, end: dt.datetime, actor: Any
) -> RunSegment:
    _editable(period)
    if end <= start:
        raise ValidationError(_("The end must be after the start."))
    overlapping = period.segments.filter(start__lt=end, end__gt=start)
    if overlapping.exists():
        raise ValidationError(_("This segment overlaps another segment of the run schedule."))
    segment = RunSegment.objects.create(period=period, kind=kind, start=start, end=end)
    audit.record(actor=actor, action="scheduling.segment_added", obj=period, kind=kind)
    return segment


@transaction.atomic
def segment_remove(*, segment: RunSegment, actor: Any) -> None:
    _editable(segment.period)
    audit.record(actor=actor, action="scheduling.segment_removed", obj=segment.period)
    segment.delete()


@transaction.atomic
def outage_add(
    *,
    period: SchedulePeriod,
    beamline: Any,
    start: dt.datetime,
    end: dt.datetime,
    reason: str = "",
    actor: Any,
) -> BeamlineOutage:
    _editable(period)
    if end <= start:
        raise ValidationError(_("The end must be after the start."))
    outage = BeamlineOutage.objects.create(
        period=period, beamline=beamline, start=start, end=end, reason=reason
    )
    audit.record(actor=actor, action="scheduling.outage_added", obj=period, beamline=beamline.code)
    return outage


@transaction.atomic
def plan_set(
    *,
    period: SchedulePeriod,
    beamline: Any,
    changeover_shifts: int,
    coalition_percent: int,
    actor: Any,
) -> BeamlinePlan:
    _editable(period)
    plan, _created = BeamlinePlan.objects.update_or_create(
        period=period,
        beamline=beamline,
        defaults={"changeover_shifts": changeover_shifts, "coalition_percent": coalition_percent},
    )
    audit.record(
        actor=actor,
        action="scheduling.plan_set",
        obj=period,
        beamline=beamline.code,
        changeover=changeover_shifts,
        coalition_percent=coalition_percent,
    )
    return plan


# --- solver ---------------------------------------------------------------------------------


def time_limit_default() -> float:
    return float(getattr(settings, "AKARI_SCHEDULE_TIME_LIMIT", 30))


def workers_default() -> int:
    return int(getattr(settings, "AKARI_SCHEDULE_WORKERS", 2))


@transaction.atomic
def solve_request(
    *,
    period: SchedulePeriod,
    actor: Any,
    time_limit: float | None = None,
    workers: int | None = None,
) -> SolverRun:
    """Queue a solver run (re-optimising around the pinned blocks); the task does the work."""
    _editable(period)
    transition(period, Status.SOLVING, actor=actor)
    run = SolverRun.objects.create(
        period=period,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        time_limit=time_limit if time_limit is not None else time_limit_default(),
        workers=workers if workers is not None else workers_default(),
    )
    audit.record(actor=actor, action="scheduling.solve_requested", obj=period, run=run.pk)
    transaction.on_commit(partial(_enqueue, run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from akari.scheduling.tasks import run_solver

    run_solver.enqueue(run_id)


def _progress(run_id: int, fraction: float, note: str) -> None:
    SolverRun.objects.filter(pk=run_id).update(
        progress=round(fraction, 3), message=note, status=SolverRun.Status.RUNNING
    )


def solve_run(*, run: SolverRun, progress: Any = None) -> SolverRun:
    """Do a queued run: build the instance, solve it, store the draft. Called by the task and
    the ``schedule_period`` command."""
    period = run.period
    claimed = SolverRun.objects.filter(pk=run.pk, status=SolverRun.Status.QUEUED).update(
        status=SolverRun.Status.RUNNING
    )
    if not claimed:  # already taken by the worker (or the command)
        run.refresh_from_db()
        return run
    try:
        instance, ctx = grids.build(period)

        def report(fraction: float, note: str) -> None:
            _progress(run.pk, fraction, note)
            if progress is not None:
                progress(fraction, note)

        result = solve(
            instance, time_limit=run.time_limit, workers=run.workers, seed=0, progress=report
        )
        _store(run=run, result=result, ctx=ctx)
    except Exception as error:  # the run row tells staff; the period goes back to draft
        with transaction.atomic():
            SolverRun.objects.filter(pk=run.pk).update(
                status=SolverRun.Status.FAILED, message=str(error)[:300], finished_at=clock.now()
            )
            period.refresh_from_db()
            if period.status == Status.SOLVING:
                transition(period, Status.DRAFT, actor=None, reason="solver failed")
        raise
    run.refresh_from_db()
    return run


@transaction.atomic
def _store(*, run: SolverRun, result: Result, ctx: grids.Context) -> None:
    period = SchedulePeriod.objects.select_for_update().get(pk=run.period_id)
    grid = ctx.grid
    ScheduledBlock.objects.filter(
        period=period, status=ScheduledBlock.Status.DRAFT, pinned=False
    ).delete()
    pinned = set(
        ScheduledBlock.objects.filter(
            period=period, status=ScheduledBlock.Status.DRAFT, pinned=True
        ).values_list("request_id", flat=True)
    )
    rows = []
    for placement in result.placements:
        if placement.award in pinned:
            continue
        request = ctx.requests[placement.award]
        for start, length in placement.pieces:
            rows.append(
                ScheduledBlock(
                    period=period,
                    request=request,
                    proposal=request.proposal,
                    beamline=ctx.beamlines[placement.beamline],
                    start=grid.at(start),
                    end=grid.at(start + length),
                    shifts=length,
                )
            )
    ScheduledBlock.objects.bulk_create(rows)
    unplaced = []
    for item in result.unplaced:
        request = ctx.requests[item.award]
        unplaced.append(
            {
                "request": request.pk,
                "proposal": request.proposal.number,
                "beamline": request.beamline.code,
                "reason": item.reason,
                "shifts": item.shifts,
                "until": grid.at(item.until).date().isoformat() if item.until else None,
            }
        )
    SolverRun.objects.filter(pk=run.pk).update(
        status=SolverRun.Status.DONE,
        progress=1.0,
        message="",
        finished_at=clock.now(),
        solver_status=result.status,
        objective=result.objective,
        bound=result.bound,
        bound_cpsat=result.bound_cpsat,
        bound_lp=result.bound_lp,
        greedy=result.greedy,
        placed=len(result.placements),
        total=len(ctx.requests),
        seconds=round(result.seconds, 2),
        unplaced=unplaced,
    )
    if period.status == Status.SOLVING:
        transition(period, Status.DRAFT_READY, actor=None)


# --- manual adjustments of the draft -----------------------------------------------------------


def conflicts(
    block: ScheduledBlock, start: dt.datetime, *, ignore: set[int] | None = None
) -> list[str]:
    """Why ``block`` cannot run from ``start`` (empty: it can), in the viewer's language."""
    period = block.period
    instance, ctx = grids.build(period, keep_pins=False)
    grid = ctx.grid
    first = grid.index(start)
    problems: list[str] = []
    if grid.at(first) != start:
        problems.append(_("A block starts at a shift change."))
        return problems
    if first < 0 or first + block.shifts > grid.horizon:
        return [_("The block would leave the period.")]
    award = next((a for a in instance.awards if a.id == block.request_id), None)
    beamline = next(b for b in instance.beamlines if b.code == block.beamline.code)
    from akari.scheduling.solver.instance import allowed_mask

    if award is None:
        return [_("This proposal has no award to schedule.")]
    allowed = allowed_mask(instance, award, beamline)
    if not all(allowed[s] for s in range(first, first + block.shifts)):
        problems.append(
            _(
                "Not all of this time is open to the proposal (maintenance, machine study, "
                "outage, coalition time, the team's unavailable dates or outside its window)."
            )
        )
    gap = dt.timedelta(hours=grid.hours * beamline.changeover)
    end = grid.at(first + block.shifts)
    skip = {block.pk} | (ignore or set())
    others = (
        ScheduledBlock.objects.filter(
            period=period,
            beamline=block.beamline,
            status__in=[ScheduledBlock.Status.DRAFT, ScheduledBlock.Status.PUBLISHED],
            start__lt=end + gap,
            end__gt=start - gap,
        )
        .exclude(pk__in=skip)
        .select_related("proposal")
    )
    for other in others:
        if other.request_id == block.request_id and (other.start >= end or other.end <= start):
            continue  # another piece of the same award: no changeover needed
        problems.append(
            _("Overlaps %(proposal)s (%(start)s – %(end)s), changeover included.")
            % {
                "proposal": other.proposal.number,
                "start": _local(other.start),
                "end": _local(other.end),
            }
        )
    return problems


@transaction.atomic
def block_move(*, block: ScheduledBlock, start: dt.datetime, actor: Any) -> ScheduledBlock:
    """Move a draft block (it becomes pinned); refused with the conflicts in the message."""
    block = (
        ScheduledBlock.objects.select_for_update()
        .select_related("period", "beamline")
        .get(pk=block.pk)
    )
    _editable(block.period)
    if block.status != ScheduledBlock.Status.DRAFT:
        raise ValidationError(_("Only a draft block can be moved."))
    problems = conflicts(block, start)
    if problems:
        raise ValidationError(problems)
    old = block.start
    block.start = start
    block.end = start + (block.end - old)
    block.pinned = True
    block.save(update_fields=["start", "end", "pinned", "updated_at"])
    audit.record(
        actor=actor,
        action="scheduling.block_moved",
        obj=block,
        start=start.isoformat(),
        was=old.isoformat(),
    )
    return block


@transaction.atomic
def block_swap(*, first: ScheduledBlock, second: ScheduledBlock, actor: Any) -> None:
    """Exchange the start times of two draft blocks of one beamline (both become pinned)."""
    a, b = (
        ScheduledBlock.objects.select_for_update().select_related("period", "beamline").get(pk=x.pk)
        for x in (first, second)
    )
    _editable(a.period)
    if a.beamline_id != b.beamline_id or a.period_id != b.period_id:
        raise ValidationError(_("Only blocks of the same beamline can be swapped."))
    new_a = b.start if b.start < a.start else b.start + (b.end - b.start) - (a.end - a.start)
    new_b = a.start if a.start < b.start else a.start + (a.end - a.start) - (b.end - b.start)
    problems = conflicts(a, new_a, ignore={b.pk}) + conflicts(b, new_b, ignore={a.pk})
    if problems:
        raise ValidationError(problems)
    for block, start in ((a, new_a), (b, new_b)):
        block.end = start + (block.end - block.start)
        block.start = start
        block.pinned = True
        block.save(update_fields=["start", "end", "pinned", "updated_at"])
    audit.record(actor=actor, action="scheduling.blocks_swapped", obj=a, other=b.pk)


@transaction.atomic
def block_pin(*, block: ScheduledBlock, pinned: bool, actor: Any) -> ScheduledBlock:
    _editable(block.period)
    block.pinned = pinned
    block.save(update_fields=["pinned", "updated_at"])
    audit.record(actor=actor, action="scheduling.block_pinned", obj=block, pinned=pinned)
    return block


@transaction.atomic
def block_remove(*, block: ScheduledBlock, actor: Any) -> None:
    """Take a draft block out of the schedule (the next solver run may place it again unless
    it is published without it)."""
    _editable(block.period)
    if block.status != ScheduledBlock.Status.DRAFT:
        raise ValidationError(_("Only a draft block can be removed."))
    audit.record(
        actor=actor,
        action="scheduling.block_removed",
        obj=block.period,
        proposal=block.proposal.number,
    )
    block.delete()


def _local(when: dt.datetime) -> str:
    return when.astimezone(grids.TOKYO).strftime("%Y-%m-%d %H:%M")


def by_beamline(blocks: list[ScheduledBlock]) -> dict[str, list[ScheduledBlock]]:
    out: dict[str, list[ScheduledBlock]] = defaultdict(list)
    for block in blocks:
        out[block.beamline.code].append(block)
    return dict(sorted(out.items()))
