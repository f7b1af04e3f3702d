"""Solve an instance: decompose, configuration LP (bound and dives) and CP-SAT per component,
greedy, explanations."""

from __future__ import annotations

import multiprocessing
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from . import cpsat, patterns, pool
from .formulation import Formulation, build
from .greedy import _caps_room, _contiguous, _split, greedy, value
from .instance import (
    Award,
    Instance,
    Pin,
    Placement,
    allowed_mask,
    merge_pieces,
    pinned_occupancy,
)

Progress = Callable[[float, str], None]

# Why an award was left out (the app words them with the period's dates).
CAPACITY = "capacity"  # it fits alone: higher-ranked awards took the time
CAP = "cap"  # only a policy cap stops it
BLACKOUTS = "blackouts"  # it would fit outside the team's unavailable dates
WINDOWS = "windows"  # it would fit outside its time-designated / earliest-latest window
NO_WINDOW = "no_window"  # no window of that many user-time shifts on its beamlines


@dataclass(frozen=True)
class Unplaced:
    award: int
    reason: str
    beamlines: tuple[str, ...]
    shifts: int
    until: int | None  # end of the award's last window (shift index), when it has windows


@dataclass
class Result:
    placements: list[Placement]
    status: str  # "optimal" (every component proven), "feasible", "greedy" (nothing better)
    objective: int  # score-weighted shifts placed
    bound_cpsat: int
    bound_lp: float | None
    greedy: int
    preferred_met: int
    fragments: int
    unplaced: list[Unplaced] = field(default_factory=list)
    seconds: float = 0.0
    components: int = 0
    # "configuration" (every component's LP converged) or "lagrangian" (one stopped early)
    bound_kind: str = "configuration"

    @property
    def bound(self) -> float:
        """The tightest proven upper bound on the objective."""
        if self.bound_lp is None:
            return float(self.bound_cpsat)
        return min(float(self.bound_cpsat), self.bound_lp)

    @property
    def ratio_bound(self) -> float:
        return self.objective / self.bound if self.bound else 1.0

    @property
    def gap(self) -> float:
        return 1.0 - self.ratio_bound

    @property
    def ratio_greedy(self) -> float:
        return self.objective / self.greedy if self.greedy else 1.0


