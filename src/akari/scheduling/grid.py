"""From the database to the solver's :class:`~akari.scheduling.solver.Instance` and back.

The period's shift grid: shift 0 starts on the period's first day at the programme's first
shift start (``time_unit.shift_starts[0]`` of the calls' policy pack, 09:00 JST by default);
shifts are ``time_unit.hours`` long (8) and contiguous to the end of the last day.
A beamline's shift is open to the solver when it lies wholly inside user time, outside the
beamline's outages and coalition share, and no other active beamtime block covers it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from akari.beamtime.models import Block
from akari.facility.models import Beamline
from akari.proposals.models import BeamlineRequest, Proposal, TeamMember
from akari.scheduling.models import (
    BeamlinePlan,
    RunSegment,
    ScheduledBlock,
    SchedulePeriod,
)
from akari.scheduling.solver import Award, Cap, Instance, Pin
from akari.scheduling.solver import Beamline as SolverBeamline

TOKYO = ZoneInfo("Asia/Tokyo")
CAPPED = "capped"


@dataclass
class Grid:
    origin: dt.datetime
    hours: int
    horizon: int

    def at(self, index: int) -> dt.datetime:
        return self.origin + dt.timedelta(hours=self.hours * index)

    def index(self, when: dt.datetime) -> int:
        """The shift that starts at ``when`` (rounded down)."""
        return math.floor((when - self.origin) / dt.timedelta(hours=self.hours))

    def covering(self, start: dt.datetime, end: dt.datetime) -> range:
        """Shifts overlapping ``[start, end)``."""
        first = max(0, self.index(start))
        last = min(self.horizon, math.ceil((end - self.origin) / dt.timedelta(hours=self.hours)))
        return range(first, max(first, last))

    def inside(self, start: dt.datetime, end: dt.datetime) -> range:
        """Shifts lying wholly inside ``[start, end)``."""
        first = max(0, math.ceil((start - self.origin) / dt.timedelta(hours=self.hours)))
        last = min(self.horizon, self.index(end))
        return range(first, max(first, last))

    def day_range(self, first: dt.date, last: dt.date) -> range:
        """Shifts overlapping the days ``first`` to ``last`` (inclusive, Tokyo dates)."""
        start = dt.datetime.combine(first, dt.time(0), TOKYO)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), TOKYO)
        return self.covering(start, end)


def time_unit(period: SchedulePeriod) -> tuple[dt.time, int]:
    call = period.calls.select_related("policy_version").first()
    if call is not None:
        unit = call.policy_version.pack.time_unit
        if unit.kind == "shift" and unit.shift_starts:
            hours, minutes = (int(x) for x in str(unit.shift_starts[0]).split(":")[:2])
            return dt.time(hours, minutes), unit.hours
    return dt.time(9, 0), 8


def grid_of(period: SchedulePeriod) -> Grid:
    first, hours = time_unit(period)
    origin = dt.datetime.combine(period.start, first, TOKYO)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), first, TOKYO)
    return Grid(origin=origin, hours=hours, horizon=int((end - origin) / dt.timedelta(hours=hours)))


def user_shifts(period: SchedulePeriod, grid: Grid) -> list[bool]:
    row = [False] * grid.horizon
    for segment in period.segments.filter(kind=RunSegment.Kind.USER):
        for s in grid.inside(segment.start, segment.end):
            row[s] = True
    return row


def coalition_shifts(user: list[bool], percent: int, shifts_per_day: int) -> set[int]:
    """The coalition's share of a beamline's user time, as whole days spread evenly over the
    period (a day goes to the coalition while its running share is below ``percent``)."""
    if percent <= 0:
        return set()
    reserved: set[int] = set()
    total = given = 0
    for day_start in range(0, len(user), shifts_per_day):
        day = [s for s in range(day_start, min(len(user), day_start + shifts_per_day)) if user[s]]
        if not day:
            continue
        total += len(day)
        if given * 100 < percent * total:
            reserved.update(day)
            given += len(day)
    return reserved


@dataclass
class Context:
    """What the app needs to turn a solver result back into rows."""

    period: SchedulePeriod
    grid: Grid
    requests: dict[int, BeamlineRequest] = field(default_factory=dict)
    beamlines: dict[str, Beamline] = field(default_factory=dict)
    coalition: dict[str, set[int]] = field(default_factory=dict)
    user: list[bool] = field(default_factory=list)


def accepted_requests(period: SchedulePeriod) -> list[BeamlineRequest]:
    return list(
        BeamlineRequest.objects.filter(
            proposal__call__in=period.calls.all(),
            proposal__status=Proposal.Status.ACCEPTED,
            units_awarded__gt=0,
        )
        .select_related(
            "beamline", "proposal__route", "proposal__call__policy_version", "schedule_option"
        )
        .prefetch_related("proposal__unavailable")
        .order_by("pk")
    )


def _scores(requests: list[BeamlineRequest]) -> dict[int, int]:
    """Committee order as an integer weight (1..1000, best highest) per request."""
    from akari.selection.ranking import beamline_ranking

    scores: dict[int, int] = {}
    pairs = {(r.proposal.call, r.beamline) for r in requests}
    for call, beamline in sorted(pairs, key=lambda p: (p[0].pk, p[1].pk)):
        ranked = list(beamline_ranking(call=call, beamline=beamline))
        n = max(1, len(ranked))
        ranks = {row.proposal.pk: row.rank for row in ranked}
        for r in requests:
            if r.proposal.call == call and r.beamline == beamline:
                rank = ranks.get(r.proposal_id, n)
                scores[r.pk] = max(1, 1000 * (n - rank + 1) // n)
    return scores


def _groups(requests: list[BeamlineRequest]) -> dict[int, str]:
    from akari.accounts.models import Affiliation

    pis = dict(
        TeamMember.objects.filter(
            proposal__in={r.proposal_id for r in requests}, role=TeamMember.Role.PI
        ).values_list("proposal_id", "person_id")
    )
    orgs = dict(
        Affiliation.objects.filter(person__in=set(pis.values()), is_primary=True).values_list(
            "person_id", "organisation_id"
        )
    )
    out = {}
    for r in requests:
        pi = pis.get(r.proposal_id)
        org = orgs.get(pi) if pi is not None else None
        out[r.pk] = f"group:org:{org}" if org is not None else f"group:person:{pi}"
    return out


def build(period: SchedulePeriod, *, keep_pins: bool = True) -> tuple[Instance, Context]:
    grid = grid_of(period)
    ctx = Context(period=period, grid=grid)
    requests = accepted_requests(period)
    ctx.requests = {r.pk: r for r in requests}
    plans = {p.beamline_id: p for p in BeamlinePlan.objects.filter(period=period)}
    beamline_ids = {r.beamline_id for r in requests} | set(plans)
    ctx.beamlines = {b.code: b for b in Beamline.objects.filter(pk__in=beamline_ids)}
    ctx.user = user_shifts(period, grid)
    shifts_per_day = max(1, 24 // grid.hours)
    outages: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for outage in period.outages.all():
        outages[outage.beamline_id].append((outage.start, outage.end))
    ours = set(
        ScheduledBlock.objects.filter(period=period, block__isnull=False).values_list(
            "block_id", flat=True
        )
    )
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for block in Block.objects.filter(
        beamline__in=beamline_ids,
        released_at__isnull=True,
        start__lt=grid.at(grid.horizon),
        end__gt=grid.origin,
    ).exclude(pk__in=ours):
        busy[block.beamline_id].append((block.start, block.end))
    solver_beamlines = []
    for code, beamline in sorted(ctx.beamlines.items()):
        plan = plans.get(beamline.pk)
        row = list(ctx.user)
        ctx.coalition[code] = coalition_shifts(
            row, plan.coalition_percent if plan else 0, shifts_per_day
        )
        for s in ctx.coalition[code]:
            row[s] = False
        for start, end in outages[beamline.pk] + busy[beamline.pk]:
            for s in grid.covering(start, end):
                row[s] = False
        solver_beamlines.append(
            SolverBeamline(
                code=code,
                available=_intervals(row),
                changeover=plan.changeover_shifts if plan else 0,
            )
        )
    scores = _scores(requests)
    groups = _groups(requests)
    awards = []
    caps: dict[tuple[str, str], int] = {}
    user_total = {b.code: sum(e - s for s, e in b.available) for b in solver_beamlines}
    for r in requests:
        pack = r.proposal.call.policy_version.pack
        unit = pack.time_unit
        shifts = r.units_awarded or 0
        if unit.kind == "hour":
            shifts = math.ceil(shifts / grid.hours)
        option = getattr(r, "schedule_option", None)
        windows: tuple[tuple[int, int], ...] = ()
        earliest = r.proposal.earliest_start
        latest = None
        if option is not None:
            earliest = max(filter(None, [earliest, option.earliest]), default=None)
            latest = option.latest
        if earliest or latest:
            lo = grid.day_range(earliest, earliest).start if earliest else 0
            hi = grid.day_range(latest, latest).stop if latest else grid.horizon
            windows = ((lo, hi),)
        blackouts = tuple(
            (rng.start, rng.stop)
            for u in r.proposal.unavailable.all()
            if (rng := grid.day_range(u.start, u.end))
        )
        preferred = None
        if option is not None and option.preferred_start and option.preferred_end:
            rng = grid.day_range(option.preferred_start, option.preferred_end)
            preferred = (rng.start, rng.stop)
        classes = []
        code = r.beamline.code
        if pack.caps.priority_and_proprietary_max_percent is not None and (
            r.proposal.route.code in pack.caps.capped_routes(pack.routes, pack.fees)
        ):
            classes.append(CAPPED)
            caps[(CAPPED, code)] = (
                user_total[code] * pack.caps.priority_and_proprietary_max_percent // 100
            )
        if pack.caps.single_group_max_percent is not None:
            classes.append(groups[r.pk])
            caps[(groups[r.pk], code)] = (
                user_total[code] * pack.caps.single_group_max_percent // 100
            )
        awards.append(
            Award(
                id=r.pk,
                label=r.proposal.number or str(r.proposal.pk),
                beamlines=(code,),
                shifts=shifts,
                score=scores.get(r.pk, 1),
                contiguous=not (option and option.splittable),
                min_piece=option.min_piece_shifts if option else 3,
                windows=windows,
                blackouts=blackouts,
                preferred=preferred,
                classes=tuple(classes),
            )
        )
    pins: list[Pin] = []
    if keep_pins:
        pieces: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
        for sb in ScheduledBlock.objects.filter(
            period=period, pinned=True, status=ScheduledBlock.Status.DRAFT
        ).select_related("beamline"):
            if sb.request_id in ctx.requests:
                pieces[(sb.request_id, sb.beamline.code)].append((grid.index(sb.start), sb.shifts))
        pins = [Pin(award=a, beamline=b, pieces=tuple(sorted(p))) for (a, b), p in pieces.items()]
    instance = Instance(
        horizon=grid.horizon,
        beamlines=tuple(solver_beamlines),
        awards=tuple(awards),
        caps=tuple(Cap(cls=c, beamline=b, max_shifts=m) for (c, b), m in sorted(caps.items())),
        pins=tuple(pins),
        origin=grid.origin.isoformat(),
        shift_hours=grid.hours,
    )
    return instance, ctx


def _intervals(row: list[bool]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, ok in enumerate(row):
        if ok and out and out[-1][1] == s:
            out[-1] = (out[-1][0], s + 1)
        elif ok:
            out.append((s, s + 1))
    return tuple(out)
