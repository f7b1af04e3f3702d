"""Optimised reviewer assignment: a pure function over plain data (no database, no Django).

:func:`solve` gives every proposal ``k`` peer reviewers so that the total expertise is as high as
possible, with

- **conflicts vetoed**: a conflicted (proposal, reviewer) pair is never assigned, not even when
  it was pinned (the pin is dropped and reported);
- **workload caps**: a reviewer gets at most ``caps[reviewer]`` proposals (a reviewer missing
  from ``caps`` has no capacity); when staff pinned more proposals on a reviewer than the cap,
  the pins win and the excess is reported;
- **pins kept**: pinned pairs (staff adjustments, assignments already published) are always in
  the result; a proposal with more pins than ``k`` keeps them all and gets no more;
- **panels**: a proposal with ``candidates`` is reviewed only by those reviewers (the members of
  the panels covering its field); ``None`` means any reviewer.

Expertise of a pair is :func:`expertise`: ``FIELD_WEIGHT`` when the proposal's research field is
one of the reviewer's, plus ``KEYWORD_WEIGHT`` per keyword the two share (keywords compared after
:func:`normalise_keyword`, so "XAFS", "ｘａｆｓ" and " xafs " are one keyword; Japanese and
English keywords are simply both in the reviewer's set).

The model is OR-Tools CP-SAT: one boolean per allowed pair, "exactly k per proposal", "at most
cap per reviewer", maximise total expertise. With one worker the search is LP-guided
(``search_branching=LP_SEARCH``): the constraint matrix is that of a transportation problem, so
the linear relaxation is tight and this is the fastest setting measured
(``bench/review_assignment.py``); more workers run CP-SAT's default portfolio. (A solution hint
from the greedy baseline was measured too, and made the search slower: it is not given.)
When the instance cannot give every proposal ``k`` reviewers (too few eligible reviewers for a
proposal, or not enough capacity overall), the solver runs a second model that first maximises
the number of assignments and then the expertise, so staff get the best partial assignment and a
:class:`Shortfall` per proposal left short, with the reason.

If the time limit passes before CP-SAT finds any solution, the greedy result is returned with
``status="timeout"``.
"""

from __future__ import annotations

import time
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ortools.sat.python import cp_model

FIELD_WEIGHT = 3
KEYWORD_WEIGHT = 1

Pair = tuple[int, int]  # (proposal id, reviewer id)
Status = Literal["optimal", "feasible", "infeasible", "timeout"]


