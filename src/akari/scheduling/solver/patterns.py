"""Stretch patterns: the configuration LP of a component, by column generation, and the
schedule CP-SAT picks among the patterns it generated.

**Why.** A beamline's free user time falls into *stretches* (maximal runs of user shifts between
machine studies, maintenance days and pinned blocks: about a week of 8-hour shifts), and a block
never crosses one. Scheduling is then a packing of awards into stretches, and the LP relaxation
of the time-indexed model (:mod:`.bound`) is the weak *assignment* relaxation of that packing:
it may fill a 19-shift stretch with 1.9 awards of 10 shifts. The **configuration LP** chooses,
for every stretch, a *pattern* (the awards placed in it, with their start shifts) and is far
tighter (for bin packing it is within one bin of the optimum); its columns are also good
building blocks for a schedule.

**Master LP** (maximise score-weighted shifts), columns ``lambda[P]`` (pattern ``P`` of a
stretch) and ``z[a, b]`` (split award ``a`` on beamline ``b``):

- each award at most once: contiguous ``sum(lambda[P] : a in P) <= 1``; split ``sum_b z <= 1``;
- a split award's pieces add up to its shifts: ``sum(len_a(P) * lambda[P] : P on b) = N z[a,b]``;
- each stretch at most one pattern: ``sum(lambda[P] : P in s) <= 1``;
- the policy caps: ``sum(class shifts of P * lambda[P]) <= room``.

**Pricing** (per stretch, exact): the best pattern for the duals is a longest path over the
stretch's shifts (place a candidate at ``t``, go on at its end plus the changeover), first with
repeats allowed (a dynamic programme that also gives an upper bound for every suffix), then, if
a contiguous award appears twice, a depth-first search without repeats bounded by it.

**Bound.** For any duals ``y`` of the right signs, ``sum(y * rhs) + sum_z max(0, rc_z) +
sum_s max(0, best pattern of s)`` bounds every schedule (Lagrangian bound over the complete
pattern set, which pricing searches exactly): valid at any iteration, however the LP was
solved. Every schedule of the time-indexed model (:mod:`.formulation`) is such a set of
patterns, so the bound is also a bound of that model.

**Schedule.** A dive through the master LP (:func:`dive`): fix the patterns the LP takes, price
again, repeat; then the greedy first fit around the complete awards (:func:`start_schedule`).
It is the start CP-SAT improves (:mod:`.schedule`). (CP-SAT on the integer master over the
generated patterns was measured: it stays at its hint, the patterns of a converged LP combine
badly.)

Deterministic: iteration counts and HiGHS's simplex; the wall-clock limit is only a safety
net.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from .greedy import greedy
from .instance import (
    Award,
    Instance,
    Pin,
    Placement,
    allowed_mask,
    merge_pieces,
    run_lengths,
)

EPS = 1e-6


@dataclass
class Stretch:
    code: str
    start: int
    end: int  # exclusive
    # candidates (numpy arrays, one entry per (award, start, length) placement in the stretch)
    award: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # award index
    split: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    t: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    length: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    nxt: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # next free position
    at: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # first candidate at t


@dataclass
class Pattern:
    stretch: int
    items: tuple[tuple[int, int, int], ...]  # (award index, start, length)


@dataclass
class PatternResult:
    bound: float  # proven upper bound on the primary objective of the component
    lp_value: float  # the master LP's last value
    placements: list[Placement]
    iterations: int
    patterns: int
    converged: bool


def _stretches(
    instance: Instance, codes: list[str], occupied: dict[str, list[bool]]
) -> list[Stretch]:
    out: list[Stretch] = []
    horizon = instance.horizon
    for code in codes:
        beamline = instance.beamline(code)
        user = [False] * horizon
        for a, b in beamline.available:
            for s in range(max(0, a), min(horizon, b)):
                user[s] = True
        s = 0
        while s < horizon:
            if user[s] and not occupied[code][s]:
                e = s
                while e < horizon and user[e] and not occupied[code][e]:
                    e += 1
                out.append(Stretch(code=code, start=s, end=e))
                s = e
            else:
                s += 1
    return out


class Model:
    """The configuration LP of one component and its pricing."""

    def __init__(
        self,
        instance: Instance,
        awards: list[Award],
        codes: set[str],
        occupied: dict[str, list[bool]],
        room: dict[tuple[str, str], int],
    ) -> None:
        self.instance = instance
        self.awards = awards
        self.codes = sorted(codes)
        horizon = instance.horizon
        self.stretches = _stretches(instance, self.codes, occupied)
        by_code: dict[str, list[int]] = defaultdict(list)
        for i, st in enumerate(self.stretches):
            by_code[st.code].append(i)
        self.values = np.array([a.value for a in awards], dtype=np.float64)
        self.shifts = np.array([a.shifts for a in awards], dtype=np.int64)
        self.is_split = np.array([not a.contiguous for a in awards], dtype=bool)
        # rows: awards, then split (award, beamline), then stretches, then caps
        self.n_award_rows = len(awards)
        self.split_rows: dict[tuple[int, str], int] = {}
        self.cap_keys = sorted(key for key in room if key[1] in codes)
        self.room = room
        cand: dict[int, list[tuple[int, bool, int, int, int]]] = defaultdict(list)
        self.eligible: dict[int, list[str]] = defaultdict(list)
        for i, award in enumerate(awards):
            for code in award.beamlines:
                if code not in codes:
                    continue
                if any(
                    room[(cls, code)] < award.shifts for cls in award.classes if (cls, code) in room
                ):
                    continue
                beamline = instance.beamline(code)
                gap = beamline.changeover
                free = [not o for o in occupied[code]]
                allowed = [
                    x and f
                    for x, f in zip(allowed_mask(instance, award, beamline), free, strict=True)
                ]
                runs = run_lengths(allowed)
                n = award.shifts
                if not award.contiguous and sum(allowed) < n:
                    continue  # its pieces cannot add up on this beamline
                found = False
                for si in by_code[code]:
                    st = self.stretches[si]
                    for t in range(st.start, st.end):
                        if runs[t] < (n if award.contiguous else award.piece):
                            continue
                        lengths = (
                            [n] if award.contiguous else range(award.piece, min(n, runs[t]) + 1)
                        )
                        for length in lengths:
                            end = t + length
                            if gap and not all(
                                free[u] for u in range(max(end, st.end), min(horizon, end + gap))
                            ):
                                continue
                            cand[si].append(
                                (i, not award.contiguous, t, length, min(end + gap, st.end))
                            )
                            found = True
                if found:
                    self.eligible[i].append(code)
                    if not award.contiguous:
                        self.split_rows[(i, code)] = -1
        for si, rows in cand.items():
            st = self.stretches[si]
            arr = np.array(rows, dtype=np.int64)
            arr = arr[np.argsort(arr[:, 2], kind="stable")]  # by start: one slice per shift
            st.award, st.split, st.t = arr[:, 0], arr[:, 1].astype(bool), arr[:, 2]
            st.length, st.nxt = arr[:, 3], arr[:, 4]
            st.at = np.searchsorted(st.t, np.arange(st.start, st.end + 1))
        base = self.n_award_rows
        for k, key in enumerate(sorted(self.split_rows)):
            self.split_rows[key] = base + k
        self.stretch_row0 = base + len(self.split_rows)
        self.cap_row0 = self.stretch_row0 + len(self.stretches)
        self.cap_index = {key: self.cap_row0 + k for k, key in enumerate(self.cap_keys)}
        self.n_rows = self.cap_row0 + len(self.cap_keys)
        # per (award, beamline): cap rows it counts against
        self.cap_rows: dict[tuple[int, str], list[int]] = {}
        for i, award in enumerate(awards):
            for code in self.eligible.get(i, []):
                self.cap_rows[(i, code)] = [
                    self.cap_index[(cls, code)]
                    for cls in award.classes
                    if (cls, code) in self.cap_index
                ]
        self.patterns: list[Pattern] = []
        self.known: dict[tuple[int, tuple[tuple[int, int, int], ...]], int] = {}
        self.z: list[tuple[int, str]] = sorted(self.split_rows)
        self.fixed_stretches: set[int] = set()
        # awards a dive has decided (no longer priced on these beamlines)
        self.banned = {code: np.zeros(len(awards), dtype=bool) for code in self.codes}
        self._lp = self._master()

    def reset(self) -> None:
        """Undo a dive's decisions (the patterns it generated stay)."""
        n = len(self.z) + len(self.patterns)
        self._lp.changeColsBounds(n, np.arange(n, dtype=np.int32), np.zeros(n), np.ones(n))
        self.fixed_stretches.clear()
        for banned in self.banned.values():
            banned[:] = False

    def set_bounds(self, column: int, lower: float, upper: float) -> None:
        """Bounds of a master column (``z`` columns first, then the patterns)."""
        self._lp.changeColBounds(column, lower, upper)

    def lp_optimal(self) -> bool:
        return bool(self._lp.getModelStatus() == highspy.HighsModelStatus.kOptimal)

    def pattern_values(self) -> np.ndarray:
        """The last LP solution's value of every pattern column."""
        return np.array(self._lp.getSolution().col_value)[len(self.z) :]

    # --- the master LP ------------------------------------------------------------------
    def _master(self) -> highspy.Highs:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        lower = np.full(self.n_rows, -highspy.kHighsInf)
        upper = np.ones(self.n_rows)
        for k in self.split_rows.values():
            lower[k] = upper[k] = 0.0
        for key, k in self.cap_index.items():
            upper[k] = float(max(0, self.room[key]))
        self.row_lower, self.row_upper = lower, upper
        h.addRows(self.n_rows, lower, upper, 0, np.zeros(1, np.int32), np.zeros(0, np.int32), [])
        for a, code in self.z:
            rows = [a, self.split_rows[(a, code)]]
            coefs = [1.0, -float(self.shifts[a])]
            h.addCol(float(self.values[a]), 0.0, 1.0, 2, np.array(rows, np.int32), np.array(coefs))
        return h

    def column(self, pattern: Pattern) -> tuple[float, dict[int, float]]:
        code = self.stretches[pattern.stretch].code
        cost = 0.0
        entries: dict[int, float] = defaultdict(float)
        entries[self.stretch_row0 + pattern.stretch] = 1.0
        for a, _t, length in pattern.items:
            if self.is_split[a]:
                entries[self.split_rows[(a, code)]] += length
            else:
                cost += self.values[a]
                entries[a] += 1.0
            for row in self.cap_rows[(a, code)]:
                entries[row] += length
        return cost, entries

    def add(self, pattern: Pattern) -> bool:
        key = (pattern.stretch, pattern.items)
        if key in self.known:
            return False
        self.known[key] = len(self.patterns)
        self.patterns.append(pattern)
        self.add_column(self._lp, pattern)
        return True

    def add_column(self, h: highspy.Highs, pattern: Pattern) -> None:
        """Add ``pattern``'s column (bounds 0..1) to ``h``: the master LP, or a copy of it."""
        cost, entries = self.column(pattern)
        rows = sorted(entries)
        h.addCol(
            cost,
            0.0,
            1.0,
            len(rows),
            np.array(rows, np.int32),
            np.array([entries[r] for r in rows]),
        )

    def solve_lp(self, time_limit: float) -> tuple[float, np.ndarray]:
        self._lp.setOptionValue("time_limit", float(max(1.0, time_limit)))
        self._lp.run()
        info = self._lp.getInfo()
        y = np.array(self._lp.getSolution().row_dual, dtype=np.float64)
        if len(y) != self.n_rows:
            y = np.zeros(self.n_rows)
        # signs valid for a maximisation: >= 0 on "<=" rows; equality rows free
        upper_only = ~np.isfinite(self.row_lower)
        y[upper_only & (y < 0)] = 0.0
        return float(info.objective_function_value), y

    # --- pricing ------------------------------------------------------------------------
    def price(self, y: np.ndarray) -> tuple[float, list[Pattern]]:
        """The Lagrangian bound for ``y`` and, per stretch, its best pattern when it has a
        positive reduced cost (``sigma`` of the stretch row subtracted)."""
        bound = float(y[: self.n_award_rows].clip(min=0).sum())
        for key, k in self.cap_index.items():
            bound += float(y[k]) * max(0, self.room[key])
        for a, code in self.z:
            rc = self.values[a] - y[a] + self.shifts[a] * y[self.split_rows[(a, code)]]
            bound += max(0.0, float(rc))
        found: list[Pattern] = []
        for si, st in enumerate(self.stretches):
            if not len(st.award) or si in self.fixed_stretches:
                continue
            upper, best, items = self._best(si, st, y)
            bound += max(0.0, upper)
            if items and best - y[self.stretch_row0 + si] > EPS:
                found.append(Pattern(stretch=si, items=items))
        return bound, found

    def _weights(self, st: Stretch, y: np.ndarray) -> np.ndarray:
        code = st.code
        per_cap = np.zeros(len(self.awards))
        for (a, c), rows in self.cap_rows.items():
            if c == code and rows:
                per_cap[a] = sum(y[r] for r in rows)
        split_dual = np.zeros(len(self.awards))
        for (a, c), row in self.split_rows.items():
            if c == code:
                split_dual[a] = y[row]
        idx = st.award
        contiguous = self.values[idx] - y[idx] - self.shifts[idx] * per_cap[idx]
        pieces = st.length * (-split_dual[idx] - per_cap[idx])
        return np.where(st.split, pieces, contiguous)

    def _best(
        self, si: int, st: Stretch, y: np.ndarray
    ) -> tuple[float, float, tuple[tuple[int, int, int], ...]]:
        """(upper bound of the stretch's best reduced cost, value of the pattern found, the
        pattern). Both values agree when the search is exact (always, unless the search
        without repeats runs out of its node budget)."""
        raw = self._weights(st, y)
        w = np.where((raw > EPS) & ~self.banned[st.code][st.award], raw, -np.inf)
        size = st.end - st.start
        nxt = st.nxt - st.start
        f = np.zeros(size + 1)
        choice = np.full(size + 1, -1)
        for t in range(size - 1, -1, -1):
            lo, hi = st.at[t], st.at[t + 1]
            f[t] = f[t + 1]
            if lo == hi:
                continue
            vals = w[lo:hi] + f[nxt[lo:hi]]
            k = int(np.argmax(vals))
            if vals[k] > f[t] + EPS:
                f[t], choice[t] = vals[k], lo + k
        items: list[tuple[int, int, int]] = []
        t = 0
        while t < size:
            c = int(choice[t])
            if c < 0:
                t += 1
                continue
            items.append((int(st.award[c]), st.start + t, int(st.length[c])))
            t = int(nxt[c])
        contiguous = [a for a, _, _ in items if not self.is_split[a]]
        if len(contiguous) == len(set(contiguous)):
            return float(f[0]), float(f[0]), tuple(items)
        # a contiguous award twice: exact search without repeats, bounded by f (the best
        # value from every shift on, repeats allowed)
        ordered: dict[tuple[int, bool], list[tuple[float, float, int, int, int, bool]]] = {}
        head = 24  # candidates listed first (the search rarely goes deeper)

        def candidates(t: int, full: bool) -> list[tuple[float, float, int, int, int, bool]]:
            found = ordered.get((t, full))
            if found is None:
                lo, hi = st.at[t], st.at[t + 1]
                vals = w[lo:hi] + f[nxt[lo:hi]]
                order = np.argsort(-vals, kind="stable")
                found = [
                    (
                        float(vals[k]),
                        float(w[lo + k]),
                        int(st.award[lo + k]),
                        int(st.length[lo + k]),
                        int(nxt[lo + k]),
                        bool(st.split[lo + k]),
                    )
                    for k in (order if full else order[:head])
                    if np.isfinite(vals[k])
                ]
                ordered[(t, full)] = found
            return found

        def walk(t: int) -> Iterator[tuple[float, float, int, int, int, bool]]:
            listed = candidates(t, False)
            yield from listed
            if len(listed) == head:  # the rest is listed only when the search gets there
                yield from candidates(t, True)[head:]

        best_value = [0.0]
        best_items: list[tuple[int, int, int]] = []
        path: list[tuple[int, int, int]] = []
        used: set[int] = set()
        budget = [20_000]

        def dfs(t: int, value: float) -> None:
            budget[0] -= 1
            if budget[0] < 0:
                return
            if value > best_value[0] + EPS:
                best_value[0] = value
                best_items[:] = path
            if t >= size or value + f[t] <= best_value[0] + EPS:
                return
            for through, w_c, a, length, after, split in walk(t):
                if value + through <= best_value[0] + EPS:
                    break  # sorted: the rest cannot do better
                if not split and a in used:
                    continue
                path.append((a, st.start + t, length))
                if not split:
                    used.add(a)
                dfs(after, value + w_c)
                path.pop()
                if not split:
                    used.discard(a)
            dfs(t + 1, value)

        dfs(0, 0.0)
        if budget[0] < 0:  # cut short: the relaxed value still bounds the stretch
            return float(f[0]), best_value[0], tuple(best_items)
        return best_value[0], best_value[0], tuple(best_items)

    # --- from and to schedules ------------------------------------------------------------
    def patterns_of(self, placements: list[Placement]) -> list[Pattern]:
        index = {a.id: i for i, a in enumerate(self.awards)}
        where: dict[tuple[str, int], int] = {}
        for si, st in enumerate(self.stretches):
            for s in range(st.start, st.end):
                where[(st.code, s)] = si
        items: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for p in placements:
            i = index.get(p.award)
            if i is None:
                continue
            for start, length in p.pieces:
                at = where.get((p.beamline, start))
                if at is None:
                    return []
                items[at].append((i, start, length))
        return [
            Pattern(stretch=si, items=tuple(sorted(v, key=lambda x: x[1])))
            for si, v in items.items()
        ]

    def placements(self, chosen: list[Pattern]) -> list[Placement]:
        pieces: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
        for pattern in chosen:
            code = self.stretches[pattern.stretch].code
            for a, t, length in pattern.items:
                pieces[(a, code)].append((t, length))
        out = []
        for (a, code), found in sorted(pieces.items()):
            out.append(
                Placement(award=self.awards[a].id, beamline=code, pieces=merge_pieces(found))
            )
        return out


