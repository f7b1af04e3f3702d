"""The time-indexed 0/1 formulation of one component (shared by CP-SAT and the HiGHS LP bound).

Variables (all 0/1):

- ``x[a, b, t]`` — contiguous award ``a`` runs on beamline ``b`` in shifts ``[t, t + N)``;
  it holds ``[t, t + N + changeover)`` so that the next experiment waits for the changeover.
  Only starts where every shift is allowed (user time, the award's windows, outside its
  blackouts) and no pinned block is hit are created.
- for a split award: ``z[a, b]`` (placed on ``b``), ``y[a, b, s]`` (runs in shift ``s``),
  ``st[a, b, s]`` (a piece starts at ``s``; each piece is at least ``min_piece`` shifts long),
  and, with a changeover, ``e[a, b, s]`` (a piece ends at ``s``, holding ``s+1 .. s+gap``).
- ``p[a, b]`` — a split award lies inside its preferred dates (a contiguous start inside the
  preferred dates carries the bonus on ``x`` itself).

Constraints: at most one placement per award; per beamline and shift, at most one literal
holding it (only the rows where a literal starts holding: the others are dominated); a split
award's shifts add up to ``N * z``; the policy caps (shifts of a class on a beamline).

Objective, lexicographic through weights (documented in ``akari.scheduling.solver``)::

    W1 * sum(score * N * placed) + W2 * preferred_met + (max_pieces * z - pieces)

with ``W2 = 1 + sum(max_pieces)`` and ``W1 = W2 * (1 + awards with preferred dates)``, so one
unit of score-weighted shift outweighs every preference, and one preference every fragment.
The LP bound uses the same rows with the first term only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .instance import Award, Instance, allowed_mask, run_lengths


@dataclass
class Formulation:
    n_vars: int = 0
    primary: list[int] = field(default_factory=list)  # score-weighted shifts per variable
    secondary: list[int] = field(default_factory=list)  # preferences and fragments
    amo: list[list[int]] = field(default_factory=list)
    # linear rows: (vars, coefficients, lower, upper)
    rows: list[tuple[list[int], list[int], int, int]] = field(default_factory=list)
    # rows only CP-SAT needs (pieces, preferences): dropping them only relaxes the LP bound
    cp_rows: list[tuple[list[int], list[int], int, int]] = field(default_factory=list)
    implications: list[tuple[int, int]] = field(default_factory=list)  # a => b
    # decoding: contiguous starts and split shifts
    starts: dict[int, tuple[int, str, int, int]] = field(default_factory=dict)  # v -> a,b,t,n
    cells: dict[int, tuple[int, str, int]] = field(default_factory=dict)  # v -> a, b, s
    placed: dict[int, tuple[int, str]] = field(default_factory=dict)  # z -> a, b
    # auxiliary literals of split awards, for complete hints: v -> (kind, a, b, s)
    aux: dict[int, tuple[str, int, str, int]] = field(default_factory=dict)
    w1: int = 1
    w2: int = 1
    awards: list[int] = field(default_factory=list)

    def var(self, primary: int = 0, secondary: int = 0) -> int:
        self.primary.append(primary)
        self.secondary.append(secondary)
        self.n_vars += 1
        return self.n_vars - 1

    def weight(self, v: int) -> int:
        return self.w1 * self.primary[v] + self.secondary[v]


def build(
    instance: Instance,
    awards: list[Award],
    beamline_codes: set[str],
    occupied: dict[str, list[bool]],
    room: dict[tuple[str, str], int],
) -> Formulation:
    form = Formulation(awards=[a.id for a in awards])
    horizon = instance.horizon
    beamlines = {b.code: b for b in instance.beamlines if b.code in beamline_codes}
    holders: dict[str, list[list[int]]] = {code: [[] for _ in range(horizon)] for code in beamlines}
    fresh: dict[str, list[bool]] = {code: [False] * horizon for code in beamlines}
    cap_terms: dict[tuple[str, str], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    n_pref = sum(1 for a in awards if a.preferred is not None)
    form.w2 = 1 + sum(a.shifts // a.piece for a in awards if not a.contiguous)
    form.w1 = form.w2 * (1 + n_pref)

    def hold(code: str, v: int, start: int, end: int) -> None:
        end = min(end, horizon)
        if start >= end:
            return
        fresh[code][start] = True
        row = holders[code]
        for s in range(start, end):
            row[s].append(v)

    for award in awards:
        choices: list[int] = []
        for code in award.beamlines:
            beamline = beamlines.get(code)
            if beamline is None:
                continue
            gap = beamline.changeover
            free = [not o for o in occupied[code]]
            allowed = [
                a and f for a, f in zip(allowed_mask(instance, award, beamline), free, strict=True)
            ]
            caps = [(cls, code) for cls in award.classes if (cls, code) in room]
            if any(room[key] < award.shifts for key in caps):
                continue
            if award.contiguous:
                n = award.shifts
                runs = run_lengths(allowed)
                for t in range(horizon - n + 1):
                    if runs[t] < n or not all(
                        free[s] for s in range(t + n, min(horizon, t + n + gap))
                    ):
                        continue
                    bonus = 0
                    if award.preferred is not None:
                        lo, hi = award.preferred
                        bonus = form.w2 if lo <= t and t + n <= hi else 0
                    v = form.var(award.value, bonus)
                    form.starts[v] = (award.id, code, t, n)
                    hold(code, v, t, t + n + gap)
                    choices.append(v)
                    for key in caps:
                        cap_terms[key][0].append(v)
                        cap_terms[key][1].append(n)
            else:
                _split(
                    form, instance, award, code, gap, allowed, free, hold, choices, caps, cap_terms
                )
        if len(choices) > 1:
            form.amo.append(choices)
    for code in beamlines:
        for s in range(horizon):
            if fresh[code][s] and len(holders[code][s]) > 1:
                form.amo.append(holders[code][s])
    for key, (vs, cs) in cap_terms.items():
        if sum(cs) > room[key]:
            form.rows.append((vs, cs, 0, max(0, room[key])))
    return form


def _split(form, instance, award, code, gap, allowed, free, hold, choices, caps, cap_terms):
    horizon, n, piece = instance.horizon, award.shifts, award.piece
    runs = run_lengths(allowed)
    if sum(allowed) < n:
        return
    max_pieces = n // piece
    z = form.var(award.value, max_pieces)
    form.placed[z] = (award.id, code)
    choices.append(z)
    y: dict[int, int] = {}
    for s in range(horizon):
        if allowed[s]:
            y[s] = form.var()
            form.cells[y[s]] = (award.id, code, s)
            hold(code, y[s], s, s + 1)
    ys = list(y.values())
    form.rows.append(([*ys, z], [1] * len(ys) + [-n], 0, 0))
    for key in caps:
        cap_terms[key][0].extend(ys)
        cap_terms[key][1].extend([1] * len(ys))
    for s, v in y.items():
        # a piece starting at s
        prev = y.get(s - 1)
        if runs[s] < piece:
            if prev is None:
                form.rows.append(([v], [1], 0, 0))
            else:
                form.rows.append(([v, prev], [1, -1], -1, 0))  # y[s] <= y[s-1]
        else:
            if prev is None:
                start = v
            else:
                start = form.var(0, -1)
                form.aux[start] = ("start", award.id, code, s)
                form.cp_rows.append(([start, v, prev], [1, -1, 1], 0, 1))  # st >= y[s] - y[s-1]
            if prev is None:
                form.secondary[v] -= 1
            for k in range(1, piece):
                form.implications.append((start, y[s + k]))
        if gap:
            nxt = y.get(s + 1)
            blocked = not all(free[u] for u in range(s + 1, min(horizon, s + 1 + gap)))
            if blocked:
                if nxt is None:
                    form.rows.append(([v], [1], 0, 0))
                else:
                    form.rows.append(([v, nxt], [1, -1], -1, 0))
                continue
            if nxt is None:
                hold(code, v, s + 1, s + 1 + gap)  # the piece surely ends here
            else:
                end = form.var()
                form.aux[end] = ("end", award.id, code, s)
                form.rows.append(([end, v, nxt], [1, -1, 1], 0, 1))  # e >= y[s] - y[s+1]
                hold(code, end, s + 1, s + 1 + gap)
    if award.preferred is not None:
        lo, hi = award.preferred
        p = form.var(0, form.w2)
        form.aux[p] = ("preferred", award.id, code, lo)
        inside = [v for s, v in y.items() if lo <= s < hi]
        form.cp_rows.append(([p, z], [1, -1], -1, 0))  # p <= z
        form.cp_rows.append(([p, *inside], [n] + [-1] * len(inside), -len(inside) - n, 0))
