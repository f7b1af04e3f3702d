"""The LP relaxation of the time-indexed formulation, solved with HiGHS (``highspy``).

Its optimum bounds the score-weighted shifts any schedule can place (every 0/1 schedule is a
point of the relaxation), and for this model it is tight: the gap to CP-SAT's schedule is the
proof of how close to optimal the schedule is.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from .formulation import Formulation


@dataclass
class Relaxation:
    bound: float  # proven upper bound on the primary objective (inf: none)
    values: list[float]  # the relaxed solution (empty when HiGHS found none)
    reduced: np.ndarray  # reduced cost of every variable (how much worse than the LP optimum)
    optimal: bool


def relax(form: Formulation, *, time_limit: float = 120.0) -> Relaxation:
    """Solve the LP relaxation of ``form`` (primary objective, ``rows`` and ``amo``) with HiGHS.

    The bound is not HiGHS's objective but the **Lagrangian bound of its row duals**: for any
    duals ``y`` (``>= 0`` on rows without a lower bound), ``sum(y+ * upper - y- * lower) +
    sum(max(0, c - A'y))`` bounds every point of the relaxation (columns are in ``[0, 1]``).
    At the LP optimum it is the optimum; at a time limit it is still a proven bound, and it
    does not rest on HiGHS's tolerances."""
    n = form.n_vars
    if n == 0:
        return Relaxation(0.0, [], np.zeros(0), True)
    starts = [0]
    index: list[int] = []
    value: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    for group in form.amo:
        index.extend(group)
        value.extend([1.0] * len(group))
        starts.append(len(index))
        lower.append(-highspy.kHighsInf)
        upper.append(1.0)
    for vs, cs, lo, hi in form.rows:
        index.extend(vs)
        value.extend(float(c) for c in cs)
        starts.append(len(index))
        lower.append(float(lo))
        upper.append(float(hi))
    cost = np.array(form.primary, dtype=np.float64)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(lower)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.array(lower, dtype=np.float64)
    lp.row_upper_ = np.array(upper, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    # No "threads" option: HiGHS's task scheduler is global to the process, and setting a
    # thread count other than the one it started with makes run() fail (which the old code
    # took for a time limit and fell back to the aggregate bound).
    for _attempt in range(2):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(max(0.0, time_limit)))
        h.setOptionValue("random_seed", 0)
        h.passModel(lp)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kNotset:
            break
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    solution = h.getSolution()
    if not solution.dual_valid:
        return Relaxation(float("inf"), [], np.zeros(n), False)
    y = np.array(solution.row_dual, dtype=np.float64)
    row_lo = np.array(lower, dtype=np.float64)
    row_hi = np.array(upper, dtype=np.float64)
    y[(y < 0) & ~np.isfinite(row_lo)] = 0.0
    y[(y > 0) & ~np.isfinite(row_hi)] = 0.0
    rows_len = np.diff(np.array(starts))
    aty = np.bincount(
        np.array(index, dtype=np.int64),
        weights=np.array(value) * np.repeat(y, rows_len),
        minlength=n,
    )
    reduced = cost - aty
    row_part = np.where(y > 0, y * np.where(np.isfinite(row_hi), row_hi, 0.0), 0.0).sum()
    row_part += np.where(y < 0, y * np.where(np.isfinite(row_lo), row_lo, 0.0), 0.0).sum()
    bound = float(row_part + np.maximum(reduced, 0.0).sum())
    values = list(solution.col_value) if solution.value_valid else []
    return Relaxation(bound, values, reduced, optimal)