def components(instance: Instance, awards: list[Award]) -> list[tuple[list[Award], set[str]]]:
    """Groups of awards that compete for beamlines (connected through shared beamlines)."""
    parent = {b.code: b.code for b in instance.beamlines}

    def find(code: str) -> str:
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for award in awards:
        codes = [c for c in award.beamlines if c in parent]
        for other in codes[1:]:
            parent[find(other)] = find(codes[0])
    groups: dict[str, list[Award]] = defaultdict(list)
    for award in awards:
        codes = [c for c in award.beamlines if c in parent]
        if codes:
            groups[find(codes[0])].append(award)
    members: dict[str, set[str]] = defaultdict(set)
    for code in parent:
        members[find(code)].add(code)
    return [(groups[root], members[root]) for root in sorted(groups)]


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    with_lp_bound: bool = True,
    lp_time_limit: float = 600.0,
    progress: Progress | None = None,
) -> Result:
    """The best schedule CP-SAT finds within ``time_limit`` (CP-SAT deterministic seconds, split
    over the components by size; the configuration LP, its dives and model building come on
    top), never worse than the greedy baseline or the best dive, with its proven bound."""
    started = time.monotonic()
    pinned = {p.award for p in instance.pins}
    awards_by_id = {a.id: a for a in instance.awards}
    free_awards = [a for a in instance.awards if a.id not in pinned]
    baseline = greedy(instance)
    baseline_by_award = {p.award: p for p in baseline}
    occupied = pinned_occupancy(instance)
    room = _caps_room(instance)
    groups = components(instance, free_awards)
    forms: list[tuple[Formulation, list[Award], set[str]]] = []
    for group_awards, codes in groups:
        forms.append((build(instance, group_awards, codes, occupied, room), group_awards, codes))
    forms.sort(key=lambda item: -item[0].n_vars)
    placements = [
        Placement(award=p.award, beamline=p.beamline, pieces=list(p.pieces)) for p in instance.pins
    ]
    pinned_value = sum(awards_by_id[p].value for p in pinned if p in awards_by_id)
    bound_cpsat = pinned_value
    bound_lp: float | None = float(pinned_value) if with_lp_bound else None
    statuses: list[str] = []
    lp_kinds: set[str] = set()
    total_size = sum(max(1, f.n_vars) for f, _, _ in forms)
    # the configuration LP of every component (its bound, and dives for a better start)
    configurations = (
        _configurations(instance, forms, occupied, room, lp_time_limit, workers)
        if with_lp_bound
        else [None] * len(forms)
    )

    def component(
        item: tuple[Formulation, list[Award], set[str]],
        configuration: tuple[float, str, list[Placement]] | None,
    ) -> tuple[list[Placement], str, int, float, str]:
        form, group_awards, codes = item
        share = time_limit * max(1, form.n_vars) / total_size
        start = [baseline_by_award[a.id] for a in group_awards if a.id in baseline_by_award]
        group_bound, kind = float(sum(a.value for a in group_awards)), "none"
        if configuration is not None:
            group_bound, kind, dived = configuration
            if value(instance, dived) > value(instance, start):
                start = dived
        if configuration is not None and value(instance, start) >= group_bound - 1e-6:
            # proven optimal by the configuration LP: nothing left to search
            return start, "optimal", sum(a.value for a in group_awards), group_bound, kind
        # the pattern-pool search ran (:func:`_configuration`): the time-indexed windows found
        # nothing after it on bench M (the same schedule with 30, 40 and 80 s), so CP-SAT only
        # gets its first look at the whole model
        pooled = configuration is not None and pool_searches(group_awards)
        hint = _hint(form, start, instance)
        # Small components: the whole model. Large ones: an eighth of the budget on the whole
        # model (a first improvement; it rarely beats the hint there), the rest on
        # neighbourhoods; their bound is the LP's.
        whole = share if form.n_vars <= WHOLE_MODEL_VARS else share / 8
        result = cpsat.solve(form, time_limit=whole, workers=1, seed=seed, hint=hint)
        chosen = decode(form, result.values)
        if result.status == "timeout" or value(instance, chosen) < value(instance, start):
            chosen, status, cp_bound = start, "greedy", sum(a.value for a in group_awards)
        else:
            # (a search stopped early may report a bound above every award placed)
            status, cp_bound = result.status, min(result.bound, sum(a.value for a in group_awards))
        if (
            result.status != "optimal"
            and not pooled
            and share > whole
            and value(instance, chosen) < min(group_bound, cp_bound) - 1e-6
        ):
            improved = improve(
                instance, group_awards, codes, chosen, budget=share - whole, workers=1, seed=seed
            )
            if value(instance, improved) > value(instance, chosen):
                chosen = improved
                status = "feasible"
        return chosen, status, cp_bound, group_bound, kind

    # Components run side by side, one single-worker CP-SAT each (``workers`` at a time): every
    # component's search is deterministic (deterministic time, fixed seed), so the schedule
    # does not depend on the machine's load or on the order the threads finish in.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as searches:
        futures = [
            searches.submit(component, item, configuration)
            for item, configuration in zip(forms, configurations, strict=True)
        ]
        for index, future in enumerate(futures):
            chosen, status, cp_bound, group_bound, kind = future.result()
            if progress is not None:
                progress((index + 1) / max(1, len(forms)), f"component {index + 1}/{len(forms)}")
            statuses.append(status)
            bound_cpsat += cp_bound
            if with_lp_bound:
                lp_kinds.add(kind)
                assert bound_lp is not None
                bound_lp += group_bound
                if (
                    status == "feasible"
                    and value(instance, chosen) >= min(group_bound, cp_bound) - 1e-6
                ):
                    statuses[-1] = "optimal"
            placements.extend(chosen)
    if progress is not None:
        progress(1.0, "done")
    if not statuses or all(s == "optimal" for s in statuses):
        status = "optimal"
    elif "feasible" in statuses or "optimal" in statuses:
        status = "feasible"
    else:
        status = "greedy"
    placed = {p.award for p in placements}
    return Result(
        placements=sorted(placements, key=lambda p: p.award),
        status=status,
        objective=value(instance, placements),
        bound_cpsat=bound_cpsat,
        bound_lp=bound_lp,
        greedy=value(instance, baseline),
        preferred_met=preferred_met(instance, placements),
        fragments=sum(len(p.pieces) for p in placements),
        unplaced=[explain(instance, a) for a in instance.awards if a.id not in placed],
        seconds=time.monotonic() - started,
        components=len(forms),
        bound_kind="lagrangian" if "lagrangian" in lp_kinds else "configuration",
    )


