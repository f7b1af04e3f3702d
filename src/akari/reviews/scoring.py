"""Per-reviewer normalisation of peer review scores and the ranking order (pure functions).

**Normalisation** (z-score per reviewer over the call): a reviewer's score ``s`` becomes
``(s - m) / sd`` where ``m`` and ``sd`` are the mean and the population standard deviation of
all the scores that reviewer submitted in the call. A reviewer who gave only one score, or the
same score every time, has ``sd = 0``: their scores become ``0.0`` (mean-centred, no spread to
scale by). When the programme's scale has ``higher_is_better = False`` the sign is flipped, so a
higher normalised score is always better.

**Ranking** (see :func:`akari.reviews.selectors.beamline_ranking`): proposals with at least one
score first, by mean normalised score (best first), ties broken by mean raw score (best first
on the programme's scale) and then by proposal number; then the proposals without scores (routes
that skip peer review, or no review submitted) by technical verdict (feasible, feasible with
conditions, not feasible, none) and then by submission time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

VERDICT_ORDER = {"feasible": 0, "feasible_with_conditions": 1, "not_feasible": 2}


@dataclass(frozen=True)
class Score:
    proposal: int
    reviewer: int
    score: int


def normalise(scores: Iterable[Score], *, higher_is_better: bool) -> dict[tuple[int, int], float]:
    """(proposal, reviewer) -> z-score of that reviewer's score among their scores."""
    by_reviewer: dict[int, list[Score]] = defaultdict(list)
    for row in scores:
        by_reviewer[row.reviewer].append(row)
    sign = 1.0 if higher_is_better else -1.0
    result: dict[tuple[int, int], float] = {}
    for rows in by_reviewer.values():
        values = [row.score for row in rows]
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        for row in rows:
            z = (row.score - mean) / sd if sd > 0 else 0.0
            result[(row.proposal, row.reviewer)] = sign * z + 0.0  # no negative zero
    return result


def means(
    scores: Iterable[Score], normalised: Mapping[tuple[int, int], float]
) -> dict[int, tuple[float, float, int]]:
    """proposal -> (mean raw score, mean normalised score, number of scores)."""
    raw: dict[int, list[float]] = defaultdict(list)
    norm: dict[int, list[float]] = defaultdict(list)
    for row in scores:
        raw[row.proposal].append(row.score)
        norm[row.proposal].append(normalised[(row.proposal, row.reviewer)])
    return {p: (sum(raw[p]) / len(raw[p]), sum(norm[p]) / len(norm[p]), len(raw[p])) for p in raw}


def verdict_rank(verdict: str | None) -> int:
    return VERDICT_ORDER.get(verdict or "", len(VERDICT_ORDER))
