"""Solve one component's formulation with OR-Tools CP-SAT, lexicographically.

Phase 1 maximises the primary objective (score-weighted shifts) alone: a single objective with
huge weights on the primary term slows CP-SAT down. Phase 2 (``secondary_share`` of the
budget) keeps the primary value at least as good as phase 1 found and maximises the secondary
terms (preferred dates, fewer fragments), hinted with phase 1's schedule.

**Determinism**: the budget is CP-SAT's deterministic time (its work units, about a second
each on an idle machine), ``random_seed`` and ``num_workers`` are fixed, and with more than one
worker ``interleave_search`` runs the subsolvers in deterministic batches, so a run with the
same seed and workers returns the same schedule however loaded the machine is. The solver
(:mod:`.schedule`) calls it with one worker per component and runs components side by side:
measured on bench M, interleaved search with two workers hardly moves from the hint, while
single-worker searches keep their quality. The wall-clock limit (ten times the budget plus
30 s) is only a safety net against a pathological machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from .formulation import Formulation


@dataclass
class ComponentResult:
    values: list[bool]
    status: str  # "optimal" (primary proven) | "feasible" | "timeout"
    objective: int  # primary objective (score-weighted shifts)
    bound: int  # proven bound on the primary objective
    secondary: int = 0


def _parameters(solver: cp_model.CpSolver, *, limit: float, workers: int, seed: int) -> None:
    solver.parameters.max_deterministic_time = max(0.05, limit)
    solver.parameters.max_time_in_seconds = 10 * limit + 30.0
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.interleave_search = workers > 1
    # Measured on bench/schedule.py: probing and symmetry detection spend the budget in
    # presolve on the time-indexed model.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0


def solve(
    form: Formulation,
    *,
    time_limit: float,
    workers: int,
    seed: int,
    hint: set[int] | None = None,
    secondary_share: float = 0.15,
) -> ComponentResult:
    model = cp_model.CpModel()
    xs = [model.new_bool_var("") for _ in range(form.n_vars)]
    for group in form.amo:
        model.add_at_most_one(xs[v] for v in group)
    for vs, cs, lo, hi in form.rows + form.cp_rows:
        model.add_linear_constraint(sum(c * xs[v] for v, c in zip(vs, cs, strict=True)), lo, hi)
    primary = [(v, w) for v, w in enumerate(form.primary) if w]
    secondary = [(v, w) for v, w in enumerate(form.secondary) if w]
    model.maximize(sum(w * xs[v] for v, w in primary))
    if hint is not None:
        for v in range(form.n_vars):
            model.add_hint(xs[v], v in hint)
    has_secondary = bool(secondary) and secondary_share > 0
    first = time_limit * (1 - secondary_share) if has_secondary else time_limit
    solver = cp_model.CpSolver()
    _parameters(solver, limit=first, workers=workers, seed=seed)
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ComponentResult(values=[False] * form.n_vars, status="timeout", objective=0, bound=0)
    values = [bool(solver.boolean_value(x)) for x in xs]
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    objective = round(solver.objective_value)
    bound = int(solver.best_objective_bound + 1e-6)
    if has_secondary:
        model.add(sum(w * xs[v] for v, w in primary) >= objective)
        model.maximize(sum(w * xs[v] for v, w in secondary))
        model.clear_hints()
        for v in range(form.n_vars):
            model.add_hint(xs[v], values[v])
        second = cp_model.CpSolver()
        _parameters(second, limit=time_limit * secondary_share, workers=workers, seed=seed)
        code = second.solve(model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = [bool(second.boolean_value(x)) for x in xs]
    return ComponentResult(
        values=values,
        status=status,
        objective=sum(w for v, w in primary if values[v]),
        bound=max(bound, objective),
        secondary=sum(w for v, w in secondary if values[v]),
    )
