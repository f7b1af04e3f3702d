"""The time-indexed 0/1 formulation of one component (shared by CP-SAT and the HiGHS LP bound).

Variables (all 0/1):

- ``x[a, b, t]`` — contiguous award ``a`` runs on beamline ``b`` in shifts ``[t, t + N)``;
  it holds ``[t, t + N + changeover)`` so that the next experiment waits for the changeover.
  Only starts where every shift is allowed (user time, the award's windows, outside its
  blackouts) and no pinned block is hit are created.
- for a split award (pieces of at least ``p = min_piece`` shifts): ``z[a, b]`` (placed on
  ``b``) and **chunks** ``q[a, b, t, l]`` — the award runs in ``[t, t + l)`` — with
  ``p <= l <= 2p - 1``. Every piece of ``p`` shifts or more is a row of adjacent chunks of
  those lengths, so the chunks describe every split schedule, and a chunk is an interval like
  a contiguous start: the LP cannot fill a gap shorter than ``p`` (a per-shift model can), which
  keeps the relaxation tight and the model small. On a beamline with a changeover, a chunk that
  another chunk of the same award may follow leaves the changeover to ``e[a, b, s]`` (a piece
  ends at ``s``: ``e >= chunks ending at s - chunks starting at s + 1``), which holds
  ``s + 1 .. s + gap``; the others hold it themselves.
- ``p[a, b]`` — a split award lies inside its preferred dates (a contiguous start inside the
  preferred dates carries the preference itself); ``f[a, b, s]`` — a piece (fragment) of a
  split award starts at ``s``.

Constraints: at most one placement per award; per beamline and shift, at most one literal
holding it (only the rows where a literal starts holding: the others are dominated, intervals
being an interval graph); a split award's chunks add up to ``N * z``; the policy caps (shifts
of a class on a beamline).

Objective, **lexicographic** (``cpsat.solve`` solves twice): first the score-weighted shifts
(``primary``: score * N per placed award), then, with that fixed, ``secondary``: ``w2`` per
award inside its preferred dates minus one per fragment (``w2`` exceeds every fragment count,
so one preference outweighs every fragment). ``weight`` folds both into one number with
``w1 = w2 * (1 + awards with preferred dates)`` for comparing schedules. The LP bound uses the
``rows`` (not ``cp_rows``) with the primary objective.
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
    # rows only CP-SAT needs (preferences, fragments): they only concern the secondary terms
    cp_rows: list[tuple[list[int], list[int], int, int]] = field(default_factory=list)
    # decoding: contiguous starts and split chunks
    starts: dict[int, tuple[int, str, int, int]] = field(default_factory=dict)  # v -> a,b,t,n
    chunks: dict[int, tuple[int, str, int, int]] = field(default_factory=dict)  # v -> a,b,t,l
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


def chunk_lengths(award: Award) -> list[int]:
    """Lengths of the chunks of a split award: every piece length >= p is a sum of them."""
    piece = award.piece
    return [n for n in range(piece, 2 * piece) if n <= award.shifts]


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
                    form, horizon, award, code, gap, allowed, free, hold, choices, caps, cap_terms
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


def _split(form, horizon, award, code, gap, allowed, free, hold, choices, caps, cap_terms):
    n = award.shifts
    lengths = chunk_lengths(award)
    runs = run_lengths(allowed)
    if not lengths or sum(allowed) < n:
        return

    def gap_free(s: int) -> bool:  # the changeover after a piece ending at s - 1
        return all(free[u] for u in range(s, min(horizon, s + gap)))

    can_start = [runs[s] >= lengths[0] for s in range(horizon)] + [False]
    chunk_at: dict[tuple[int, int], int] = {}
    ending: dict[int, list[int]] = defaultdict(list)  # s -> chunks ending at s (last shift)
    starting: dict[int, list[int]] = defaultdict(list)
    z = form.var(award.value, 0)
    form.placed[z] = (award.id, code)
    choices.append(z)
    for t in range(horizon):
        if not can_start[t]:
            continue
        for length in lengths:
            end = t + length
            if runs[t] < length:
                break
            if gap and not can_start[end] and not gap_free(end):
                continue  # the piece must end here, but its changeover is taken
            v = form.var()
            form.chunks[v] = (award.id, code, t, length)
            chunk_at[(t, length)] = v
            ending[end - 1].append(v)
            starting[t].append(v)
            hold(code, v, t, end + (gap if gap and not can_start[end] else 0))
    if not chunk_at:
        form.rows.append(([z], [1], 0, 0))
        return
    vs = list(chunk_at.values())
    lens = [form.chunks[v][3] for v in vs]
    form.rows.append(([*vs, z], [*lens, -n], 0, 0))
    for key in caps:
        cap_terms[key][0].extend(vs)
        cap_terms[key][1].extend(lens)
    if gap:
        for s, enders in sorted(ending.items()):
            if not can_start[s + 1]:
                continue  # the chunks hold their changeover themselves
            followers = starting.get(s + 1, [])
            if not gap_free(s + 1):
                # no room for the changeover: a piece ending at s must go on at s + 1
                form.rows.append(
                    (
                        [*enders, *followers],
                        [1] * len(enders) + [-1] * len(followers),
                        -len(followers),
                        0,
                    )
                )
                continue
            e = form.var()
            form.aux[e] = ("end", award.id, code, s)
            hold(code, e, s + 1, s + 1 + gap)
            form.rows.append(
                ([e, *enders, *followers], [1] + [-1] * len(enders) + [1] * len(followers), 0, 2)
            )
    # fragments (secondary): f >= chunks starting at s - chunks ending at s - 1
    for s, starters in sorted(starting.items()):
        f = form.var(0, -1)
        form.aux[f] = ("fragment", award.id, code, s)
        before = ending.get(s - 1, [])
        form.cp_rows.append(
            ([f, *starters, *before], [1] + [-1] * len(starters) + [1] * len(before), 0, 2)
        )
    if award.preferred is not None:
        lo, hi = award.preferred
        p = form.var(0, form.w2)
        form.aux[p] = ("preferred", award.id, code, lo)
        inside = [
            v for v in vs if lo <= form.chunks[v][2] and form.chunks[v][2] + form.chunks[v][3] <= hi
        ]
        form.cp_rows.append(([p, z], [1, -1], -1, 0))  # p <= z
        coefs = [form.chunks[v][3] for v in inside]
        form.cp_rows.append(([p, *inside], [n] + [-c for c in coefs], -sum(coefs) - n, 0))
