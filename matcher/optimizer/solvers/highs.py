"""HiGHS back end through ``highspy`` (pinned 1.14.0: it shares a process with ortools 9.15
in either import order; 1.15 does not). The LP relaxations (bounds, shadow prices) are in
:mod:`matcher.optimizer.relaxation`."""

from __future__ import annotations

import time

import highspy
import numpy as np

from matcher.optimizer.formulation import Formulation
from matcher.optimizer.objectives import Objective
from matcher.optimizer.solvers.base import IntArray, SolveOutcome, SolveParams, proven

DETERMINISTIC_NODES = 2_000


def _model(form: Formulation, objective: Objective, *, integer: bool) -> tuple[highspy.Highs, int]:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    row, col, val, lo, hi = form.all_rows()
    n = form.num_cols
    m = lo.shape[0]
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = objective.coef.astype(np.float64)
    lp.col_lower_ = form.col_lb.astype(np.float64)
    lp.col_upper_ = form.col_ub.astype(np.float64)
    lp.row_lower_ = np.where(np.isfinite(lo), lo, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(hi), hi, highspy.kHighsInf)
    order = np.lexsort((row, col))
    starts = np.searchsorted(col[order], np.arange(n + 1))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts.astype(np.int32)
    lp.a_matrix_.index_ = row[order].astype(np.int32)
    lp.a_matrix_.value_ = val[order].astype(np.float64)
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    lp.sense_ = (
        highspy.ObjSense.kMaximize if objective.sense == "max" else highspy.ObjSense.kMinimize
    )
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h.passModel(lp)
    return h, m


class HighsBackend:
    name = "highs"

    def solve(
        self,
        form: Formulation,
        objective: Objective,
        params: SolveParams,
        hint: IntArray | None = None,
    ) -> SolveOutcome:
        start = time.perf_counter()
        h, _ = _model(form, objective, integer=True)
        h.setOptionValue("random_seed", params.seed)
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 0.5)
        remaining = max(0.01, params.time_limit - (time.perf_counter() - start))
        h.setOptionValue("time_limit", remaining)
        if params.deterministic:
            # A work limit instead of the clock: same input, same answer (the wall-clock limit
            # stays as a safety net; determinism holds when it is not reached).
            h.setOptionValue("mip_max_nodes", DETERMINISTIC_NODES)
        if hint is not None:
            sol = highspy.HighsSolution()
            sol.col_value = hint.astype(np.float64).tolist()
            sol.value_valid = True
            h.setSolution(sol)
        h.run()
        seconds = time.perf_counter() - start
        status = h.getModelStatus()
        info = h.getInfo()
        if status == highspy.HighsModelStatus.kInfeasible:
            return SolveOutcome("infeasible", None, None, None, seconds, self.name)
        if info.primal_solution_status < 2:
            return SolveOutcome("unknown", None, None, None, seconds, self.name)
        values = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
        value = objective.internal(values)
        bound = float(info.mip_dual_bound)
        ok = status == highspy.HighsModelStatus.kOptimal and proven(objective, value, bound)
        return SolveOutcome(
            "optimal" if ok else "feasible", values, value, bound, seconds, self.name
        )
