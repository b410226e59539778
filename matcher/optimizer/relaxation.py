"""LP relaxation in the x columns only, with column generation over the eligible pairs.

Projecting the indicator columns out of the LP relaxation (0 <= y <= 1, moq*y <= x <= ub*y,
sum y <= k) leaves exactly one aggregated row per crowded need: sum over its pairs of
x/ub <= k. The relaxation therefore needs no y columns and no link rows, and has the same
bound as the full formulation's LP relaxation.

Column generation: the LP is solved on a candidate subset of pairs; every row's dual
prices *all* pairs (numpy); pairs with positive reduced cost join, until none is left. At
every iteration the Lagrangian value  sum(dual * rhs) + sum_p ub_p * max(0, reduced_cost_p)
is a valid upper bound on the (maximised) objective over *all* pairs, so a bound is
available even when the loop is cut short."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse
from ortools.graph.python import min_cost_flow
from ortools.pdlp import solvers_pb2
from ortools.pdlp.python import pdlp

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Instance
from matcher.optimizer.objectives import ObjectiveModule, objective_over_pairs
from matcher.optimizer.solvers.highs import highs_model

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
log = logging.getLogger(__name__)
FULL_LP_PAIRS = 250_000
FULL_LATER_LP_PAIRS = 20_000
FULL_LP_SECONDS_PER_PAIR = 5e-4  # time a full LP needs per pair (measured 2e-4, with margin)
# First-order LP (first_order_lp) with ``deterministic``: an iteration limit instead of the
# clock (10 000-need benchmark: about 230 iterations per second on one thread).
FIRST_ORDER_ITERATIONS = 2_000
# Column generation with PDLP (first_order_relax): seconds per restricted LP, and pairs
# joining per need and round (10 000 needs: about 27 000 a round, 13 s per LP).
FIRST_ORDER_ROUND_SECONDS = 12.0
FIRST_ORDER_PER_NEED = 3
# Time of a priced flow per eligible pair (measured 1.8e-6: 12 s at 6.8 million), with a margin.
PRICED_FLOW_SECONDS_PER_PAIR = 2.5e-6


@dataclass(frozen=True)
class Fixed:
    """An earlier stage kept at its achieved value: ``coef . x >= value`` (maximised
    objectives) or ``<= value`` (minimised)."""

    coef: IntArray  # over pairs
    sense: str  # "max" or "min"
    value: int


def fixings(
    instance: Instance, pd: PairData, fixed: list[tuple[ObjectiveModule, int]]
) -> list[Fixed]:
    """The earlier stages (objective module, achieved value) as rows over the pairs."""
    rows = []
    for make, value in fixed:
        earlier = objective_over_pairs(make, instance, pd)
        rows.append(Fixed(earlier.coef, earlier.sense, value))
    return rows


@dataclass
class Duals:
    """Nonnegative multipliers of the <=-rows of the maximisation LP, per family."""

    demand: FloatArray
    capacity: FloatArray
    budget: FloatArray
    supplier_cap: FloatArray
    k: FloatArray
    fixed: FloatArray

    def reduced_costs(self, pd: PairData, obj: FloatArray, fixed: list[Fixed]) -> FloatArray:
        rc = obj - self.demand[pd.need] - self.capacity[pd.offer]
        rc = rc - pd.price * (self.budget[pd.agency] + self.supplier_cap[pd.supplier])
        rc = rc - self.k[pd.need] / np.maximum(pd.ub, 1)
        for j, f in enumerate(fixed):
            sign = -1.0 if f.sense == "max" else 1.0
            rc = rc - self.fixed[j] * sign * f.coef
        return rc


@dataclass
class RelaxationResult:
    bound: float  # valid upper bound on max obj over all pairs
    lp_value: float  # LP value on the final candidate set
    x: FloatArray  # LP solution over all pairs (zeros outside the candidates)
    reduced_cost: FloatArray
    candidates: npt.NDArray[np.bool_]
    duals: Duals | None
    iterations: int
    converged: bool
    row_duals: dict[str, dict[str, float]] = field(default_factory=dict)


class _Rows:
    def __init__(self, instance: Instance, pd: PairData, fixed: list[Fixed]) -> None:
        self.n_need = len(instance.needs)
        self.n_offer = len(instance.offers)
        self.n_ag = len(instance.agencies)
        self.n_sup = len(instance.suppliers)
        self.k = instance.policy.max_suppliers_per_need
        per_need = np.bincount(pd.need, minlength=self.n_need)
        self.crowded = per_need > self.k
        cap = instance.policy.max_supplier_value
        self.rhs = np.concatenate(
            [
                np.array([n.quantity for n in instance.needs], dtype=np.float64),
                np.array([o.capacity for o in instance.offers], dtype=np.float64),
                np.array([a.budget for a in instance.agencies], dtype=np.float64),
                np.full(self.n_sup, np.inf if cap is None else float(cap)),
                np.where(self.crowded, float(self.k), np.inf),
                np.array(
                    [-f.value if f.sense == "max" else f.value for f in fixed], dtype=np.float64
                ),
            ]
        )
        self.offsets = np.cumsum(
            [0, self.n_need, self.n_offer, self.n_ag, self.n_sup, self.n_need, len(fixed)]
        )
        # Row scaling for a well-conditioned LP: money rows in units of the median price,
        # stage-fixing rows in units of their median coefficient.
        money = float(np.median(pd.price)) if len(pd) else 1.0
        self.scale = np.ones(len(self.rhs))
        o = self.offsets
        self.scale[o[2] : o[4]] = max(1.0, money)
        for j, f in enumerate(fixed):
            nz = f.coef[f.coef != 0]
            self.scale[o[5] + j] = max(1.0, float(np.median(np.abs(nz)))) if nz.size else 1.0

    def split(self, dual: FloatArray, obj_scale: float) -> Duals:
        """Duals of the scaled LP -> multipliers of the original rows."""
        o = self.offsets
        d = np.maximum(dual, 0.0) * obj_scale / self.scale
        d[~np.isfinite(self.rhs)] = 0.0
        return Duals(
            d[o[0] : o[1]],
            d[o[1] : o[2]],
            d[o[2] : o[3]],
            d[o[3] : o[4]],
            d[o[4] : o[5]],
            d[o[5] : o[6]],
        )


def _entries(
    pd: PairData, rows: _Rows, fixed: list[Fixed], cols: IntArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """The LP's matrix entries for the columns ``cols``: (row, position in ``cols``, value),
    on the scaled rows with a finite right-hand side."""
    o = rows.offsets
    m = cols.size
    need = pd.need[cols]
    price = pd.price[cols].astype(np.float64)
    ub = pd.ub[cols].astype(np.float64)
    parts_r = [need + o[0], pd.offer[cols] + o[1], pd.agency[cols] + o[2], pd.supplier[cols] + o[3]]
    parts_v = [np.ones(m), np.ones(m), price, price]
    parts_c = [np.arange(m)] * 4
    crowded = rows.crowded[need]
    parts_r.append((need + o[4])[crowded])
    parts_v.append((1.0 / np.maximum(ub, 1.0))[crowded])
    parts_c.append(np.arange(m)[crowded])
    for j, f in enumerate(fixed):
        coef = f.coef[cols].astype(np.float64)
        nz = np.flatnonzero(coef)
        parts_r.append(np.full(nz.size, o[5] + j))
        parts_v.append(-coef[nz] if f.sense == "max" else coef[nz])
        parts_c.append(nz)
    r = np.concatenate(parts_r).astype(np.int64)
    c = np.concatenate(parts_c).astype(np.int64)
    v = np.concatenate(parts_v)
    keep = np.isfinite(rows.rhs)[r]
    r, c = r[keep], c[keep]
    return r, c, v[keep] / rows.scale[r]


class _IncrementalLp:
    """The relaxation on a growing column set; HiGHS re-solves warm from the last basis."""

    def __init__(self, pd: PairData, obj: FloatArray, fixed: list[Fixed], rows: _Rows) -> None:
        self.pd = pd
        nz = np.abs(obj[obj != 0])
        self.obj_scale = max(1.0, float(np.median(nz))) if nz.size else 1.0
        self.obj = obj / self.obj_scale
        self.fixed = fixed
        self.rows = rows
        self.cols: list[IntArray] = []
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        finite = np.isfinite(rows.rhs)
        n_rows = len(rows.rhs)
        self.h.addRows(
            n_rows,
            np.full(n_rows, -highspy.kHighsInf),
            np.where(finite, rows.rhs / rows.scale, highspy.kHighsInf),
            0,
            np.zeros(n_rows, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def add(self, cols: IntArray) -> None:
        if not cols.size:
            return
        m = cols.size
        r, c, v = _entries(self.pd, self.rows, self.fixed, cols)
        order = np.lexsort((r, c))
        self.h.addCols(
            m,
            self.obj[cols],
            np.zeros(m),
            self.pd.stock_ub[cols].astype(np.float64),
            int(order.size),
            np.searchsorted(c[order], np.arange(m)).astype(np.int32),
            r[order].astype(np.int32),
            v[order],
        )
        self.cols.append(cols)

    def solve(self, time_limit: float) -> tuple[bool, float, IntArray, FloatArray, FloatArray]:
        # HiGHS's time limit counts the instance's whole run time, over all re-solves.
        self.h.setOptionValue("time_limit", self.h.getRunTime() + max(0.2, time_limit))
        self.h.run()
        ok = self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        if not ok:  # numerical trouble after a warm start: once more from scratch
            self.h.clearSolver()
            self.h.run()
            ok = self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        sol = self.h.getSolution()
        cols = np.concatenate(self.cols) if self.cols else np.zeros(0, dtype=np.int64)
        return (
            ok,
            float(self.h.getInfo().objective_function_value) * self.obj_scale,
            cols,
            np.asarray(sol.col_value, dtype=np.float64),
            np.asarray(sol.row_dual, dtype=np.float64),
        )


def first_order_lp(
    instance: Instance,
    pd: PairData,
    cols: IntArray,
    objective: FloatArray,
    time_limit: float,
    deterministic: bool = False,
) -> FloatArray:
    """An approximate optimum of the stage-1 LP (no earlier stages) restricted to the pairs
    ``cols``, by OR-Tools PDLP (first-order, one thread), for guidance where no simplex LP
    fits in the time: the returned x (over all pairs, zero outside ``cols``) is clipped to
    its column bounds but may break rows by a little; :func:`lp_rounding.round_lp` re-solves
    exactly on the pairs it keeps. With ``deterministic`` PDLP stops after
    ``FIRST_ORDER_ITERATIONS`` iterations (the clock stays as a safety net).

    10 000-need benchmark, over the greedy start's pairs, the min-cost flow's and the two
    best per need by pair bound and by value after price (80 000 pairs): 10 s give an LP of
    2.281e10 unmet and its rounding 2.440e10, 20 s 2.279e10 and 2.426e10, 40 s 2.278e10 and
    2.430e10; the greedy start is at 2.671e10, and 127 s of column generation and LNS ended
    at 2.528e10. (Column generation by simplex there takes about 60 s for its first
    restricted LP, over the top pairs per need, and that LP is worse than the greedy.)"""
    x = np.zeros(len(pd))
    if cols.size:
        x[cols] = _pdlp(pd, _Rows(instance, pd, []), cols, objective, time_limit, deterministic).x
    return x


@dataclass(frozen=True)
class _PdlpSolution:
    x: FloatArray  # over the columns solved, clipped to their bounds
    duals: Duals  # multipliers of the original rows (nonnegative)
    warm: pdlp.PrimalAndDualSolution  # PDLP's own iterate, to warm-start a larger LP


def _pdlp(
    pd: PairData,
    rows: _Rows,
    cols: IntArray,
    objective: FloatArray,
    time_limit: float,
    deterministic: bool,
    warm: tuple[IntArray, pdlp.PrimalAndDualSolution] | None = None,
) -> _PdlpSolution:
    """The stage-1 LP over the pairs ``cols`` by PDLP (one thread); ``warm`` = (the columns
    of an earlier solve, a subset of ``cols``, and its iterate) starts from there."""
    r, c, v = _entries(pd, rows, [], cols)
    finite = np.isfinite(rows.rhs)
    scale = max(1.0, float(np.median(np.abs(objective[cols]))))
    program = pdlp.QuadraticProgram()
    program.objective_vector = -objective[cols] / scale  # PDLP minimises
    program.constraint_matrix = scipy.sparse.csc_matrix(
        (v, (r, c)), shape=(len(rows.rhs), cols.size)
    )
    program.constraint_lower_bounds = np.full(len(rows.rhs), -np.inf)
    program.constraint_upper_bounds = np.where(finite, rows.rhs / rows.scale, np.inf)
    program.variable_lower_bounds = np.zeros(cols.size)
    program.variable_upper_bounds = pd.stock_ub[cols].astype(np.float64)
    params = solvers_pb2.PrimalDualHybridGradientParams()
    params.num_threads = 1
    params.termination_criteria.time_sec_limit = max(0.1, time_limit)
    if deterministic:
        params.termination_criteria.iteration_limit = FIRST_ORDER_ITERATIONS
    if warm is None:
        result = pdlp.primal_dual_hybrid_gradient(program, params)
    else:
        start = pdlp.PrimalAndDualSolution()
        primal = np.zeros(cols.size)
        primal[np.searchsorted(cols, warm[0])] = warm[1].primal_solution
        start.primal_solution = primal
        start.dual_solution = warm[1].dual_solution
        result = pdlp.primal_dual_hybrid_gradient(program, params, initial_solution=start)
    primal = np.nan_to_num(np.asarray(result.primal_solution, dtype=np.float64))
    dual = np.nan_to_num(np.asarray(result.dual_solution, dtype=np.float64))
    iterate = pdlp.PrimalAndDualSolution()
    iterate.primal_solution = primal
    iterate.dual_solution = dual
    # A <= row's dual is nonpositive for the minimised objective: negate for the maximised.
    return _PdlpSolution(np.clip(primal, 0.0, pd.stock_ub[cols]), rows.split(-dual, scale), iterate)


def first_order_relax(
    instance: Instance,
    pd: PairData,
    start: npt.NDArray[np.bool_],
    time_limit: float,
    max_iterations: int = 50,
    deterministic: bool = False,
    progress: Callable[[RelaxationResult], None] | None = None,
) -> RelaxationResult:
    """Stage 1's LP (no earlier stages) where no simplex LP fits in the time: column
    generation from the pairs ``start`` with PDLP as the restricted solver, each LP
    warm-started from the last and cut at ``FIRST_ORDER_ROUND_SECONDS``. Every round's
    multipliers price all pairs, and the best ``FIRST_ORDER_PER_NEED`` per need join. The
    bound: the per-need Lagrangian bound of every round and, once at the end, the priced
    flow (:func:`priced_flow_bound`) with the last multipliers, whose time is kept aside.
    PDLP's solutions are approximate, so the result never claims convergence; its x drops
    values under 0.01 unit.

    10 000-need benchmark, from the greedy start's, the flow's and the two best pairs per
    need (79 000): restricted LP 2.280e10, 2.249e10, 2.221e10, 2.201e10, 2.187e10 unmet
    after rounds of 13 s; the LP rounding (:func:`lp_rounding.round_lp`) of the fifth
    2.380e10, of the first 2.426e10. Priced flows with the multipliers of rounds one to
    three: 1.870e10, 1.928e10, 2.005e10 unmet (zero multipliers: 1.923e10); the per-need
    Lagrangian bound stays far weaker (1.32e10 after five rounds)."""
    t0 = time.perf_counter()
    obj = pd.hps.astype(np.float64)
    rows = _Rows(instance, pd, [])
    segments = NeedSegments.of(pd, rows.n_need)
    cand = start.copy()
    flow_seconds = PRICED_FLOW_SECONDS_PER_PAIR * len(pd)
    x = np.zeros(len(pd))
    rc = np.zeros(len(pd))
    best_bound = np.inf
    duals: Duals | None = None
    warm: tuple[IntArray, pdlp.PrimalAndDualSolution] | None = None
    lp_value = 0.0
    iterations = 0
    tol = 1e-7 * max(1.0, float(obj.max(initial=0.0)))
    pricing = 0.0  # seconds the last round spent outside PDLP (pricing every pair)
    while iterations < max_iterations and cand.any():
        left = time_limit - (time.perf_counter() - t0) - flow_seconds - 2 * pricing
        if left < 1.0:
            break
        iterations += 1
        cols = np.flatnonzero(cand)
        solution = _pdlp(
            pd, rows, cols, obj, min(FIRST_ORDER_ROUND_SECONDS, left), deterministic, warm
        )
        priced_at = time.perf_counter()
        warm = (cols, solution.warm)
        x = np.zeros(len(pd))
        x[cols] = np.where(solution.x >= 0.01, solution.x, 0.0)
        lp_value = float(np.dot(obj, x))
        duals = solution.duals
        rc = duals.reduced_costs(pd, obj, [])
        best_bound = min(best_bound, lagrangian_bound(pd, rows, duals, rc, segments))
        log.debug(
            "first-order round %d: %d pairs, LP %.6g, bound %.6g at %.1fs",
            iterations,
            cols.size,
            lp_value,
            best_bound,
            time.perf_counter() - t0,
        )
        positive = (rc > tol) & ~cand
        if not positive.any():
            break
        if progress is not None:
            progress(RelaxationResult(best_bound, lp_value, x, rc, cand, duals, iterations, False))
        cand[_top_per_need(pd, np.where(positive, rc, -np.inf), FIRST_ORDER_PER_NEED, True)] = True
        pricing = time.perf_counter() - priced_at
    if duals is not None:
        priced = priced_flow_bound(instance, pd, duals)
        log.debug("priced flow: %s at %.1fs", priced, time.perf_counter() - t0)
        if priced is not None:
            best_bound = min(best_bound, priced)
    return RelaxationResult(best_bound, lp_value, x, rc, cand, duals, iterations, False)


def relax(
    instance: Instance,
    pd: PairData,
    objective: IntArray,
    sense: str,
    fixed: list[Fixed],
    start: npt.NDArray[np.bool_] | None = None,
    time_limit: float = 30.0,
    per_need: int = 5,
    max_iterations: int = 50,
    progress: Callable[[RelaxationResult], None] | None = None,
) -> RelaxationResult:
    """LP bound of ``objective`` (over pairs) with the earlier stages ``fixed``, by column
    generation from the candidate mask ``start``. The bound is on ``coef . x`` for "max" and
    on ``-(coef . x)`` for "min" (i.e. always on the maximised form). ``progress`` is called
    after every round that does not end the loop, with the state so far (its bound valid)."""
    t0 = time.perf_counter()
    obj = objective.astype(np.float64) * (1.0 if sense == "max" else -1.0)
    rows = _Rows(instance, pd, fixed)
    p = len(pd)
    result_x = np.zeros(p)
    rc = np.zeros(p)
    if p == 0:
        return RelaxationResult(0.0, 0.0, result_x, rc, np.zeros(0, dtype=np.bool_), None, 0, True)
    cand = np.zeros(p, dtype=np.bool_) if start is None else start.copy()
    full_limit = FULL_LP_PAIRS if not fixed else FULL_LATER_LP_PAIRS
    if p <= full_limit and (p <= FULL_LATER_LP_PAIRS or time_limit >= FULL_LP_SECONDS_PER_PAIR * p):
        # One LP over every pair beats pricing rounds at this size (1 000-need benchmark,
        # 66 968 pairs, stage 1: 14 s by simplex against 36 s of column generation). Later
        # stages get little time, and the pricing rounds give a bound at every round; so do
        # short limits (a full LP cut short by the clock leaves only a weak bound).
        cand[:] = True
    else:
        cand[_top_per_need(pd, pd.ub.astype(np.float64), per_need)] = True
        cand[_top_per_need(pd, obj - pd.price, per_need)] = True
    lp = _IncrementalLp(pd, obj, fixed, rows)
    lp.add(np.flatnonzero(cand))
    segments = NeedSegments.of(pd, rows.n_need)
    best_bound = np.inf
    duals: Duals | None = None
    lp_value = 0.0
    converged = False
    iterations = 0
    tol = 1e-7 * max(1.0, float(np.abs(obj).max()))
    while iterations < max_iterations:
        iterations += 1
        ok, lp_value, cols, x, dual = lp.solve(time_limit - (time.perf_counter() - t0))
        if dual.shape[0] != len(rows.rhs):
            break
        # Any nonnegative multipliers give a valid Lagrangian bound, optimal LP or not.
        duals = rows.split(dual, lp.obj_scale)
        rc = duals.reduced_costs(pd, obj, fixed)
        best_bound = min(best_bound, lagrangian_bound(pd, rows, duals, rc, segments))
        if ok:
            result_x = np.zeros(p)
            result_x[cols] = x
        positive = (rc > tol) & ~cand
        if ok and not positive.any():
            converged = True
            best_bound = min(best_bound, lp_value + tol)
            break
        if not ok or time.perf_counter() - t0 > time_limit:
            break
        if progress is not None:
            progress(
                RelaxationResult(
                    best_bound, lp_value, result_x, rc, cand, duals, iterations, converged
                )
            )
        new = _top_per_need(pd, np.where(positive, rc, -np.inf), per_need, only_finite=True)
        cand[new] = True
        lp.add(np.sort(new))
    return RelaxationResult(best_bound, lp_value, result_x, rc, cand, duals, iterations, converged)


@dataclass(frozen=True)
class NeedSegments:
    """Pairs grouped by need: ``order`` lists pair indices need by need (the identity when
    the pairs are sorted by need, as eligible pairs are), ``starts`` where each nonempty
    need's run begins, ``needs`` those needs."""

    order: IntArray
    starts: IntArray
    needs: IntArray

    @classmethod
    def of(cls, pd: PairData, num_needs: int) -> NeedSegments:
        del num_needs
        if len(pd) and bool((np.diff(pd.need) >= 0).all()):
            order = np.arange(len(pd))
        else:
            order = np.argsort(pd.need, kind="stable")
        need_sorted = pd.need[order]
        starts = (
            np.flatnonzero(np.r_[True, need_sorted[1:] != need_sorted[:-1]]) if len(pd) else order
        )
        return cls(order, starts.astype(np.int64), need_sorted[starts] if len(pd) else order)

    def max(self, values: FloatArray) -> FloatArray:
        """Per nonempty need, the largest value (values >= 0)."""
        return np.asarray(np.maximum.reduceat(values[self.order], self.starts), dtype=np.float64)

    def top_sum(self, values: FloatArray, k: int) -> FloatArray:
        """Per nonempty need, the sum of its k largest values (values >= 0)."""
        v = values[self.order].astype(np.float64, copy=True)
        total = np.zeros(self.starts.size)
        seg = np.repeat(np.arange(self.starts.size), np.diff(np.r_[self.starts, v.size]))
        for _ in range(k):
            m = np.maximum.reduceat(v, self.starts)
            total += m
            hit = np.flatnonzero((v == m[seg]) & (m[seg] > 0))
            if not hit.size:
                break
            _, first = np.unique(seg[hit], return_index=True)
            v[hit[first]] = 0.0
        return total


