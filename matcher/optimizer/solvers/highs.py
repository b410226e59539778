"""HiGHS back end through ``highspy`` (pinned 1.14.0: it shares a process with ortools 9.15
in either import order; 1.15 does not). The LP relaxations (bounds, shadow prices) are in
:mod:`matcher.optimizer.relaxation`.

``HighsBackend(continuous_quantities=True)`` branches on the on/off indicators only. Once
the indicators are fixed, the quantities face demand and capacity rows (a transportation
problem, integral at its vertices) plus the money rows, so a solution with fractional
quantities is rare and close to an integer one; a second, small solve with the indicators
fixed makes it integral. Its bound is that of a relaxation, so it stays valid. Measured with
one thread: one category of the 1 000-need benchmark without budgets (MINUMAN, 67 needs,
2 544 pairs) is proven optimal in 5.7 s against 167 s with integer quantities; the whole
100-need benchmark (1 397 pairs) reaches 3.1156e8 unmet in 30 s against 3.1293e8."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

from matcher.optimizer.formulation import Formulation
from matcher.optimizer.objectives import Objective
from matcher.optimizer.solvers.base import IntArray, SolveOutcome, SolveParams, proven, tighter

FloatArray = npt.NDArray[np.float64]
# Rows lo <= sum val * v[col] <= hi in COO form: (row, col, val, lo, hi).
CooRows = tuple[IntArray, IntArray, IntArray | FloatArray, FloatArray, FloatArray]

DETERMINISTIC_NODES = 2_000


def highs_model(
    cost: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    rows: CooRows,
    *,
    maximise: bool,
    integrality: list[highspy.HighsVarType] | None = None,
) -> highspy.Highs:
    """A silent HiGHS model of ``cost . v`` over ``lower <= v <= upper`` with the rows
    ``lo <= sum val * v[col] <= hi`` given as ``rows = (row, col, val, lo, hi)`` in COO form
    (an infinite side is no side). Used for the back end's MIPs, the LNS sub-MIPs and the
    aggregate LP bound."""
    row, col, val, lo, hi = rows
    n = int(cost.shape[0])
    m = int(lo.shape[0])
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.where(np.isfinite(lo), lo, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(hi), hi, highspy.kHighsInf)
    order = np.lexsort((row, col))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(col[order], np.arange(n + 1)).astype(np.int32)
    lp.a_matrix_.index_ = row[order].astype(np.int32)
    lp.a_matrix_.value_ = val[order].astype(np.float64)
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    if integrality is not None:
        lp.integrality_ = integrality
    h.passModel(lp)
    return h


def _model(
    form: Formulation,
    objective: Objective,
    *,
    continuous_quantities: bool = False,
    fix_indicators: IntArray | None = None,
) -> highspy.Highs:
    """The formulation as a HiGHS MIP. ``continuous_quantities`` leaves the x columns
    continuous; ``fix_indicators`` (a full column vector) fixes every y column to its value
    there."""
    n = form.num_cols
    lower = form.col_lb.astype(np.float64)
    upper = form.col_ub.astype(np.float64)
    if fix_indicators is not None:
        y = slice(form.num_pairs, n)
        lower[y] = upper[y] = fix_indicators[y]
    integrality = [highspy.HighsVarType.kInteger] * n
    if continuous_quantities:
        integrality[: form.num_pairs] = [highspy.HighsVarType.kContinuous] * form.num_pairs
    return highs_model(
        objective.coef.astype(np.float64),
        lower,
        upper,
        form.all_rows(),
        maximise=objective.sense == "max",
        integrality=integrality,
    )


REPAIR_SHARE = 0.15  # of the time limit kept for integral quantities when they are relaxed


class HighsBackend:
    name = "highs"

    def __init__(self, *, continuous_quantities: bool = False) -> None:
        self.continuous_quantities = continuous_quantities

    def solve(
        self,
        form: Formulation,
        objective: Objective,
        params: SolveParams,
        hint: IntArray | None = None,
    ) -> SolveOutcome:
        start = time.perf_counter()
        deadline = start + params.time_limit
        if not self.continuous_quantities or params.deterministic:
            # Deterministic runs keep the integer model: its node limit ends the search
            # before the clock on the benchmark instances, while the relaxed model without
            # presolve needs longer per node, so the clock (load) would decide where it
            # stops (100 needs, 20 s: allocations differed from run to run).
            run = _run(_model(form, objective), params, deadline, hint)
            return self._outcome(objective, run, start)
        # Without presolve: HiGHS 1.14's presolve reduces some models with continuous
        # quantities and binary indicators to a wrong "optimal" point (a two-need instance
        # found by tests/optimizer/test_highs_relaxed_quantities.py: 80 where 160 is feasible).
        relaxed = _run(
            _model(form, objective, continuous_quantities=True),
            params,
            start + params.time_limit * (1.0 - REPAIR_SHARE),
            hint,
            presolve=False,
        )
        if relaxed.infeasible:
            return self._outcome(objective, relaxed, start)
        values, bound = relaxed.values, relaxed.bound
        optimal = relaxed.optimal
        if (
            relaxed.raw is not None
            and values is not None
            and (np.abs(relaxed.raw - values) > 1e-6).any()
        ):
            # Fractional quantities (money rows): the same model with these indicators fixed
            # and integer quantities, from the rounded-down ones.
            optimal = False
            fixed = _model(form, objective, fix_indicators=values)
            floor = np.floor(relaxed.raw + 1e-9).astype(np.int64)
            values = _run(fixed, params, deadline, floor).values
        if values is not None and optimal and proven(objective, objective.internal(values), bound):
            return self._outcome(objective, _Run(values, None, bound, True, False), start)
        # Not proven with relaxed quantities (the relaxation's bound can lie below the integer
        # optimum): the integer model for the time left, from the best solution so far.
        exact = _run(
            _model(form, objective),
            params,
            deadline,
            values if values is not None else hint,
        )
        if exact.values is None or (
            values is not None and not _better(objective, exact.values, values)
        ):
            exact = _Run(values, None, exact.bound, exact.optimal, False)
        best_bound = tighter(objective.sense, bound, exact.bound)
        return self._outcome(
            objective, _Run(exact.values, None, best_bound, exact.optimal, False), start
        )

    def _outcome(self, objective: Objective, run: _Run, start: float) -> SolveOutcome:
        seconds = time.perf_counter() - start
        if run.infeasible:
            return SolveOutcome("infeasible", None, None, None, seconds, self.name)
        if run.values is None:
            return SolveOutcome("unknown", None, None, run.bound, seconds, self.name)
        value = objective.internal(run.values)
        ok = run.optimal and proven(objective, value, run.bound)
        return SolveOutcome(
            "optimal" if ok else "feasible", run.values, value, run.bound, seconds, self.name
        )


@dataclass(frozen=True)
class _Run:
    values: IntArray | None  # rounded column values; None when no solution was found
    raw: FloatArray | None  # the solver's column values
    bound: float | None
    optimal: bool
    infeasible: bool


def _run(
    h: highspy.Highs,
    params: SolveParams,
    deadline: float,
    hint: IntArray | None,
    *,
    presolve: bool = True,
) -> _Run:
    _configure(h, params, deadline - time.perf_counter(), hint)
    if not presolve:
        h.setOptionValue("presolve", "off")
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        return _Run(None, None, None, False, True)
    integer = any(t != highspy.HighsVarType.kContinuous for t in h.getLp().integrality_)
    if integer:
        bound = float(info.mip_dual_bound)
    elif status == highspy.HighsModelStatus.kOptimal:
        bound = float(info.objective_function_value)  # an LP (no indicators): its optimum
    else:
        bound = np.inf
    finite = np.isfinite(bound) and abs(bound) < highspy.kHighsInf
    if info.primal_solution_status < 2:
        return _Run(None, None, bound if finite else None, False, False)
    raw = np.asarray(h.getSolution().col_value, dtype=np.float64)
    optimal = status == highspy.HighsModelStatus.kOptimal
    return _Run(np.rint(raw).astype(np.int64), raw, bound if finite else None, optimal, False)


def _better(objective: Objective, a: IntArray, b: IntArray) -> bool:
    va, vb = objective.internal(a), objective.internal(b)
    return va > vb if objective.sense == "max" else va < vb


def _configure(
    h: highspy.Highs, params: SolveParams, seconds: float, hint: IntArray | None
) -> None:
    h.setOptionValue("random_seed", params.seed)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("mip_abs_gap", 0.5)
    h.setOptionValue("time_limit", max(0.01, seconds))
    if params.deterministic:
        # A work limit instead of the clock: same input, same answer (the wall-clock limit
        # stays as a safety net; determinism holds when it is not reached).
        h.setOptionValue("mip_max_nodes", DETERMINISTIC_NODES)
    if hint is not None:
        sol = highspy.HighsSolution()
        sol.col_value = hint.astype(np.float64).tolist()
        sol.value_valid = True
        h.setSolution(sol)