def _configurations(
    instance: Instance,
    forms: list[tuple[Formulation, list[Award], set[str]]],
    occupied: dict[str, list[bool]],
    room: dict[tuple[str, str], int],
    wall_limit: float,
    workers: int,
) -> list[tuple[float, str, list[Placement]]]:
    """:func:`_configuration` of every component, ``workers`` processes at a time (its column
    generation and dives are mostly Python: threads would share one core). Spawned processes,
    not forked ones: the caller may hold database connections (the app's task worker).
    Each result depends only on its component's data, so the order of completion does not
    matter (deterministic)."""
    jobs = [(instance, awards, codes, occupied, room, wall_limit) for _f, awards, codes in forms]
    if workers <= 1 or len(jobs) <= 1:
        return [_configuration(*job) for job in jobs]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        return list(pool.map(_configuration_job, jobs))


def _configuration_job(
    job: tuple[
        Instance, list[Award], set[str], dict[str, list[bool]], dict[tuple[str, str], int], float
    ],
) -> tuple[float, str, list[Placement]]:
    return _configuration(*job)


def _configuration(
    instance: Instance,
    awards: list[Award],
    codes: set[str],
    occupied: dict[str, list[bool]],
    room: dict[tuple[str, str], int],
    wall_limit: float,
) -> tuple[float, str, list[Placement]]:
    """The configuration LP's bound of a component (:mod:`.patterns`; "configuration" when
    column generation converged, else "lagrangian": the best Lagrangian bound met, still
    proven) and the best schedule of its dives: :data:`DIVES` from scratch, then
    :data:`REDIVES` inside a quarter of the period around the best one (each stops early once a
    schedule reaches the bound)."""
    started = time.monotonic()
    model = patterns.Model(instance, awards, codes, occupied, room)
    found, _value, _iterations, converged = patterns.generate(
        model, iterations=CG_ITERATIONS, wall_limit=wall_limit
    )
    best: list[Placement] = []
    for threshold, complete in DIVES:  # a few dives (cheap), the best one kept
        if value(instance, best) >= found - 1e-6:
            break  # proven optimal
        left = max(1.0, wall_limit - (time.monotonic() - started))
        fixed = patterns.dive(model, threshold=threshold, complete=complete, wall_limit=left)
        dived = patterns.start_schedule(instance, model, fixed, awards)
        if value(instance, dived) > value(instance, best):
            best = dived
        model.reset()
    # then a neighbourhood search: keep the best schedule outside a quarter of the period and
    # dive again inside it
    horizon = instance.horizon
    for r in range(REDIVES):
        if value(instance, best) >= found - 1e-6:
            break
        lo = (r % 8) * horizon // 8
        hi = lo + horizon // 4
        keep = [
            p for p in model.patterns_of(best) if not lo <= model.stretches[p.stretch].start < hi
        ]
        left = max(1.0, wall_limit - (time.monotonic() - started))
        threshold, complete = DIVES[r % len(DIVES)]
        fixed = patterns.dive(
            model, threshold=threshold, complete=complete, wall_limit=left, prefix=keep
        )
        dived = patterns.start_schedule(instance, model, fixed, awards)
        if value(instance, dived) > value(instance, best):
            best = dived
        model.reset()
    # then the pattern-pool neighbourhoods (:mod:`.pool`), on a fresh configuration LP (the
    # dives' columns skew its duals: measured on bench M, fresh: 447,074 and 311,880 on
    # BL04-06 and BL07-08; after the dives: 446,426 and 310,562)
    if value(instance, best) < found - 1e-6 and pool_searches(awards):
        model = patterns.Model(instance, awards, codes, occupied, room)
        left = max(1.0, wall_limit - (time.monotonic() - started))
        patterns.generate(model, iterations=CG_ITERATIONS, wall_limit=left)
        left = max(1.0, wall_limit - (time.monotonic() - started))
        best = pool.search(instance, model, awards, best, bound=found, wall_limit=left)
    return found, "configuration" if converged else "lagrangian", best


WHOLE_MODEL_VARS = 20_000
# dives through the configuration LP: (the LP share at which a pattern is fixed, whether a
# begun split award must be completed). Measured on bench M and L: none is best everywhere
# (+-0.5% per component), and a dive takes 0.1-3 s.
DIVES = ((0.5, True), (0.5, False), (0.8, True), (0.8, False), (0.99, False), (0.3, True))
# dives inside a quarter of the period (windows an eighth apart, in turn), the rest of the
# best schedule kept (measured on bench M: 8 -> +0.05%, 24 -> +0.13%, 48 -> no more)
REDIVES = 24
# the pattern-pool search runs on components of at most this many awards: its 0/1 programs grow
# with the awards competing (bench M: 130-160 per component, a round 0.4-1.5 s; bench L:
# 480-520, a round many times that, and 24 rounds alone outran L's 180 s goal). Larger
# components keep the time-indexed windows of :func:`improve`.
POOL_MAX_AWARDS = 300