def lagrangian_bound(
    pd: PairData, rows: _Rows, duals: Duals, rc: FloatArray, segments: NeedSegments
) -> float:
    """A valid upper bound on the maximised objective over *all* pairs from any nonnegative
    multipliers: the coupling rows (capacity, budget, supplier cap, stage fixings) are
    priced in, and each need's own problem (0 <= x <= ub, sum x <= quantity, sum x/ub <= k)
    is bounded by the least of three upper bounds on its LP: the multipliers' own value
    (demand and k duals, weak duality), the k best ``ub * value`` (the k row with x <= ub),
    and ``quantity * best value`` (the demand row)."""
    o = rows.offsets
    finite = np.isfinite(rows.rhs)
    stacked = np.concatenate(
        [duals.demand, duals.capacity, duals.budget, duals.supplier_cap, duals.k, duals.fixed]
    )
    priced = stacked * np.where(finite, rows.rhs, 0.0)
    coupling = float(priced[o[1] : o[4]].sum() + priced[o[5] : o[6]].sum())
    ub = pd.ub.astype(np.float64)
    dual_term = np.bincount(pd.need, weights=ub * np.maximum(rc, 0.0), minlength=rows.n_need)
    dual_term += priced[o[0] : o[1]] + priced[o[4] : o[5]]
    value = rc + duals.demand[pd.need] + duals.k[pd.need] / np.maximum(ub, 1.0)
    positive = np.maximum(value, 0.0)
    needs = segments.needs
    quantity = rows.rhs[o[0] : o[1]][needs]
    by_demand = quantity * segments.max(positive)
    by_slots = segments.top_sum(ub * positive, rows.k)
    # Needs with at most k pairs: the k best are all of them, which top_sum also gives.
    per_need = dual_term.copy()
    per_need[needs] = np.minimum(dual_term[needs], np.minimum(by_demand, by_slots))
    return coupling + float(per_need.sum())


