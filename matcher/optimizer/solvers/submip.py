"""Sub-MIPs over a subset of the eligible pairs with what is left of every limit.

The building block of the large-neighbourhood search (:mod:`matcher.optimizer.solvers.lns`)
and of the Lagrangian bound by category (:mod:`matcher.optimizer.solvers.lagrangian`): the
pairs outside the subset keep their quantities, and the subset is re-optimised against the
*residual* demand, capacity, k slots, agency budgets and supplier caps, with an arbitrary
(float) linear objective to maximise and optional extra rows (stage fixings). Every row is
integer, so any integer solution of the sub-MIP, put back into the full vector, satisfies
the spec's constraints.

Columns: ``x[p]`` integer in [0, ub'] where ub' = min(ub, residual capacity, residual demand);
``y[p]`` binary, only for pairs that need one (minimum order above 1, or more candidate pairs
than free slots for their need). Rows are emitted only where they can bind."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Instance

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BIG = np.iinfo(np.int64).max // 4


@dataclass
class Limits:
    """The instance's limits as arrays (index = position in the instance's tuples)."""

    quantity: IntArray  # per need
    capacity: IntArray  # per offer
    budget: IntArray  # per agency
    cap: IntArray  # per supplier (BIG when the policy sets no cap)
    k: int

    @classmethod
    def of(cls, instance: Instance) -> Limits:
        cap = instance.policy.max_supplier_value
        return cls(
            np.array([n.quantity for n in instance.needs], dtype=np.int64),
            np.array([o.capacity for o in instance.offers], dtype=np.int64),
            np.array([a.budget for a in instance.agencies], dtype=np.int64),
            np.full(len(instance.suppliers), BIG if cap is None else cap, dtype=np.int64),
            instance.policy.max_suppliers_per_need,
        )


@dataclass
class Usage:
    """How much of every limit an allocation x (over pairs) uses."""

    quantity: IntArray
    capacity: IntArray
    budget: IntArray
    cap: IntArray
    slots: IntArray

    @classmethod
    def of(cls, pd: PairData, limits: Limits, x: IntArray) -> Usage:
        return cls.of_subset(pd, limits, x, None)

    @classmethod
    def of_subset(
        cls, pd: PairData, limits: Limits, values: IntArray, subset: IntArray | None
    ) -> Usage:
        """Usage of the pairs ``subset`` holding ``values`` (all pairs when None)."""
        need, offer, agency, supplier, price = (
            (pd.need, pd.offer, pd.agency, pd.supplier, pd.price)
            if subset is None
            else (
                pd.need[subset],
                pd.offer[subset],
                pd.agency[subset],
                pd.supplier[subset],
                pd.price[subset],
            )
        )
        spend = values * price
        return cls(
            _int_bincount(need, values, limits.quantity.size),
            _int_bincount(offer, values, limits.capacity.size),
            _int_bincount(agency, spend, limits.budget.size),
            _int_bincount(supplier, spend, limits.cap.size),
            _int_bincount(need, (values > 0).astype(np.int64), limits.quantity.size),
        )

    def __sub__(self, other: Usage) -> Usage:
        return Usage(
            self.quantity - other.quantity,
            self.capacity - other.capacity,
            self.budget - other.budget,
            self.cap - other.cap,
            self.slots - other.slots,
        )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.quantity + other.quantity,
            self.capacity + other.capacity,
            self.budget + other.budget,
            self.cap + other.cap,
            self.slots + other.slots,
        )

    def within(self, limits: Limits) -> bool:
        return bool(
            (self.quantity <= limits.quantity).all()
            and (self.capacity <= limits.capacity).all()
            and (self.budget <= limits.budget).all()
            and (self.cap <= limits.cap).all()
            and (self.slots <= limits.k).all()
        )


def _int_bincount(index: IntArray, weights: IntArray, size: int) -> IntArray:
    """Exact integer bincount: float bincount is exact below 2**53 (checked), else add.at."""
    total = float(np.abs(weights).sum()) if weights.size else 0.0
    if total < 2.0**53:
        return np.rint(np.bincount(index, weights=weights, minlength=size)).astype(np.int64)
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, index, weights)
    return out


@dataclass(frozen=True)
class ExtraRow:
    """``lo <= coef . x <= hi`` over the full pair vector (integer coef); the sub-MIP moves
    the contribution of the pairs outside the subset to the right-hand side."""

    coef: IntArray
    lo: float
    hi: float


@dataclass
class SubResult:
    x: IntArray | None  # over the subset; None when no solution was found
    objective: float | None
    bound: float | None  # upper bound on the maximised objective over the subset
    optimal: bool
    seconds: float


def solve_sub(
    pd: PairData,
    limits: Limits,
    x: IntArray,
    subset: IntArray,
    value: FloatArray,
    *,
    extra: tuple[ExtraRow, ...] = (),
    time_limit: float = 10.0,
    threads: int = 1,
    seed: int = 0,
    node_limit: int | None = None,
    hint: bool = True,
    relax_budget: FloatArray | None = None,
    relax_cap: FloatArray | None = None,
    used_all: Usage | None = None,
    activity: tuple[int, ...] | None = None,
) -> SubResult:
    """Maximise ``value . x[subset]`` with the pairs outside ``subset`` kept as in ``x``.

    ``value`` is over the subset. With ``relax_budget`` / ``relax_cap`` (multipliers per
    agency / supplier) those rows are dropped and priced into the objective instead
    (Lagrangian subproblem; the caller adds the multipliers times the limits). ``hint``
    passes ``x[subset]`` as the starting solution (it must be feasible for the sub-MIP).
    ``used_all`` (the usage of the whole ``x``) and ``activity`` (each extra row's value at
    ``x``) save the passes over all pairs when given."""
    start = time.perf_counter()
    subset = np.asarray(subset, dtype=np.int64)
    own = Usage.of_subset(pd, limits, x[subset], subset)
    used = (used_all if used_all is not None else Usage.of(pd, limits, x)) - own
    need = pd.need[subset]
    offer = pd.offer[subset]
    agency = pd.agency[subset]
    supplier = pd.supplier[subset]
    price = pd.price[subset]
    moq = pd.moq[subset]
    q_left = limits.quantity - used.quantity
    cap_left = limits.capacity - used.capacity
    ub = np.minimum(np.minimum(pd.ub[subset], cap_left[offer]), q_left[need])
    obj = value.astype(np.float64).copy()
    if relax_budget is not None:
        obj -= price * relax_budget[agency]
    if relax_cap is not None:
        obj -= price * relax_cap[supplier]
    slots = limits.k - used.slots
    live = (ub >= moq) & (slots[need] > 0)
    if relax_budget is not None or relax_cap is not None:
        live &= obj > 0
    m = subset.size
    if not live.any():
        return SubResult(np.zeros(m, dtype=np.int64), 0.0, 0.0, True, time.perf_counter() - start)
    cols = np.flatnonzero(live)
    n = cols.size
    ub_c = ub[cols]
    need_c, offer_c, price_c, moq_c = need[cols], offer[cols], price[cols], moq[cols]
    ag_c, sup_c = agency[cols], supplier[cols]
    count = np.bincount(need_c, minlength=limits.quantity.size)
    needs_y = (moq_c > 1) | (count[need_c] > slots[need_c])
    y_idx = np.flatnonzero(needs_y)
    n_y = y_idx.size
    rows_r: list[IntArray] = []
    rows_c: list[IntArray] = []
    rows_v: list[FloatArray] = []
    lo: list[FloatArray] = []
    hi: list[FloatArray] = []
    offset = 0

    def family(group: IntArray, members: IntArray, coef: FloatArray, rhs: FloatArray) -> None:
        nonlocal offset
        keys, local = np.unique(group, return_inverse=True)
        rows_r.append(local.astype(np.int64) + offset)
        rows_c.append(members)
        rows_v.append(coef)
        lo.append(np.full(keys.size, -np.inf))
        hi.append(rhs[keys].astype(np.float64))
        offset += keys.size

    def capped(group: IntArray, weight: FloatArray, limit: IntArray, size: int) -> None:
        most = np.bincount(group, weights=weight * ub_c, minlength=size)
        active = most[group] > limit[group]
        if active.any():
            members = np.flatnonzero(active)
            family(group[members], members, weight[members], limit.astype(np.float64))

    ones = np.ones(n)
    capped(need_c, ones, q_left, limits.quantity.size)
    capped(offer_c, ones, cap_left, limits.capacity.size)
    if relax_budget is None:
        capped(ag_c, price_c.astype(np.float64), limits.budget - used.budget, limits.budget.size)
    if relax_cap is None:
        capped(sup_c, price_c.astype(np.float64), limits.cap - used.cap, limits.cap.size)
    if n_y:
        y_col = n + np.arange(n_y)
        crowded = count[need_c[y_idx]] > slots[need_c[y_idx]]
        if crowded.any():
            members = y_idx[crowded]
            family(need_c[members], y_col[crowded], np.ones(members.size), slots.astype(np.float64))
        # x - ub*y <= 0 and x - moq*y >= 0
        r = offset + np.arange(n_y)
        rows_r += [r, r]
        rows_c += [y_idx, y_col]
        rows_v += [np.ones(n_y), -ub_c[y_idx].astype(np.float64)]
        lo.append(np.full(n_y, -np.inf))
        hi.append(np.zeros(n_y))
        offset += n_y
        big = moq_c[y_idx] > 1
        if big.any():
            b = int(big.sum())
            r = offset + np.arange(b)
            rows_r += [r, r]
            rows_c += [y_idx[big], y_col[big]]
            rows_v += [np.ones(b), -moq_c[y_idx[big]].astype(np.float64)]
            lo.append(np.zeros(b))
            hi.append(np.full(b, np.inf))
            offset += b
    for j, row in enumerate(extra):
        full = activity[j] if activity is not None else int(np.dot(row.coef, x))
        fixed_part = float(full - int(np.dot(row.coef[subset], x[subset])))
        coef = row.coef[subset][cols].astype(np.float64)
        nz = np.flatnonzero(coef)
        rows_r.append(np.full(nz.size, offset, dtype=np.int64))
        rows_c.append(nz)
        rows_v.append(coef[nz])
        lo.append(np.array([row.lo - fixed_part]))
        hi.append(np.array([row.hi - fixed_part]))
        offset += 1
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", max(1, threads))
    h.setOptionValue("random_seed", seed)
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.setOptionValue("time_limit", max(0.05, time_limit))
    if node_limit is not None:
        h.setOptionValue("mip_max_nodes", node_limit)
    lp = highspy.HighsLp()
    n_cols = n + n_y
    lp.num_col_ = n_cols
    lp.num_row_ = offset
    lp.col_cost_ = np.concatenate([obj[cols], np.zeros(n_y)])
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.concatenate([ub_c.astype(np.float64), np.ones(n_y)])
    lo_a = np.concatenate(lo) if lo else np.zeros(0)
    hi_a = np.concatenate(hi) if hi else np.zeros(0)
    lp.row_lower_ = np.where(np.isfinite(lo_a), lo_a, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(hi_a), hi_a, highspy.kHighsInf)
    r_all = np.concatenate(rows_r) if rows_r else np.zeros(0, dtype=np.int64)
    c_all = np.concatenate(rows_c) if rows_c else np.zeros(0, dtype=np.int64)
    v_all = np.concatenate(rows_v) if rows_v else np.zeros(0)
    order = np.lexsort((r_all, c_all))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(c_all[order], np.arange(n_cols + 1)).astype(np.int32)
    lp.a_matrix_.index_ = r_all[order].astype(np.int32)
    lp.a_matrix_.value_ = v_all[order]
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = offset
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols
    h.passModel(lp)
    if hint:
        start_x = np.minimum(x[subset][cols], ub_c)
        start_x[start_x < moq_c] = 0
        sol = highspy.HighsSolution()
        sol.col_value = np.concatenate(
            [start_x.astype(np.float64), (start_x[y_idx] > 0).astype(np.float64)]
        ).tolist()
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    info = h.getInfo()
    status = h.getModelStatus()
    seconds = time.perf_counter() - start
    bound = float(info.mip_dual_bound)
    optimal = status == highspy.HighsModelStatus.kOptimal
    if not np.isfinite(bound) or abs(bound) >= highspy.kHighsInf:
        bound = np.inf
    if info.primal_solution_status < 2:
        return SubResult(None, None, bound, False, seconds)
    values = np.rint(np.asarray(h.getSolution().col_value)[:n]).astype(np.int64)
    out = np.zeros(m, dtype=np.int64)
    out[cols] = values
    out[(out > 0) & (out < moq)] = 0  # never happens with integral y; cheap safety
    return SubResult(out, float(np.dot(obj[cols], values)), bound, optimal, seconds)
