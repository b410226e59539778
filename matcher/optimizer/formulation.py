"""Solver-neutral formulation: columns (x per eligible pair, y per pair that needs an
on/off indicator) and row families in COO form, built by the modules of ``constraints/``.
Back ends in ``solvers/`` translate it; none of them knows the domain.

Columns: ``x[p]`` integer units bought through eligible pair ``p`` (0..min(quantity,
capacity)); ``y[p]`` binary "pair p is used", created only where needed (minimum order above
1, or the need has more eligible offers than the k limit). ``short(n)`` is implicit:
quantity(n) - sum of x over n.

Rows are divided by the gcd of their coefficients and the right-hand side rounded inward,
which is exact for integer columns and keeps coefficients small (CP-SAT) and rows tight."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from matcher.optimizer.eligibility import EligiblePairs, eligible_pairs
from matcher.optimizer.model import Instance

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
INF = float("inf")


@dataclass(frozen=True)
class PairData:
    """Per eligible pair p (arrays of equal length), with the indices of its need, offer,
    supplier and agency in the instance's tuples."""

    need: IntArray
    offer: IntArray
    supplier: IntArray
    agency: IntArray
    ub: IntArray  # min(quantity, capacity, what the agency budget and supplier cap can pay)
    moq: IntArray  # max(1, min_order_qty)
    price: IntArray  # offer unit price
    hps: IntArray  # need max unit price
    priority: BoolArray  # offer's supplier is a priority supplier
    # min(quantity, capacity): the bound without the money limits. The LP relaxation bounds
    # its columns by this (the budget and cap rows imply the rest), so that those rows, not
    # the column bounds, carry the shadow price of a rupiah more.
    stock_ub: IntArray

    def __len__(self) -> int:
        return int(self.need.shape[0])


