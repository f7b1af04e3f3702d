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
    relaxed solution; ``inf`` and no solution when HiGHS did not prove the optimum in time."""
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
        return float("inf"), []
    return float(h.getInfo().objective_function_value), list(h.getSolution().col_value)


def aggregate_bound(
    awards: list[tuple[int, int, list[tuple[str, int]]]],
    capacity: dict[str, int],
    caps: dict[tuple[str, str], tuple[list[tuple[int, str]], int]],
) -> float:
    """A weaker but cheap bound (used when the time-indexed LP is too large for its time
    limit): the LP where an award takes ``N`` shifts of a beamline's free user time, ignoring
    when. ``awards``: (value, shifts, [(beamline, index)]) with one column per (award,
    beamline); ``caps``: (class, beamline) -> (columns, room). Valid because every row is a
    sum of rows of the time-indexed model."""
    columns: list[tuple[int, str, int, int]] = []  # award index, beamline, value, shifts
    for i, (val, shifts, options) in enumerate(awards):
        for code, _index in options:
            columns.append((i, code, val, shifts))
    if not columns:
        return 0.0
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = len(columns)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.col_cost_ = np.array([c[2] for c in columns], dtype=np.float64)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    rows: list[tuple[list[int], list[float], float]] = []
    by_award: dict[int, list[int]] = {}
    by_beamline: dict[str, list[int]] = {}
    for j, (i, code, _val, _shifts) in enumerate(columns):
        by_award.setdefault(i, []).append(j)
        by_beamline.setdefault(code, []).append(j)
    for js in by_award.values():
        rows.append((js, [1.0] * len(js), 1.0))
    for code, js in by_beamline.items():
        rows.append((js, [float(columns[j][3]) for j in js], float(capacity.get(code, 0))))
    index_of = {(columns[j][0], columns[j][1]): j for j in range(n)}
    for (_cls, code), (members, room) in caps.items():
        js = [index_of[(i, code)] for i, c in members if (i, code) in index_of and c == code]
        if js:
            rows.append((js, [float(columns[j][3]) for j in js], float(max(0, room))))
    starts = [0]
    index: list[int] = []
    value: list[float] = []
    for js, coefs, _hi in rows:
        index.extend(js)
        value.extend(coefs)
        starts.append(len(index))
    lp.num_row_ = len(rows)
    lp.row_lower_ = np.full(len(rows), -highspy.kHighsInf)
    lp.row_upper_ = np.array([r[2] for r in rows], dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return float(sum(a[0] for a in awards))
    return float(h.getInfo().objective_function_value)


def _by_award(form: Formulation) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for v, (award, *_rest) in form.starts.items():
        groups.setdefault(award, []).append(v)
    for v, (award, _code) in form.placed.items():
        groups.setdefault(award, []).append(v)
    return list(groups.values())
