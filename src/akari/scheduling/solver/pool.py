"""Pattern-pool neighbourhood search: improve a component's schedule by re-choosing, exactly, the
patterns of a few stretches at a time (a MIP over a pool of patterns, solved with HiGHS).

**Why.** The time-indexed neighbourhoods of :func:`.schedule.improve` free a window of time, and
a split award with pieces on both sides of it cannot move: on the bench M component BL07-08
(awards of 8-30 shifts, 30% of them split and spread over the period) they never improved the
dive. Here a neighbourhood is a set of stretches drawn at random (seeded by the round number)
*closed over split awards*: every stretch holding a piece of a split award placed in a drawn
stretch is freed too, so such an award can be taken out or moved whole.

**A round.**

1. The patterns of the current schedule outside the neighbourhood are fixed (as a dive's prefix:
   :func:`.patterns.dive` with no dive steps), so the master LP is the configuration LP of the
   neighbourhood given the rest.
2. Column generation on that LP gives its duals (the local LP value is the neighbourhood's
   bound).
3. The **pool**: for every candidate placement in a free stretch (an award at a start shift),
   the best pattern through it for those duals (a forward and a backward longest path, so every
   item that may pay appears in some pattern), kept when its reduced cost is at least
   ``-POOL_DELTA``; at most ``POOL_PER_STRETCH`` per stretch, best first.
4. HiGHS solves the master over the model's patterns and the pool as a 0/1 program (started from
   the current schedule, so it never returns worse), within a node limit (deterministic; a
   wall-clock limit is only a safety net).
5. The new schedule replaces the old one when it places more score-weighted shifts.

Measured on bench M with the settings below (24 rounds, a fresh configuration LP): BL07-08
308,789 (the dives) -> 311,880 (configuration LP bound 314,926; CP-SAT's time-indexed windows
over 17 s: no gain); BL04-06 445,361 -> 447,074 (the windows: 446,731). Patterns from a
depth-first search (the best ``K`` of each stretch) alone found nothing: they all share their
first items. Which rounds improve depends on the draw, so single settings move the result by
about +-0.3% of a component; none of the tried ones (seeds 6/8/12, loss 500-2000, 300-1000
patterns per stretch) was better on both components.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

import highspy
import numpy as np

from .greedy import value
from .instance import Award, Instance, Placement
from .patterns import Model, Pattern, dive

# rounds of a component's search; stretches drawn per round (before the closure over split
# awards); reduced cost a pool pattern may lose; pool patterns per free stretch (measured on
# bench M, BL07-08: 300 per stretch 309,443 in 9 s, 500 311,880 in 17 s, 700 311,143 in 20 s;
# seeds 6/8/12 and a loss of 500-2000 within the noise of the draw)
POOL_ROUNDS = 24
POOL_SEEDS = 8
POOL_DELTA = 1000.0
POOL_PER_STRETCH = 500
CG_ROUNDS = 30  # column generation rounds on a neighbourhood's LP
MIP_NODES = 5  # branch-and-bound nodes of a round's 0/1 program (deterministic limit)
MIP_SAFETY_SECONDS = 20.0  # wall-clock safety net of a round's 0/1 program


def search(
    instance: Instance,
    model: Model,
    awards: list[Award],
    current: list[Placement],
    *,
    rounds: int = POOL_ROUNDS,
    bound: float = float("inf"),
    wall_limit: float = 600.0,
) -> list[Placement]:
    """The best schedule of ``rounds`` pool neighbourhoods from ``current`` (never worse).
    Stops early when the schedule reaches ``bound``. ``model`` is the component's
    configuration LP after column generation; it is left reset."""
    started = time.monotonic()
    best = list(current)
    best_value = value(instance, best)
    usable = [si for si, st in enumerate(model.stretches) if len(st.award)]
    if not usable:
        return best
    by_id = {a.id: a for a in awards}
    for r in range(rounds):
        if best_value >= bound - 1e-6 or time.monotonic() - started > wall_limit:
            break
        rng = random.Random(r)  # noqa: S311 (a reproducible draw, not a secret)
        current_patterns = model.patterns_of(best)
        if not current_patterns and best:
            break  # a placement outside the stretches (cannot happen for the solver's own)
        free = _neighbourhood(model, current_patterns, rng, usable)
        candidate = _round(model, current_patterns, free, by_id)
        model.reset()
        if candidate is not None:
            candidate_value = value(instance, candidate)
            if candidate_value > best_value:
                best, best_value = candidate, candidate_value
    return best


def _neighbourhood(
    model: Model, current: list[Pattern], rng: random.Random, usable: list[int]
) -> set[int]:
    """``POOL_SEEDS`` stretches drawn by ``rng``, and every stretch holding a piece of a split
    award placed in one of them."""
    seeds = set(rng.sample(usable, min(POOL_SEEDS, len(usable))))
    free = set(seeds)
    where: dict[int, set[int]] = defaultdict(set)  # split award -> stretches of its pieces
    for p in current:
        for a, _t, _length in p.items:
            if model.is_split[a]:
                where[a].add(p.stretch)
    for p in current:
        if p.stretch in seeds:
            for a, _t, _length in p.items:
                if model.is_split[a]:
                    free |= where[a]
    return free


def _round(
    model: Model, current: list[Pattern], free: set[int], by_id: dict[int, Award]
) -> list[Placement] | None:
    keep = [p for p in current if p.stretch not in free]
    inside = [p for p in current if p.stretch in free]
    fixed = dive(model, threshold=2.0, iterations=0, wall_limit=0.0, prefix=keep)
    if len(fixed) != len(keep):
        return None  # (a kept pattern that no longer agrees: not expected)
    for _ in range(CG_ROUNDS):
        _value, y = model.solve_lp(MIP_SAFETY_SECONDS)
        _bound, found = model.price(y)
        if not sum(model.add(p) for p in found):
            break
    _value, y = model.solve_lp(MIP_SAFETY_SECONDS)
    if not model.lp_optimal():
        return None
    for p in inside:
        model.add(p)
    pool: list[Pattern] = []
    for si in sorted(free):
        if len(model.stretches[si].award):
            pool.extend(through_patterns(model, si, y, delta=POOL_DELTA, limit=POOL_PER_STRETCH))
    lp = model._lp.getLp()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_max_nodes", MIP_NODES)
    # the root's heuristics find the improvements; the tree and restarts rarely do (measured on
    # bench M: 5 nodes, no restart, stop at the first improving solution: the same schedules
    # as 500 nodes, 2.5x faster; seed 3's BL07-08 62 s -> 50 s and +300 with 5 nodes against
    # 20; the root's cuts and heuristics are the rest of the time)
    h.setOptionValue("mip_allow_restart", False)
    h.setOptionValue("mip_max_improving_sols", 2)  # the start, then the first better one
    h.setOptionValue("time_limit", MIP_SAFETY_SECONDS)
    h.setOptionValue("presolve_rule_off", 32768)  # no probing: it took most of the time
    h.passModel(lp)
    columns = list(model.patterns)
    for pattern in pool:
        if (pattern.stretch, pattern.items) in model.known:
            continue
        model.add_column(h, pattern)
        columns.append(pattern)
    n = h.getNumCol()
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger, dtype=np.uint8)
    )
    offset = len(model.z)
    start = np.zeros(n)
    for p in fixed + inside:
        start[offset + model.known[(p.stretch, p.items)]] = 1.0
    split_on = {
        (a, model.stretches[p.stretch].code)
        for p in fixed + inside
        for a, _t, _length in p.items
        if model.is_split[a]
    }
    for k, key in enumerate(model.z):
        if key in split_on:
            start[k] = 1.0
    solution = highspy.HighsSolution()
    solution.col_value = list(start)
    h.setSolution(solution)
    h.run()
    if not h.getSolution().value_valid:
        return None
    values = np.array(h.getSolution().col_value)
    chosen = [columns[j] for j in range(len(columns)) if values[offset + j] > 0.5]
    placements = model.placements(chosen)
    return [p for p in placements if p.shifts == by_id[p.award].shifts]


def through_patterns(
    model: Model, si: int, y: np.ndarray, *, delta: float, limit: int
) -> list[Pattern]:
    """For every candidate placement of stretch ``si``, the best pattern through it for the
    duals ``y`` (best prefix before it, best suffix after it), when its reduced cost is at least
    ``-delta``: at most ``limit`` distinct patterns (by awards and lengths), best first. A
    pattern taking a contiguous award twice is skipped."""
    st = model.stretches[si]
    raw = model._weights(st, y)
    w = np.where(raw > -delta, raw, -np.inf)
    w = np.where(model.banned[st.code][st.award], -np.inf, w)
    size = st.end - st.start
    nxt = st.nxt - st.start
    at = st.t - st.start
    after = np.zeros(size + 1)  # best from shift t on
    after_choice = np.full(size + 1, -1)
    for t in range(size - 1, -1, -1):
        lo, hi = st.at[t], st.at[t + 1]
        after[t] = after[t + 1]
        if lo < hi:
            vals = w[lo:hi] + after[nxt[lo:hi]]
            k = int(np.argmax(vals))
            if vals[k] > after[t]:
                after[t], after_choice[t] = vals[k], lo + k
    before = np.zeros(size + 1)  # best before shift t
    before_choice = np.full(size + 1, -1)
    by_end = np.argsort(nxt, kind="stable")
    k = 0
    for t in range(1, size + 1):
        before[t] = before[t - 1]
        while k < len(by_end) and nxt[by_end[k]] <= t:
            c = int(by_end[k])
            if nxt[c] == t and before[at[c]] + w[c] > before[t]:
                before[t], before_choice[t] = before[at[c]] + w[c], c
            k += 1
    through = before[at] + w + after[nxt]
    sigma = y[model.stretch_row0 + si]
    ok = np.nonzero(np.isfinite(through) & (through >= sigma - delta))[0]
    ok = ok[np.argsort(-through[ok], kind="stable")]
    out: dict[tuple[tuple[int, int], ...], tuple[tuple[int, int, int], ...]] = {}
    for c in ok:
        items: list[tuple[int, int, int]] = []
        t = int(at[c])
        while t > 0:
            b = int(before_choice[t])
            if b < 0:
                t -= 1
                continue
            items.append((int(st.award[b]), st.start + int(at[b]), int(st.length[b])))
            t = int(at[b])
        items.reverse()
        items.append((int(st.award[c]), st.start + int(at[c]), int(st.length[c])))
        t = int(nxt[c])
        while t < size:
            b = int(after_choice[t])
            if b < 0:
                t += 1
                continue
            items.append((int(st.award[b]), st.start + int(at[b]), int(st.length[b])))
            t = int(nxt[b])
        contiguous = [a for a, _t, _length in items if not model.is_split[a]]
        if len(contiguous) != len(set(contiguous)):
            continue
        key = tuple(sorted((a, length) for a, _t, length in items))
        if key not in out:
            out[key] = tuple(items)
            if len(out) >= limit:
                break
    return [Pattern(stretch=si, items=items) for items in out.values()]