def pool_searches(awards: list[Award]) -> bool:
    """Does the pattern-pool search run on a component of these awards (:data:`POOL_MAX_AWARDS`)?
    One rule for :func:`_configuration`, which runs it, and :func:`solve`, which then spares
    CP-SAT's windows."""
    return len(awards) <= POOL_MAX_AWARDS


CG_ITERATIONS = 200  # column generation rounds of a component (measured: 13-41 to converge)
WINDOW = 90  # shifts in a neighbourhood (30 days of 8-hour shifts)
SUB_LIMIT = 0.5  # CP-SAT deterministic seconds per neighbourhood
# awards left out that a neighbourhood may take in (measured on bench M, component BL04-06,
# 20 s: 40 -> 432638, 80 -> 434957, 160 -> 436081 with 0.5 s neighbourhoods)
CANDIDATES = 160


def _restricted(award: Award, lo: int, hi: int) -> Award | None:
    windows = award.windows or ((0, hi),)
    inside = tuple((max(a, lo), min(b, hi)) for a, b in windows if min(b, hi) > max(a, lo))
    if not inside:
        return None
    return replace(award, windows=inside)


def improve(
    instance: Instance,
    awards: list[Award],
    codes: set[str],
    current: list[Placement],
    *,
    budget: float,
    workers: int,
    seed: int,
) -> list[Placement]:
    """Large-neighbourhood search over time windows: in turn, every window of ``WINDOW`` shifts
    is re-solved exactly by CP-SAT with the rest of the schedule fixed (pinned), taking in the
    awards placed inside it and the best-ranked awards left out. A neighbourhood's solution
    replaces the old one when its weighted objective is at least as good. Deterministic: the
    windows, candidates and budgets depend only on the data."""
    by_award = {p.award: p for p in current}
    horizon = instance.horizon
    step = max(1, WINDOW // 2)
    lows = list(range(0, max(1, horizon - step), step))
    rounds = max(1, int(budget / SUB_LIMIT))
    ranked = sorted(awards, key=lambda a: (-a.score, a.id))
    for r in range(rounds):
        lo = lows[r % len(lows)]
        hi = min(horizon, lo + WINDOW)
        inside = {
            a
            for a, p in by_award.items()
            if all(lo <= start and start + n <= hi for start, n in p.pieces)
        }
        left_out = [a for a in ranked if a.id not in by_award]
        if left_out:
            offset = (r // len(lows)) * CANDIDATES // 2 % len(left_out)
            chosen = (
                left_out[: CANDIDATES // 2]
                + (left_out[CANDIDATES // 2 :] * 2)[offset : offset + CANDIDATES // 2]
            )
        else:
            chosen = []
        free: list[Award] = []
        for award in [a for a in awards if a.id in inside] + chosen:
            if any(f.id == award.id for f in free):
                continue
            restricted = _restricted(award, lo, hi)
            if restricted is not None:
                free.append(restricted)
        fixed = [p for a, p in by_award.items() if a not in inside]
        sub = replace(
            instance,
            awards=tuple(f for f in free)
            + tuple(a for a in instance.awards if a.id not in {f.id for f in free}),
            pins=instance.pins
            + tuple(Pin(award=p.award, beamline=p.beamline, pieces=tuple(p.pieces)) for p in fixed),
        )
        form = build(sub, free, codes, pinned_occupancy(sub), _caps_room(sub))
        before = [by_award[a] for a in inside]
        hint = _hint(form, before, sub)
        result = cpsat.solve(form, time_limit=SUB_LIMIT, workers=workers, seed=seed + r, hint=hint)
        if result.status == "timeout":
            continue
        before_value = (
            sum(form.primary[v] for v in hint),
            sum(form.secondary[v] for v in hint),
        )
        if (result.objective, result.secondary) >= before_value:
            for a in inside:
                del by_award[a]
            for p in decode(form, result.values):
                by_award[p.award] = p
    return [by_award[a] for a in sorted(by_award)]


def _hint(form: Formulation, placements: list[Placement], instance: Instance) -> set[int]:
    """The literals true in ``placements`` (a complete, feasible hint): a split award's pieces
    are cut into the formulation's chunks (``p`` shifts each, the last one up to ``2p - 1``)."""
    awards = {a.id: a for a in instance.awards}
    wanted_starts = {
        (p.award, p.beamline, p.pieces[0][0], p.pieces[0][1]) for p in placements if p.pieces
    }
    wanted_placed = {(p.award, p.beamline) for p in placements}
    wanted_chunks: set[tuple[int, str, int, int]] = set()
    piece_starts: set[tuple[int, str, int]] = set()
    piece_ends: set[tuple[int, str, int]] = set()
    inside_preferred: set[tuple[int, str]] = set()
    for p in placements:
        award = awards.get(p.award)
        if award is None or award.contiguous:
            continue
        for start, length in p.pieces:
            piece_starts.add((p.award, p.beamline, start))
            piece_ends.add((p.award, p.beamline, start + length - 1))
            t, rest = start, length
            while rest > 0:
                take = award.piece if rest >= 2 * award.piece else rest
                wanted_chunks.add((p.award, p.beamline, t, take))
                t, rest = t + take, rest - take
        pref = award.preferred
        if pref is not None and all(pref[0] <= a and a + n <= pref[1] for a, n in p.pieces):
            inside_preferred.add((p.award, p.beamline))
    hint = {v for v, key in form.starts.items() if key in wanted_starts}
    hint |= {v for v, key in form.chunks.items() if key in wanted_chunks}
    hint |= {v for v, key in form.placed.items() if key in wanted_placed}
    for v, (kind, award_id, code, s) in form.aux.items():
        if kind == "end":
            on = (award_id, code, s) in piece_ends
        elif kind == "fragment":
            on = (award_id, code, s) in piece_starts
        else:
            on = (award_id, code) in inside_preferred
        if on:
            hint.add(v)
    return hint


def decode(form: Formulation, values: list[bool]) -> list[Placement]:
    out: dict[int, Placement] = {}
    for v, (award, code, t, n) in form.starts.items():
        if values[v]:
            out[award] = Placement(award=award, beamline=code, pieces=[(t, n)])
    chunks: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for v, (award, code, t, n) in form.chunks.items():
        if values[v]:
            chunks[(award, code)].append((t, n))
    for (award, code), found in chunks.items():
        out[award] = Placement(award=award, beamline=code, pieces=merge_pieces(found))
    return [out[a] for a in sorted(out)]


def preferred_met(instance: Instance, placements: list[Placement]) -> int:
    awards = {a.id: a for a in instance.awards}
    met = 0
    for p in placements:
        pref = awards[p.award].preferred
        if pref is not None and all(
            pref[0] <= start and start + n <= pref[1] for start, n in p.pieces
        ):
            met += 1
    return met


def fits_alone(
    instance: Instance,
    award: Award,
    *,
    windows: bool = True,
    blackouts: bool = True,
    caps: bool = True,
) -> bool:
    """Could ``award`` be placed if it were the only one (besides the pinned blocks)?"""
    occupied = pinned_occupancy(instance)
    room = _caps_room(instance)
    for code in award.beamlines:
        try:
            beamline = instance.beamline(code)
        except StopIteration:
            continue
        if caps and any(room.get((c, code), award.shifts) < award.shifts for c in award.classes):
            continue
        allowed = allowed_mask(instance, award, beamline, windows=windows, blackouts=blackouts)
        if award.contiguous:
            found = _contiguous(
                award, allowed, occupied[code], beamline.changeover, list(range(instance.horizon))
            )
        else:
            found = _split(award, allowed, occupied[code], beamline.changeover)
        if found is not None:
            return True
    return False


def explain(instance: Instance, award: Award) -> Unplaced:
    """Name the constraint that keeps ``award`` out of the schedule."""
    if fits_alone(instance, award):
        reason = CAPACITY
    elif fits_alone(instance, award, caps=False):
        reason = CAP
    elif award.blackouts and fits_alone(instance, award, blackouts=False):
        reason = BLACKOUTS
    elif award.windows and fits_alone(instance, award, windows=False):
        reason = WINDOWS
    else:
        reason = NO_WINDOW
    until = max(end for _, end in award.windows) if award.windows else None
    return Unplaced(
        award=award.id, reason=reason, beamlines=award.beamlines, shifts=award.shifts, until=until
    )