def normalise_keyword(word: str) -> str:
    """Compare keywords by meaning of their characters: NFKC (full-width to half-width),
    case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", word).casefold().split())


def keyword_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w for w in (normalise_keyword(word) for word in words) if w)


@dataclass(frozen=True)
class ProposalItem:
    id: int
    label: str = ""
    field: str | None = None
    keywords: frozenset[str] = frozenset()
    candidates: frozenset[int] | None = None


@dataclass(frozen=True)
class ReviewerItem:
    id: int
    label: str = ""
    fields: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()


def expertise(proposal: ProposalItem, reviewer: ReviewerItem) -> int:
    field_match = proposal.field is not None and proposal.field in reviewer.fields
    return FIELD_WEIGHT * int(field_match) + KEYWORD_WEIGHT * len(
        proposal.keywords & reviewer.keywords
    )


@dataclass(frozen=True)
class Shortfall:
    """A proposal that could not get its reviewers.

    ``reason`` is ``"not_enough_eligible"`` when fewer than ``needed`` reviewers may review it
    at all (panel, conflicts, reviewers without capacity), else ``"capacity"``: enough reviewers
    may review it, but their workload caps are used up by other proposals.
    """

    proposal: int
    label: str
    needed: int
    assigned: int
    eligible: int
    conflicted: int
    reason: Literal["not_enough_eligible", "capacity"]


@dataclass(frozen=True)
class Assignment:
    pairs: frozenset[Pair]
    status: Status
    objective: int
    bound: float
    wall_time: float
    shortfalls: tuple[Shortfall, ...] = ()
    dropped_pins: tuple[Pair, ...] = ()  # pinned but conflicted: never assigned
    over_cap: tuple[int, ...] = ()  # reviewers whose pins exceed their cap
    scores: Mapping[Pair, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.shortfalls

    def reviewers_of(self, proposal: int) -> list[int]:
        return sorted(r for p, r in self.pairs if p == proposal)

    def load_of(self, reviewer: int) -> int:
        return sum(1 for _, r in self.pairs if r == reviewer)


@dataclass
class _Instance:
    """The pre-processed problem, shared by the solver and the greedy baseline."""

    proposals: Sequence[ProposalItem]
    reviewers: Sequence[ReviewerItem]
    k: int
    allowed: dict[int, list[int]]  # proposal -> reviewers it may get (pins included)
    score: dict[Pair, int]
    pinned: set[Pair]
    cap: dict[int, int]
    target: dict[int, int]
    conflicted_count: dict[int, int]
    dropped_pins: tuple[Pair, ...]
    over_cap: tuple[int, ...]


def _prepare(
    proposals: Sequence[ProposalItem],
    reviewers: Sequence[ReviewerItem],
    conflicts: Collection[Pair],
    k: int,
    caps: Mapping[int, int],
    pinned: Collection[Pair],
) -> _Instance:
    if k < 0:
        raise ValueError("k must not be negative")
    by_id = {r.id: r for r in reviewers}
    proposal_ids = {p.id for p in proposals}
    conflict_set = set(conflicts)
    dropped = tuple(sorted(pair for pair in pinned if pair in conflict_set))
    pins = {
        pair
        for pair in pinned
        if pair not in conflict_set and pair[0] in proposal_ids and pair[1] in by_id
    }
    pin_load: dict[int, int] = defaultdict(int)
    pins_of: dict[int, set[int]] = defaultdict(set)
    for p, r in pins:
        pin_load[r] += 1
        pins_of[p].add(r)
    cap = {r.id: max(0, int(caps.get(r.id, 0))) for r in reviewers}
    over_cap = tuple(sorted(r for r, load in pin_load.items() if load > cap[r]))
    for r in over_cap:
        cap[r] = pin_load[r]
    allowed: dict[int, list[int]] = {}
    score: dict[Pair, int] = {}
    conflicted_count: dict[int, int] = {}
    for proposal in proposals:
        pool = (
            [by_id[r] for r in sorted(proposal.candidates) if r in by_id]
            if proposal.candidates is not None
            else reviewers
        )
        ids = []
        conflicted = 0
        for reviewer in pool:
            if (proposal.id, reviewer.id) in conflict_set:
                conflicted += 1
            elif cap[reviewer.id] > 0 and reviewer.id not in pins_of[proposal.id]:
                ids.append(reviewer.id)
        ids.extend(sorted(pins_of[proposal.id]))
        allowed[proposal.id] = ids
        conflicted_count[proposal.id] = conflicted
        for r in ids:
            score[(proposal.id, r)] = expertise(proposal, by_id[r])
    target = {p.id: max(k, len(pins_of[p.id])) for p in proposals}
    return _Instance(
        proposals=proposals,
        reviewers=reviewers,
        k=k,
        allowed=allowed,
        score=score,
        pinned=pins,
        cap=cap,
        target=target,
        conflicted_count=conflicted_count,
        dropped_pins=dropped,
        over_cap=over_cap,
    )


def _shortfalls(instance: _Instance, pairs: Collection[Pair]) -> tuple[Shortfall, ...]:
    counts: dict[int, int] = defaultdict(int)
    for p, _r in pairs:
        counts[p] += 1
    result = []
    for proposal in instance.proposals:
        needed = instance.target[proposal.id]
        if counts[proposal.id] >= needed:
            continue
        eligible = len(instance.allowed[proposal.id])
        result.append(
            Shortfall(
                proposal=proposal.id,
                label=proposal.label,
                needed=needed,
                assigned=counts[proposal.id],
                eligible=eligible,
                conflicted=instance.conflicted_count[proposal.id],
                reason="not_enough_eligible" if eligible < needed else "capacity",
            )
        )
    return tuple(result)


def _result(
    instance: _Instance, pairs: set[Pair], status: Status, bound: float, started: float
) -> Assignment:
    shortfalls = _shortfalls(instance, pairs)
    if shortfalls and status in ("optimal", "feasible"):
        status = "infeasible"
    return Assignment(
        pairs=frozenset(pairs),
        status=status,
        objective=sum(instance.score[pair] for pair in pairs),
        bound=bound,
        wall_time=time.perf_counter() - started,
        shortfalls=shortfalls,
        dropped_pins=instance.dropped_pins,
        over_cap=instance.over_cap,
        scores={pair: instance.score[pair] for pair in pairs},
    )


def _greedy_pairs(instance: _Instance) -> set[Pair]:
    """Pins first; then proposals with the fewest eligible reviewers pick, each taking the
    highest-expertise reviewers that still have capacity (ties: lower reviewer id)."""
    remaining = dict(instance.cap)
    pairs: set[Pair] = set()
    for p, r in instance.pinned:
        pairs.add((p, r))
        remaining[r] -= 1
    order = sorted(instance.proposals, key=lambda p: (len(instance.allowed[p.id]), p.id))
    for proposal in order:
        have = sum(1 for r in instance.allowed[proposal.id] if (proposal.id, r) in pairs)
        options = sorted(
            (r for r in instance.allowed[proposal.id] if (proposal.id, r) not in pairs),
            key=lambda r: (-instance.score[(proposal.id, r)], r),
        )
        for r in options:
            if have >= instance.target[proposal.id]:
                break
            if remaining[r] > 0:
                pairs.add((proposal.id, r))
                remaining[r] -= 1
                have += 1
    return pairs


def greedy(
    proposals: Sequence[ProposalItem],
    reviewers: Sequence[ReviewerItem],
    conflicts: Collection[Pair],
    k: int,
    caps: Mapping[int, int],
    pinned: Collection[Pair] = (),
) -> Assignment:
    """The baseline the optimiser is measured against (same rules, no optimisation)."""
    started = time.perf_counter()
    instance = _prepare(proposals, reviewers, conflicts, k, caps, pinned)
    return _result(instance, _greedy_pairs(instance), "feasible", float("nan"), started)


def _precheck_ok(instance: _Instance) -> bool:
    if any(len(instance.allowed[p.id]) < instance.target[p.id] for p in instance.proposals):
        return False
    return sum(instance.target.values()) <= sum(instance.cap.values())


def _run(
    instance: _Instance,
    *,
    relaxed: bool,
    time_limit: float,
    workers: int,
) -> tuple[Any, set[Pair], float]:
    model = cp_model.CpModel()
    x: dict[Pair, cp_model.IntVar] = {}
    by_reviewer: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for proposal in instance.proposals:
        row = []
        for r in instance.allowed[proposal.id]:
            pair = (proposal.id, r)
            var = model.new_bool_var(f"x_{proposal.id}_{r}")
            if pair in instance.pinned:
                model.add(var == 1)
            x[pair] = var
            row.append(var)
            by_reviewer[r].append(var)
        if relaxed:
            model.add(cp_model.LinearExpr.sum(row) <= instance.target[proposal.id])
        else:
            model.add(cp_model.LinearExpr.sum(row) == instance.target[proposal.id])
    for r, vars_ in by_reviewer.items():
        if len(vars_) > instance.cap[r]:
            model.add(cp_model.LinearExpr.sum(vars_) <= instance.cap[r])
    pairs_ = list(x)
    variables = [x[pair] for pair in pairs_]
    weights = [instance.score[pair] for pair in pairs_]
    big = 0
    if relaxed:
        # Coverage first, then expertise: one more assignment outweighs any expertise gain.
        big = max(weights, default=0) * sum(instance.target.values()) + 1
        weights = [big + w for w in weights]
    model.maximize(cp_model.LinearExpr.weighted_sum(variables, weights))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = 1
    if workers == 1:
        solver.parameters.search_branching = cp_model.LP_SEARCH
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return code, set(), float("nan")
    pairs = {pair for pair, var in x.items() if solver.boolean_value(var)}
    bound = solver.best_objective_bound
    if relaxed:
        # Report the bound on expertise alone, for the assignments made.
        bound = bound - big * len(pairs)
    return code, pairs, float(bound)


def solve(
    proposals: Sequence[ProposalItem],
    reviewers: Sequence[ReviewerItem],
    conflicts: Collection[Pair],
    k: int,
    caps: Mapping[int, int],
    pinned: Collection[Pair] = (),
    time_limit: float = 10.0,
    workers: int = 1,
) -> Assignment:
    """The assignment of highest total expertise (see the module docstring for the rules).

    ``conflicts`` are the pairs never to assign (the reviews services pass the conflicts of
    interest and the pairs a reviewer declined or staff removed). ``workers=0`` lets CP-SAT use
    every core (its portfolio); 1 is one LP-guided worker. ``time_limit`` is in seconds; when it
    passes, the best assignment found so far is returned with ``status="feasible"`` (``bound``
    says how far from optimal it may be).
    """
    started = time.perf_counter()
    instance = _prepare(proposals, reviewers, conflicts, k, caps, pinned)
    if _precheck_ok(instance):
        code, pairs, bound = _run(instance, relaxed=False, time_limit=time_limit, workers=workers)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            status: Status = "optimal" if code == cp_model.OPTIMAL else "feasible"
            return _result(instance, pairs, status, bound, started)
        if code != cp_model.INFEASIBLE:
            return _result(instance, _greedy_pairs(instance), "timeout", float("nan"), started)
    remaining = max(0.1, time_limit - (time.perf_counter() - started))
    code, pairs, bound = _run(instance, relaxed=True, time_limit=remaining, workers=workers)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _result(instance, _greedy_pairs(instance), "timeout", float("nan"), started)
    return _result(instance, pairs, "infeasible", bound, started)