def pair_data(instance: Instance, pairs: EligiblePairs | None = None) -> PairData:
    pairs = pairs if pairs is not None else eligible_pairs(instance)
    supplier_index = {s.supplier_id: i for i, s in enumerate(instance.suppliers)}
    agency_index = {a.agency_id: i for i, a in enumerate(instance.agencies)}
    offers = instance.offers
    needs = instance.needs
    o_sup = np.array([supplier_index[o.supplier_id] for o in offers], dtype=np.int64)
    o_price = np.array([o.unit_price for o in offers], dtype=np.int64)
    o_cap = np.array([o.capacity for o in offers], dtype=np.int64)
    o_moq = np.array([max(1, o.min_order_qty) for o in offers], dtype=np.int64)
    o_prio = np.array(
        [instance.suppliers[int(s)].is_priority for s in o_sup], dtype=np.bool_
    ).reshape(-1)
    n_q = np.array([n.quantity for n in needs], dtype=np.int64)
    n_hps = np.array([n.max_unit_price for n in needs], dtype=np.int64)
    n_ag = np.array([agency_index[n.agency_id] for n in needs], dtype=np.int64)
    n, o = pairs.need, pairs.offer
    stock_ub = np.minimum(n_q[n], o_cap[o]) if len(n) else np.zeros(0, dtype=np.int64)
    ub = stock_ub
    if len(n):
        # x(n, o) * price(o) can exceed neither the agency's budget nor the supplier cap, so
        # neither can the pair's bound: the tight big-M, and the LP's k row (sum x / ub <= k)
        # then no longer lets a need spread over many capped suppliers at a fraction of a slot.
        n_budget = np.array([a.budget for a in instance.agencies], dtype=np.int64)[n_ag[n]]
        ub = np.minimum(ub, n_budget // o_price[o])
        cap = instance.policy.max_supplier_value
        if cap is not None:
            ub = np.minimum(ub, cap // o_price[o])
    return PairData(
        need=n,
        offer=o,
        supplier=o_sup[o] if len(o) else np.zeros(0, dtype=np.int64),
        agency=n_ag[n] if len(n) else np.zeros(0, dtype=np.int64),
        ub=ub,
        moq=o_moq[o] if len(o) else np.zeros(0, dtype=np.int64),
        price=o_price[o] if len(o) else np.zeros(0, dtype=np.int64),
        hps=n_hps[n] if len(n) else np.zeros(0, dtype=np.int64),
        priority=o_prio[o] if len(o) else np.zeros(0, dtype=np.bool_),
        stock_ub=stock_ub,
    )


@dataclass
class RowFamily:
    """Rows lo <= sum coef * col <= hi of one constraint family, with a key per row (an
    agency id, supplier id, ...) and the factor each row was divided by."""

    name: str
    keys: list[str]
    lo: npt.NDArray[np.float64]
    hi: npt.NDArray[np.float64]
    row: IntArray  # local row index of each nonzero
    col: IntArray
    val: IntArray
    scale: IntArray  # original row = scale * stored row

    @property
    def size(self) -> int:
        return len(self.keys)


@dataclass
class Formulation:
    instance: Instance
    pairs: PairData
    y_of_pair: IntArray  # column index of y[p], or -1
    col_lb: IntArray
    col_ub: IntArray
    families: dict[str, RowFamily] = field(default_factory=dict)

    @property
    def num_pairs(self) -> int:
        return len(self.pairs)

    @property
    def num_cols(self) -> int:
        return int(self.col_ub.shape[0])

    @property
    def num_rows(self) -> int:
        return sum(f.size for f in self.families.values())

    def add_family(
        self,
        name: str,
        keys: list[str],
        lo: list[float] | npt.NDArray[np.float64],
        hi: list[float] | npt.NDArray[np.float64],
        row: IntArray,
        col: IntArray,
        val: IntArray,
    ) -> None:
        """Add rows; each is divided by the gcd of its coefficients (exact, see module doc)."""
        lo_a = np.asarray(lo, dtype=np.float64).copy()
        hi_a = np.asarray(hi, dtype=np.float64).copy()
        scale = np.ones(len(keys), dtype=np.int64)
        if len(val):
            order = np.argsort(row, kind="stable")
            row, col, val = row[order], col[order], val[order]
            counts = np.bincount(row, minlength=len(keys))
            nonempty = np.flatnonzero(counts)
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[nonempty]
            scale[nonempty] = np.gcd.reduceat(np.abs(val), starts)
            scale[scale < 1] = 1
            if (scale > 1).any():
                val = val // scale[row]
                finite_lo = np.isfinite(lo_a)
                finite_hi = np.isfinite(hi_a)
                lo_a[finite_lo] = np.ceil(lo_a[finite_lo] / scale[finite_lo])
                hi_a[finite_hi] = np.floor(hi_a[finite_hi] / scale[finite_hi])
        self.families[name] = RowFamily(name, keys, lo_a, hi_a, row, col, val, scale)

    def all_rows(
        self,
    ) -> tuple[IntArray, IntArray, IntArray, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Every row stacked: (row, col, val, lo, hi) with global row indices."""
        rows: list[IntArray] = []
        cols: list[IntArray] = []
        vals: list[IntArray] = []
        los: list[npt.NDArray[np.float64]] = []
        his: list[npt.NDArray[np.float64]] = []
        offset = 0
        for fam in self.families.values():
            rows.append(fam.row + offset)
            cols.append(fam.col)
            vals.append(fam.val)
            los.append(fam.lo)
            his.append(fam.hi)
            offset += fam.size
        if not rows:
            e = np.zeros(0, dtype=np.int64)
            f = np.zeros(0, dtype=np.float64)
            return e, e, e, f, f
        return (
            np.concatenate(rows),
            np.concatenate(cols),
            np.concatenate(vals),
            np.concatenate(los),
            np.concatenate(his),
        )

    def row_offset(self, name: str) -> int:
        offset = 0
        for fam in self.families.values():
            if fam.name == name:
                return offset
            offset += fam.size
        raise KeyError(name)


def needs_indicator(pairs: PairData, k: int, num_needs: int) -> BoolArray:
    """Pairs that need a y column: minimum order above 1, or the need has more than k pairs."""
    per_need = np.bincount(pairs.need, minlength=num_needs) if len(pairs) else np.zeros(0)
    crowded = per_need[pairs.need] > k if len(pairs) else np.zeros(0, dtype=np.bool_)
    return np.asarray((pairs.moq > 1) | crowded, dtype=np.bool_)