def generate(model: Model, *, iterations: int, wall_limit: float) -> tuple[float, float, int, bool]:
    """Column generation: returns (best bound, last LP value, iterations, converged)."""
    started = time.monotonic()
    best = float("inf")
    lp_value = 0.0
    converged = False
    done = 0
    while done < iterations:
        left = wall_limit - (time.monotonic() - started)
        if left <= 0 and done:
            break
        done += 1
        lp_value, y = model.solve_lp(left)
        bound, found = model.price(y)
        best = min(best, bound)
        added = sum(model.add(p) for p in found)
        if not added or best - lp_value <= 1e-7 * max(1.0, abs(best)):
            converged = True
            break
    return best, lp_value, done, converged


def dive(
    model: Model,
    *,
    threshold: float = 0.5,
    complete: bool = True,
    iterations: int = 5,
    wall_limit: float,
    prefix: Sequence[Pattern] = (),
) -> list[Pattern]:
    """A schedule by diving: solve the master LP (with a few pricing rounds), fix the patterns
    it takes at ``threshold`` or more (at least its heaviest one) that agree with the patterns
    fixed so far, and repeat until every stretch is decided or the LP takes none. With
    ``complete``, a split award the dive has begun must be completed by the LP (released when
    that makes the LP infeasible).

    ``prefix``: patterns fixed first (a neighbourhood search keeps part of a schedule).

    Returns the fixed patterns (a split award's pieces may not add up yet: the caller keeps
    only complete awards)."""
    started = time.monotonic()
    offset = len(model.z)
    used: set[int] = set()  # contiguous awards taken by fixed patterns
    split_on: dict[int, str] = {}
    split_len: dict[int, int] = defaultdict(int)
    cap_use: dict[int, float] = defaultdict(float)
    chosen: list[Pattern] = []
    forced: list[int] = []  # z columns forced to 1 (a split award begun must be completed)
    z_index = {key: k for k, key in enumerate(model.z)}

    def fix(pattern: Pattern) -> bool:
        """Fix ``pattern``, or the part of it that agrees with what is fixed."""
        if pattern.stretch in model.fixed_stretches:
            return False
        code = model.stretches[pattern.stretch].code
        # keep the items that agree with what is fixed (a subset of a pattern is one)
        items: list[tuple[int, int, int]] = []
        lengths: dict[int, int] = defaultdict(int)
        taken: set[int] = set()
        caps_now: dict[int, float] = defaultdict(float)
        for a, t, length in pattern.items:
            if model.is_split[a]:
                if split_on.get(a, code) != code:
                    continue
                # what is left must be nothing or a piece: shorten this one if need be
                before = split_len[a] + lengths[a]
                piece = model.awards[a].piece
                left = int(model.shifts[a]) - before - length
                if left < 0:
                    length += left
                elif 0 < left < piece:
                    length -= piece - left
                if length < piece:
                    continue
            elif a in used or a in taken:
                continue
            rows = model.cap_rows[(a, code)]
            if any(cap_use[r] + caps_now[r] + length > model.row_upper[r] + EPS for r in rows):
                continue
            for r in rows:
                caps_now[r] += length
            if model.is_split[a]:
                lengths[a] += length
            else:
                taken.add(a)
            items.append((a, t, length))
        if not items:
            return False
        pattern = Pattern(stretch=pattern.stretch, items=tuple(items))
        model.add(pattern)
        j = model.known[(pattern.stretch, pattern.items)]
        contiguous = sorted(taken)
        entries = model.column(pattern)[1]
        model.fixed_stretches.add(pattern.stretch)
        model.set_bounds(offset + j, 1.0, 1.0)
        used.update(contiguous)
        for banned in model.banned.values():
            banned[contiguous] = True
        for a, length in lengths.items():
            if a not in split_on:  # its other beamlines are out
                for k, (b, other) in enumerate(model.z):
                    if b == a and other != code:
                        model.set_bounds(k, 0.0, 0.0)
                        model.banned[other][a] = True
                if complete:  # begun: the LP must complete it
                    k = z_index[(a, code)]
                    model.set_bounds(k, 1.0, 1.0)
                    forced.append(k)
            split_on[a] = code
            split_len[a] += length
        for row, c in entries.items():
            if row >= model.cap_row0:
                cap_use[row] += c
        chosen.append(pattern)
        return True

    for pattern in prefix:
        fix(pattern)

    while time.monotonic() - started < wall_limit:
        if forced:
            model.solve_lp(wall_limit - (time.monotonic() - started))
            if not model.lp_optimal():
                for k in forced:  # cannot complete them all: let the LP decide
                    model.set_bounds(k, 0.0, 1.0)
                forced = []
        for _ in range(iterations):
            _value, y = model.solve_lp(wall_limit - (time.monotonic() - started))
            _bound, found = model.price(y)
            if not sum(model.add(p) for p in found):
                break
        values = model.pattern_values()
        order = sorted(
            (
                j
                for j in range(len(values))
                if values[j] > EPS and model.patterns[j].stretch not in model.fixed_stretches
            ),
            key=lambda j: (-values[j], j),
        )
        fixed_now = 0
        for j in order:
            if values[j] < threshold and fixed_now:
                break
            fixed_now += fix(model.patterns[j])
        if not fixed_now:
            break
    return chosen


def start_schedule(
    instance: Instance, model: Model, chosen: list[Pattern], awards: list[Award]
) -> list[Placement]:
    """The dive's complete awards (a split award whose pieces fall short is dropped), then the
    greedy baseline's first fit of the rest of the component around them. (Short awards first
    was measured: no better.)"""
    by_id = {a.id: a for a in awards}
    kept = [p for p in model.placements(chosen) if p.shifts == by_id[p.award].shifts]
    mine = set(by_id)
    pinned = {p.award for p in instance.pins}
    rest = replace(
        instance,
        awards=tuple(a for a in instance.awards if a.id in mine or a.id in pinned),
        pins=instance.pins
        + tuple(Pin(award=p.award, beamline=p.beamline, pieces=tuple(p.pieces)) for p in kept),
    )
    return [p for p in greedy(rest) if p.award in mine]
