"""The LP relaxation of the time-indexed formulation, solved with HiGHS (``highspy``).

Its optimum bounds the score-weighted shifts any schedule can place (every 0/1 schedule is a
point of the relaxation), and for this model it is tight: the gap to CP-SAT's schedule is the
proof of how close to optimal the schedule is.
"""

from __future__ import annotations

import highspy
import numpy as np

from .formulation import Formulation


def lp_bound(form: Formulation, *, time_limit: float = 120.0) -> tuple[float, list[float]]:
    """Upper bound on the primary objective (score-weighted shifts) of ``form``, and the
    relaxed solution (empty when HiGHS did not prove its optimum)."""
    if form.n_vars == 0:
        return 0.0, []
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
    lp = highspy.HighsLp()
    lp.num_col_ = form.n_vars
    lp.num_row_ = len(lower)
    lp.col_cost_ = np.array(form.primary, dtype=np.float64)
    lp.col_lower_ = np.zeros(form.n_vars)
    lp.col_upper_ = np.ones(form.n_vars)
    lp.row_lower_ = np.array(lower, dtype=np.float64)
    lp.row_upper_ = np.array(upper, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        # Without a proven optimum only the trivial bound is safe: every award placed.
        trivial = sum(max(form.primary[v] for v in group) for group in _by_award(form))
        return float(trivial), []
    return float(h.getInfo().objective_function_value), list(h.getSolution().col_value)


def _by_award(form: Formulation) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for v, (award, *_rest) in form.starts.items():
        groups.setdefault(award, []).append(v)
    for v, (award, _code) in form.placed.items():
        groups.setdefault(award, []).append(v)
    return list(groups.values())