def _top_per_need(pd: PairData, score: FloatArray, m: int, only_finite: bool = False) -> IntArray:
    """Indices of the m best-scoring pairs of each need (ties by pair index)."""
    order = np.lexsort((np.arange(len(pd)), -score, pd.need))
    need_sorted = pd.need[order]
    first = np.searchsorted(need_sorted, need_sorted, side="left")
    rank = np.arange(len(order)) - first
    chosen = order[rank < m]
    if only_finite:
        chosen = chosen[np.isfinite(score[chosen])]
    return chosen


def _need_reach(
    instance: Instance, pd: PairData
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per need: the cheapest eligible price (inf when none), the most units it can take
    (min(quantity, sum of its k largest pair bounds): at most k offers serve it) and its HPS;
    the common ground of the combinatorial bounds below."""
    n_needs = len(instance.needs)
    min_price = np.full(n_needs, np.inf)
    np.minimum.at(min_price, pd.need, pd.price.astype(np.float64))
    order = np.lexsort((-pd.ub, pd.need))
    need_sorted = pd.need[order]
    rank = np.arange(len(pd)) - np.searchsorted(need_sorted, need_sorted, side="left")
    top = order[rank < instance.policy.max_suppliers_per_need]
    reach = np.bincount(pd.need[top], weights=pd.ub[top], minlength=n_needs)
    quantity = np.array([n.quantity for n in instance.needs], dtype=np.float64)
    hps = np.array([n.max_unit_price for n in instance.needs], dtype=np.float64)
    return min_price, np.minimum(quantity, reach), hps


def knapsack_bound(
    instance: Instance, pd: PairData, only: npt.NDArray[np.bool_] | None = None
) -> float:
    """A cheap valid upper bound on the filled value (stage 1, maximised form): per agency, a
    fractional knapsack of its needs, each unit of need n worth HPS(n) and costing at least
    the cheapest eligible price; a need can take at most min(quantity, sum of its k largest
    pair bounds) units. Capacities and supplier caps are relaxed. With ``only``, just those
    pairs count (e.g. the priority suppliers' pairs: a bound on the priority value)."""
    if only is not None:
        pd = _subset(pd, np.flatnonzero(only))
    if not len(pd):
        return 0.0
    min_price, units, hps = _need_reach(instance, pd)
    agency_index = {a.agency_id: i for i, a in enumerate(instance.agencies)}
    agency = np.array([agency_index[n.agency_id] for n in instance.needs], dtype=np.int64)
    budget = np.array([a.budget for a in instance.agencies], dtype=np.float64)
    total = 0.0
    valid = np.isfinite(min_price) & (units > 0)
    ratio = np.where(valid, hps / np.where(valid, min_price, 1.0), 0.0)
    for a in range(len(instance.agencies)):
        members = np.flatnonzero(valid & (agency == a))
        if not members.size:
            continue
        members = members[np.argsort(-ratio[members], kind="stable")]
        left = budget[a]
        for n in members.tolist():
            cost = units[n] * min_price[n]
            if cost <= left:
                total += units[n] * hps[n]
                left -= cost
            else:
                total += left * ratio[n]
                break
    return total


def _subset(pd: PairData, idx: IntArray) -> PairData:
    return PairData(
        need=pd.need[idx],
        offer=pd.offer[idx],
        supplier=pd.supplier[idx],
        agency=pd.agency[idx],
        ub=pd.ub[idx],
        moq=pd.moq[idx],
        price=pd.price[idx],
        hps=pd.hps[idx],
        priority=pd.priority[idx],
        stock_ub=pd.stock_ub[idx],
    )


def min_cost_bound(instance: Instance, pd: PairData, filled_value: int) -> float:
    """A valid lower bound on the cost of any allocation filling at least ``filled_value``
    (stage 3 with stage 1 fixed): buy value at the cheapest price per rupiah of HPS first,
    each need up to min(quantity, sum of its k largest pair bounds) units; capacities,
    budgets, caps and the priority stage are relaxed."""
    if filled_value <= 0 or not len(pd):
        return 0.0
    min_price, units, hps = _need_reach(instance, pd)
    valid = np.isfinite(min_price) & (units > 0)
    members = np.flatnonzero(valid)
    cost_per_value = min_price[members] / hps[members]
    members = members[np.argsort(cost_per_value, kind="stable")]
    value = units[members] * hps[members]
    cum = np.cumsum(value)
    full = int(np.searchsorted(cum, filled_value))
    if full >= members.size:
        return float(np.sum(units[members] * min_price[members]))
    cost = float(np.sum(units[members[:full]] * min_price[members[:full]]))
    rest = filled_value - (cum[full - 1] if full else 0.0)
    n = members[full]
    return float(cost + rest * min_price[n] / hps[n])


def capacity_bound(instance: Instance, pd: PairData) -> float:
    """A valid upper bound on the filled value from capacities alone: per category, the units
    bought cannot exceed the capacity of the offers eligible for some need of it, and each
    need takes at most min(quantity, its k largest pair bounds); the most valuable units
    first (fractional knapsack by HPS). Budgets and caps are relaxed."""
    if not len(pd):
        return 0.0
    _, units, hps = _need_reach(instance, pd)
    categories = sorted({n.category for n in instance.needs})
    cat_of_need = np.array([categories.index(n.category) for n in instance.needs], dtype=np.int64)
    offers = np.unique(pd.offer)
    capacity = np.array([instance.offers[int(o)].capacity for o in offers], dtype=np.float64)
    cat_of_offer = np.array(
        [categories.index(instance.offers[int(o)].category) for o in offers], dtype=np.int64
    )
    supply = np.bincount(cat_of_offer, weights=capacity, minlength=len(categories))
    total = 0.0
    for c in range(len(categories)):
        members = np.flatnonzero((cat_of_need == c) & (units > 0))
        members = members[np.argsort(-hps[members], kind="stable")]
        cum = np.cumsum(units[members])
        full = int(np.searchsorted(cum, supply[c], side="right"))
        total += float(np.sum(units[members[:full]] * hps[members[:full]]))
        if full < members.size:
            left = supply[c] - (cum[full - 1] if full else 0.0)
            total += float(left * hps[members[full]])
    return total


def aggregate_bound(
    instance: Instance, pd: PairData, only: npt.NDArray[np.bool_] | None = None
) -> float:
    """A valid upper bound on the filled value (stage 1, maximised form) from a tiny LP over
    one variable per need, its units u(n): u(n) <= min(quantity, sum of its k largest pair
    bounds); per category, the units of its needs <= the capacity of the offers eligible for
    some need of it (offers serve one category); per agency, sum of u(n) times the cheapest
    eligible price of n <= budget. It combines :func:`knapsack_bound` and
    :func:`capacity_bound` in one relaxation, so it is at least as tight as either (up to the
    LP tolerance added for safety). With ``only``, just those pairs count (e.g. the priority
    suppliers' pairs: a bound on the priority value)."""
    if only is not None:
        pd = _subset(pd, np.flatnonzero(only))
    if not len(pd):
        return 0.0
    min_price, units, hps = _need_reach(instance, pd)
    live = np.flatnonzero(np.isfinite(min_price) & (units > 0))
    if not live.size:
        return 0.0
    categories = sorted({n.category for n in instance.needs})
    cat_index = {c: i for i, c in enumerate(categories)}
    cat_of_need = np.array([cat_index[n.category] for n in instance.needs], dtype=np.int64)
    offers = np.unique(pd.offer)
    capacity = np.array([instance.offers[int(o)].capacity for o in offers], dtype=np.float64)
    cat_of_offer = np.array(
        [cat_index.get(instance.offers[int(o)].category, 0) for o in offers], dtype=np.int64
    )
    supply = np.bincount(cat_of_offer, weights=capacity, minlength=len(categories))
    agency_index = {a.agency_id: i for i, a in enumerate(instance.agencies)}
    agency = np.array([agency_index[n.agency_id] for n in instance.needs], dtype=np.int64)
    budget = np.array([a.budget for a in instance.agencies], dtype=np.float64)
    m = live.size
    n_cat = len(categories)
    money = max(1.0, float(np.median(min_price[live])))
    rows = np.concatenate([cat_of_need[live], n_cat + agency[live]])
    cols = np.concatenate([np.arange(m), np.arange(m)])
    vals = np.concatenate([np.ones(m), min_price[live] / money])
    upper = np.concatenate([supply, budget / money])
    scale = max(1.0, float(np.median(hps[live])))
    h = highs_model(
        hps[live] / scale,
        np.zeros(m),
        units[live],
        (rows, cols, vals, np.full(upper.size, -np.inf), upper),
        maximise=True,
    )
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return float(np.dot(hps[live], units[live]))
    # Weak duality makes the bound safe whatever the LP's accuracy: for any nonnegative row
    # multipliers, sum(dual * rhs) + sum over columns of upper * max(0, reduced cost) bounds
    # the LP. HiGHS's sign convention for a maximisation is tried both ways; the least wins.
    raw = np.asarray(h.getSolution().row_dual, dtype=np.float64)
    value = np.inf
    for dual in (np.maximum(-raw, 0.0), np.maximum(raw, 0.0)):
        used = np.zeros(m)
        np.add.at(used, cols, vals * dual[rows])
        reduced = hps[live] / scale - used
        candidate = float(np.dot(dual, upper)) + float(
            np.dot(units[live], np.maximum(reduced, 0.0))
        )
        value = min(value, candidate)
    return value * scale


@dataclass(frozen=True)
class FlowBound:
    """:func:`flow_bound`'s result."""

    bound: float  # upper bound on the filled value (stage 1, maximised form)
    x: IntArray  # the optimal flow over the pairs: integral, within demand, capacity and ub


def flow_bound(instance: Instance, pd: PairData) -> FlowBound | None:
    """A valid upper bound on the filled value (stage 1, maximised form) by min-cost flows:
    drop the k row and the agency budget and supplier cap rows (the Lagrangian relaxation of
    the money rows with zero multipliers); what is left is a transportation problem per
    category (source -> offer, at most its capacity; offer -> need, at most the pair's
    bound; need -> sink, at most its quantity; every unit through need n worth its HPS), so
    the flows' value bounds the spec's model. The pair bounds keep what the budget and cap
    can pay for each pair alone. None when the flow solver fails.

    An offer serves one category, so the categories' flows are independent and are solved
    one by one: at 10 000 needs (6.8 million pairs) 4 s in all, against 15-34 s for one
    flow over the whole instance. Unlike the aggregate bound it keeps every offer's own
    capacity: 1.923e10 unmet there against the aggregate's 1.535e10. Subgradient steps on
    the budget and cap multipliers (each a new flow) did not beat zero multipliers; the LP's
    own multipliers do (:func:`priced_flow_bound`).

    The flow is also a guide: its pairs are where capacity goes in a plan that ignores only
    the k limit and the money rows (:mod:`matcher.optimizer.solvers.auto` adds them to the
    LNS's candidates)."""
    flows = _category_flows(instance, pd, pd.hps)
    return None if flows is None else FlowBound(float(flows[0]), flows[1])


# Arc values of the priced flow (priced_flow_bound) in 1/PRICED_FLOW_SCALE rupiah, rounded up.
PRICED_FLOW_SCALE = 100


def priced_flow_bound(instance: Instance, pd: PairData, duals: Duals) -> float | None:
    """A valid upper bound on the filled value (stage 1, maximised form) from any nonnegative
    multipliers of the k rows, agency budgets and supplier caps (``duals``; the others are
    ignored): those rows are priced into the arcs of :func:`flow_bound`'s transportation
    problems, which keep demand, capacity and the pair bounds exactly, so the bound is the
    flows' value plus the multipliers times the right-hand sides. With the LP's optimal
    multipliers it equals the LP bound (the transportation polytope is integral); with zero
    ones it is :func:`flow_bound`. Arc values are rounded up to 1/``PRICED_FLOW_SCALE``
    rupiah (so the bound stays valid) and clipped at zero (a flow may leave any arc empty).

    10 000-need benchmark, multipliers from the first-order LP's column generation
    (:func:`first_order_relax`) after one, two and three rounds: 1.870e10, 1.928e10 and
    2.005e10 unmet, against 1.923e10 with zero multipliers; 12 s per flow."""
    rows = _Rows(instance, pd, [])
    o, rhs = rows.offsets, rows.rhs
    # A row that does not exist (no k row for a need with at most k pairs, no cap) has no
    # multiplier: its right-hand side is infinite.
    k_rows, budget_rows, cap_rows = rhs[o[4] : o[5]], rhs[o[2] : o[3]], rhs[o[3] : o[4]]
    k = np.where(np.isfinite(k_rows), duals.k, 0.0)
    budget = np.where(np.isfinite(budget_rows), duals.budget, 0.0)
    cap = np.where(np.isfinite(cap_rows), duals.supplier_cap, 0.0)
    ub = np.maximum(pd.ub, 1).astype(np.float64)
    value = pd.hps - k[pd.need] / ub - pd.price * (budget[pd.agency] + cap[pd.supplier])
    scaled = np.maximum(np.ceil(value * PRICED_FLOW_SCALE), 0).astype(np.int64)
    flows = _category_flows(instance, pd, scaled)
    if flows is None:
        return None
    priced = sum(
        float(np.dot(m, np.where(m > 0, r, 0.0)))
        for m, r in ((k, k_rows), (budget, budget_rows), (cap, cap_rows))
    )
    return flows[0] / PRICED_FLOW_SCALE + priced


def _category_flows(
    instance: Instance, pd: PairData, value: IntArray
) -> tuple[int, IntArray] | None:
    """The most valuable flow (``value`` per unit through each pair) through demand, offer
    capacity and pair bounds, one min-cost flow per category (an offer serves one
    category); its total value and the flow per pair. None when a flow fails."""
    p = len(pd)
    x = np.zeros(p, dtype=np.int64)
    if p == 0:
        return 0, x
    quantity = np.array([n.quantity for n in instance.needs], dtype=np.int64)
    capacity = np.array([o.capacity for o in instance.offers], dtype=np.int64)
    category = np.unique([n.category for n in instance.needs], return_inverse=True)[1]
    pair_category = category[pd.need]
    order = np.argsort(pair_category, kind="stable")
    bounds = np.searchsorted(pair_category[order], np.arange(int(category.max()) + 2))
    filled = 0
    for c in range(len(bounds) - 1):
        arcs = order[bounds[c] : bounds[c + 1]]
        if not arcs.size:
            continue
        # Local node numbers: the category's offers, then its needs, then source and sink.
        offers, offer_node = np.unique(pd.offer[arcs], return_inverse=True)
        needs, need_node = np.unique(pd.need[arcs], return_inverse=True)
        n_offer, n_need = offers.size, needs.size
        source, sink = n_offer + n_need, n_offer + n_need + 1
        total = int(quantity[needs].sum())
        flow = min_cost_flow.SimpleMinCostFlow()
        # The pair arcs first, so that their flows are the first arcs'.
        flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate(
                [offer_node, np.full(n_offer, source), n_offer + np.arange(n_need), [source]]
            ),
            np.concatenate(
                [n_offer + need_node, np.arange(n_offer), np.full(n_need, sink), [sink]]
            ),
            np.concatenate([pd.ub[arcs], capacity[offers], quantity[needs], [total]]).astype(
                np.int64
            ),
            np.concatenate([-value[arcs], np.zeros(n_offer + n_need + 1, dtype=np.int64)]).astype(
                np.int64
            ),
        )
        flow.set_nodes_supplies(np.array([source, sink]), np.array([total, -total]))
        if flow.solve() != flow.OPTIMAL:
            return None
        x[arcs] = flow.flows(np.arange(arcs.size))
        filled -= int(flow.optimal_cost())
    return filled, x


@dataclass(frozen=True)
class LpFreeBound:
    """:func:`lp_free_bound`'s result: the bound (maximised form for unmet and priority, a
    lower bound on cost) and, at stage 1, the min-cost flow it took."""

    bound: float | None
    flow: FlowBound | None


def lp_free_bound(
    instance: Instance,
    pd: PairData,
    name: str,
    fixed: list[tuple[ObjectiveModule, int]],
) -> LpFreeBound:
    """Every bound that needs no LP, for the stage whose objective is called ``name``
    (``Objective.name``): the trivial and combinatorial ones, the aggregate LP (unmet and
    priority) and the min-cost flow (unmet). They take seconds at 10^4 needs, and they stay
    meaningful when column generation is cut short."""
    bound = cheap_bound(instance, pd, name, fixed)
    if name in ("unmet", "priority"):
        aggregate = aggregate_bound(instance, pd, only=pd.priority if name == "priority" else None)
        bound = aggregate if bound is None else min(bound, aggregate)
    flow = flow_bound(instance, pd) if name == "unmet" else None
    if flow is not None:
        bound = flow.bound if bound is None else min(bound, flow.bound)
    return LpFreeBound(bound, flow)


def cheap_bound(
    instance: Instance,
    pd: PairData,
    name: str,
    fixed: list[tuple[ObjectiveModule, int]],
) -> float | None:
    """The trivial and combinatorial bounds of :func:`lp_free_bound` (no LP, no flow)."""
    trivial = _trivial_bound(instance, name)
    bound = _cheap(instance, pd, name, fixed)
    if bound is None:
        return trivial
    return min(bound, trivial) if name in ("unmet", "priority") else max(bound, trivial)


def _trivial_bound(instance: Instance, name: str) -> float:
    """Filled and priority value never exceed the demand value; cost is never negative."""
    if name == "cost":
        return 0.0
    return float(instance.demand_value)


def _cheap(
    instance: Instance, pd: PairData, name: str, fixed: list[tuple[ObjectiveModule, int]]
) -> float | None:
    if name == "unmet":
        return min(knapsack_bound(instance, pd), capacity_bound(instance, pd))
    if name == "priority":
        return knapsack_bound(instance, pd, only=pd.priority)
    if name == "cost" and fixed:
        first = objective_over_pairs(fixed[0][0], instance, pd)
        if first.name == "unmet":
            return min_cost_bound(instance, pd, fixed[0][1])
    return None
