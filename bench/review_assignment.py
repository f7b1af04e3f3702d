"""Reviewer assignment benchmark: CP-SAT against the greedy baseline, in the same run.

Builds a call of 500 proposals and 100 reviewers in memory (no database: the solver is a pure
function over plain data), with 12 research fields, keywords drawn from a shared vocabulary,
panels by field (each proposal may be reviewed by the members of its field's panel and of two
neighbouring panels), about 2% conflicted pairs, 30 staff pins, 3 reviewers per proposal and a
workload cap of 18 per reviewer. Prints the solve time, the objective, the proven bound, and the
ratio of the objective to the greedy baseline's.

    .venv/bin/python bench/review_assignment.py [--proposals 500] [--reviewers 100] [--seed 7]

No thresholds: machines are shared and noisy; read the numbers.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from akari.reviews.solver import (
    ProposalItem,
    ReviewerItem,
    greedy,
    keyword_set,
    solve,
)

FIELDS = [f"field-{i:02d}" for i in range(12)]
VOCABULARY = [f"keyword-{i:03d}" for i in range(240)]


def build(
    n_proposals: int, n_reviewers: int, seed: int
) -> tuple[list[ProposalItem], list[ReviewerItem], set[tuple[int, int]], set[tuple[int, int]]]:
    rng = random.Random(seed)
    reviewers = []
    panel: dict[str, set[int]] = {f: set() for f in FIELDS}
    for r in range(n_reviewers):
        home = FIELDS[r % len(FIELDS)]
        fields = {home, rng.choice(FIELDS)}
        for f in fields:
            panel[f].add(r)
        reviewers.append(
            ReviewerItem(
                id=r,
                label=f"R{r}",
                fields=frozenset(fields),
                keywords=keyword_set(rng.sample(VOCABULARY, 12)),
            )
        )
    proposals = []
    for p in range(n_proposals):
        index = rng.randrange(len(FIELDS))
        near = {FIELDS[index], FIELDS[(index + 1) % len(FIELDS)], FIELDS[index - 1]}
        candidates = frozenset().union(*(panel[f] for f in near))
        proposals.append(
            ProposalItem(
                id=p,
                label=f"P{p:04d}",
                field=FIELDS[index],
                keywords=keyword_set(rng.sample(VOCABULARY, 5)),
                candidates=candidates,
            )
        )
    conflicts = {(p.id, r) for p in proposals for r in p.candidates or () if rng.random() < 0.02}
    pinned: set[tuple[int, int]] = set()
    while len(pinned) < 30:
        p = rng.randrange(n_proposals)
        r = rng.choice(sorted(proposals[p].candidates or ()))
        if (p, r) not in conflicts:
            pinned.add((p, r))
    return proposals, reviewers, conflicts, pinned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=500)
    parser.add_argument("--reviewers", type=int, default=100)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--cap", type=int, default=18)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--time-limit",
        type=float,
        default=float(os.environ.get("AKARI_ASSIGNMENT_TIME_LIMIT", "10")),
    )
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("AKARI_ASSIGNMENT_WORKERS", "1"))
    )
    args = parser.parse_args()

    started = time.perf_counter()
    proposals, reviewers, conflicts, pinned = build(args.proposals, args.reviewers, args.seed)
    caps = {r.id: args.cap for r in reviewers}
    print(
        f"instance: {len(proposals)} proposals, {len(reviewers)} reviewers, k={args.k}, "
        f"cap={args.cap}, {len(conflicts)} conflicts, {len(pinned)} pins "
        f"(built in {time.perf_counter() - started:.2f} s)"
    )
    baseline = greedy(proposals, reviewers, conflicts, args.k, caps, pinned)
    print(
        f"greedy : {baseline.wall_time:6.2f} s  objective {baseline.objective:6d}  "
        f"complete {baseline.complete} (short: {len(baseline.shortfalls)})"
    )
    result = solve(
        proposals,
        reviewers,
        conflicts,
        args.k,
        caps,
        pinned,
        time_limit=args.time_limit,
        workers=args.workers,
    )
    gap = (result.bound - result.objective) / result.bound if result.bound else 0.0
    print(
        f"cp-sat : {result.wall_time:6.2f} s  objective {result.objective:6d}  "
        f"bound {result.bound:8.1f}  gap {gap:.2%}  status {result.status}  "
        f"complete {result.complete}"
    )
    ratio = result.objective / baseline.objective if baseline.objective else float("inf")
    print(f"ratio  : cp-sat / greedy objective = {ratio:.3f}")


if __name__ == "__main__":
    main()
