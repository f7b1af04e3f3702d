"""Solve one component's formulation with OR-Tools CP-SAT."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from .formulation import Formulation


@dataclass
class ComponentResult:
    values: list[bool]
    status: str  # "optimal" | "feasible" | "timeout"
    objective: int  # weighted objective
    bound: int  # weighted best bound


def solve(
    form: Formulation,
    *,
    time_limit: float,
    workers: int,
    seed: int,
    hint: set[int] | None = None,
) -> ComponentResult:
    model = cp_model.CpModel()
    xs = [model.new_bool_var("") for _ in range(form.n_vars)]
    for group in form.amo:
        model.add_at_most_one(xs[v] for v in group)
    for vs, cs, lo, hi in form.rows + form.cp_rows:
        model.add_linear_constraint(sum(c * xs[v] for v, c in zip(vs, cs, strict=True)), lo, hi)
    for a, b in form.implications:
        model.add_implication(xs[a], xs[b])
    model.maximize(sum(form.weight(v) * xs[v] for v in range(form.n_vars) if form.weight(v)))
    if hint is not None:
        for v in range(form.n_vars):
            model.add_hint(xs[v], v in hint)
    solver = cp_model.CpSolver()
    # The budget is deterministic time (CP-SAT's work units, about a second each), so a run
    # with the same seed and workers gives the same schedule however loaded the machine is;
    # the wall-clock limit is only a safety net.
    solver.parameters.max_deterministic_time = max(0.05, time_limit)
    solver.parameters.max_time_in_seconds = max(1.0, 3 * time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.interleave_search = False
    # Measured on bench/schedule.py: probing and symmetry detection spend the whole budget in
    # presolve on the time-indexed model; without them the LP-tight model solves fast.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ComponentResult(values=[False] * form.n_vars, status="timeout", objective=0, bound=0)
    values = [bool(solver.boolean_value(x)) for x in xs]
    return ComponentResult(
        values=values,
        status="optimal" if code == cp_model.OPTIMAL else "feasible",
        objective=round(solver.objective_value),
        bound=int(solver.best_objective_bound + 1e-6),
    )
