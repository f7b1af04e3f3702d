"""Beamtime scheduling benchmark: CP-SAT against the greedy baseline and the LP bound.

A seeded generator of realistic instances (no database: the solver is a pure function):
10 beamlines in 4 technique groups (a proposal competes only within the beamlines of its
technique; 30% name one beamline); a 182-day period of 8-hour shifts (09:00, 17:00, 01:00)
with 3 start-up days, a mid-period shutdown week, a maintenance day every fortnight, two
machine-study shifts every week and 2-4 maintenance days per beamline (about 80% of the shifts
left for users); proposals with committee scores (x100), requested shifts by technique (2 to
30), 70% contiguous (the rest in pieces of at least 3 shifts), 0-3 blackout windows, 20%
restricted to one half of the period, 30% with preferred dates, 15% in a capped class (40% of
each beamline's user time), and a one-shift changeover on 3 beamlines.

Sizes: S = 300 proposals (under-subscribed), M = 600 (about 1.5x), L = 2,000 (about 5x).
Default CP-SAT budget: 30 deterministic seconds for every size (the app's default too).
Measured: on S and M the pattern-pool search (``solver/pool.py``) after the dives does what
CP-SAT's windows did, better (M: the same schedule with 30, 40 and 80 s); on L (components of
about 500 awards, where the pool search does not run) the windows after the dives gain
nothing, and the configuration LP and its dives take about 80 s of the wall time, two
components at a time.

    .venv/bin/python bench/schedule.py --size M [--time-limit 30] [--workers 2] [--seed 1]
    .venv/bin/python bench/schedule.py --instance FILE.json  # akari.scheduling.solver.instance
    .venv/bin/python bench/schedule.py --size L --export FILE.json

Prints proposals placed, score-weighted shifts of CP-SAT and greedy, the upper bound (LP
configuration LP of each component solved by column generation with HiGHS: at most the LP
relaxation of the time-indexed model; or CP-SAT's bound when tighter), the
ratios, wall time and peak memory, after checking the schedule with the independent checker,
and one machine-readable line ``RESULT size=... placed=... objective=... greedy=... bound=...
ratio_bound=... ratio_greedy=... seconds=...``.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # bench/machine.py
from akari.scheduling.solver import (
    Award,
    Beamline,
    Cap,
    Instance,
    solve,
    violations,
)

SIZES = {"S": 300, "M": 600, "L": 2000}
DAYS = 182
SHIFTS_PER_DAY = 3
# technique groups: beamlines and the range of shifts their proposals ask for
GROUPS = [
    (["BL01", "BL02", "BL03"], (2, 12)),
    (["BL04", "BL05", "BL06"], (4, 18)),
    (["BL07", "BL08"], (8, 30)),
    (["BL09", "BL10"], (2, 8)),
]
CAPPED = "priority_proprietary"


def generate(n: int, seed: int) -> Instance:
    rng = random.Random(seed)
    horizon = DAYS * SHIFTS_PER_DAY
    ring = [True] * horizon

    def close(day: int, first: int = 0, count: int = SHIFTS_PER_DAY) -> None:
        for s in range(day * 3 + first, min(horizon, day * 3 + first + count)):
            ring[s] = False

    for day in range(3):  # start-up
        close(day)
    for day in range(88, 95):  # shutdown week
        close(day)
    for day in range(13, DAYS, 14):  # fortnightly maintenance day
        close(day)
    for day in range(5, DAYS, 7):  # weekly machine study: two shifts
        close(day, 0, 2)

    def intervals(row: list[bool]) -> tuple[tuple[int, int], ...]:
        out: list[tuple[int, int]] = []
        for s, ok in enumerate(row):
            if ok and out and out[-1][1] == s:
                out[-1] = (out[-1][0], s + 1)
            elif ok:
                out.append((s, s + 1))
        return tuple(out)

    beamlines = []
    user_time = {}
    codes = [code for group, _ in GROUPS for code in group]
    for i, code in enumerate(codes):
        row = list(ring)
        for _ in range(rng.randint(2, 4)):
            day = rng.randrange(3, DAYS)
            for s in range(day * 3, day * 3 + 3):
                row[s] = False
        user_time[code] = sum(row)
        beamlines.append(
            Beamline(code=code, available=intervals(row), changeover=1 if i % 4 == 3 else 0)
        )
    awards = []
    half = horizon // 2
    for a in range(n):
        group, (lo, hi) = GROUPS[rng.randrange(len(GROUPS))]
        named = (rng.choice(group),) if rng.random() < 0.3 else tuple(rng.sample(group, len(group)))
        shifts = rng.randint(lo, hi)
        contiguous = rng.random() < 0.7
        windows: tuple[tuple[int, int], ...] = ()
        if rng.random() < 0.2:
            windows = ((0, half),) if rng.random() < 0.5 else ((half, horizon),)
        blackouts = []
        for _ in range(rng.randint(0, 3)):
            start = rng.randrange(horizon)
            blackouts.append((start, min(horizon, start + 3 * rng.randint(3, 10))))
        preferred = None
        if rng.random() < 0.3:
            start = rng.randrange(horizon - 63)
            preferred = (start, start + 63)
        awards.append(
            Award(
                id=a + 1,
                label=f"P{a + 1:04d}",
                beamlines=named,
                shifts=shifts,
                score=rng.randint(100, 500),
                contiguous=contiguous,
                min_piece=3,
                windows=windows,
                blackouts=tuple(sorted(blackouts)),
                preferred=preferred,
                classes=(CAPPED,) if rng.random() < 0.15 else (),
            )
        )
    caps = tuple(Cap(cls=CAPPED, beamline=c, max_shifts=user_time[c] * 40 // 100) for c in codes)
    return Instance(
        horizon=horizon,
        beamlines=tuple(beamlines),
        awards=tuple(awards),
        caps=caps,
        origin="2027-04-01T09:00:00+09:00",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="M")
    parser.add_argument("--instance", type=Path)
    parser.add_argument("--export", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--lp-time-limit",
        type=float,
        default=600.0,
        help="wall-clock safety net per component for the configuration LP and its dives "
        "(normally iteration counts end them: the run stays deterministic)",
    )
    args = parser.parse_args()
    if args.instance:
        instance = Instance.from_json(args.instance.read_text())
        size = args.instance.stem
    else:
        instance = generate(SIZES[args.size], args.seed)
        size = args.size
    if args.export:
        args.export.write_text(instance.to_json())
        print(f"wrote {args.export}")
        return 0
    limit = args.time_limit if args.time_limit is not None else 30.0
    print(machine.line(), flush=True)
    demand = sum(a.shifts for a in instance.awards)
    supply = sum(e - s for b in instance.beamlines for s, e in b.available)
    print(
        f"instance {size}: {len(instance.awards)} proposals, {len(instance.beamlines)} beamlines, "
        f"{instance.horizon} shifts, demand/supply {demand / supply:.2f}"
    )
    started = time.monotonic()
    result = solve(
        instance,
        time_limit=limit,
        workers=args.workers,
        seed=args.seed,
        lp_time_limit=args.lp_time_limit,
    )
    seconds = time.monotonic() - started
    problems = violations(instance, result.placements)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"components        {result.components} (status {result.status})")
    print(f"placed            {len(result.placements)} / {len(instance.awards)}")
    print(f"cp-sat objective  {result.objective}")
    print(f"greedy objective  {result.greedy}")
    print(
        f"bound (LP HiGHS)  {result.bound_lp:.1f} ({result.bound_kind} LP)   "
        f"cp-sat bound {result.bound_cpsat}"
    )
    print(f"ratio to bound    {result.ratio_bound:.5f}   (gap {result.gap:.4%})")
    print(f"ratio to greedy   {result.ratio_greedy:.4f}")
    print(f"preferred met     {result.preferred_met}   fragments {result.fragments}")
    print(f"violations        {len(problems)}")
    for problem in problems[:10]:
        print(f"  {problem}")
    print(f"wall time         {seconds:.1f} s   peak memory {peak_mb:.0f} MB")
    print(
        f"RESULT size={size} placed={len(result.placements)} objective={result.objective} "
        f"greedy={result.greedy} bound={result.bound:.0f} ratio_bound={result.ratio_bound:.5f} "
        f"ratio_greedy={result.ratio_greedy:.4f} seconds={seconds:.1f}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
