"""LP rounding heuristic for stage 1: keep, per need, the k pairs the LP uses most; re-solve
the LP on them (the k limit is then implied) dropping pairs the LP uses below their minimum
order; round down (every row is a <= row with nonnegative coefficients, so rounding down
keeps it feasible); then fill what is left greedily."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Instance
from matcher.optimizer.relaxation import _IncrementalLp, _Rows
from matcher.optimizer.solvers.base import IntArray
from matcher.optimizer.solvers.greedy import fill


def round_lp(
    instance: Instance,
    pd: PairData,
    x_lp: npt.NDArray[np.float64],
    objective: IntArray,
    rounds: int = 3,
    time_limit: float = 10.0,
) -> IntArray:
    k = instance.policy.max_suppliers_per_need
    p = len(pd)
    if p == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(p), -x_lp, pd.need))
    need_sorted = pd.need[order]
    rank = np.arange(p) - np.searchsorted(need_sorted, need_sorted, side="left")
    keep = np.zeros(p, dtype=np.bool_)
    chosen = order[rank < k]
    keep[chosen[x_lp[chosen] > 1e-6]] = True
    x = np.zeros(p)
    rows = _Rows(instance, pd, [])
    for _ in range(rounds):
        cols = np.flatnonzero(keep)
        if not cols.size:
            break
        lp = _IncrementalLp(pd, objective.astype(np.float64), [], rows)
        lp.add(cols)
        ok, _, solved_cols, values, _ = lp.solve(time_limit / rounds)
        if not ok:
            break
        x = np.zeros(p)
        x[solved_cols] = values
        small = keep & (x > 1e-6) & (x < pd.moq - 1e-6)
        keep &= x > 1e-6
        if not small.any():
            break
        keep &= ~small
    xi = np.floor(x + 1e-6).astype(np.int64)
    xi[(xi < pd.moq) | ~keep] = 0
    xi = np.minimum(xi, pd.ub)
    return fill(instance, pd, xi)


def round_if_better(
    instance: Instance,
    pd: PairData,
    x_lp: npt.NDArray[np.float64],
    objective: IntArray,
    incumbent: IntArray,
    time_limit: float,
) -> IntArray:
    """The LP's rounding (:func:`round_lp`) when it is feasible and strictly better than
    ``incumbent`` on the maximised ``objective``; else ``incumbent``."""
    rounded = round_lp(instance, pd, x_lp, objective, time_limit=time_limit)
    if feasible(instance, pd, rounded) and int(np.dot(objective, rounded)) > int(
        np.dot(objective, incumbent)
    ):
        return rounded
    return incumbent


def feasible(instance: Instance, pd: PairData, x: IntArray) -> bool:
    """Whether x (over pairs) satisfies every constraint of the spec (vectorised check)."""
    if (x < 0).any() or (x > pd.ub).any() or ((x > 0) & (x < pd.moq)).any():
        return False
    needs, offers = instance.needs, instance.offers
    served = np.bincount(pd.need, weights=x, minlength=len(needs))
    if (served > np.array([n.quantity for n in needs])).any():
        return False
    used = np.bincount(pd.need, weights=x > 0, minlength=len(needs))
    if (used > instance.policy.max_suppliers_per_need).any():
        return False
    sold = np.bincount(pd.offer, weights=x, minlength=len(offers))
    if (sold > np.array([o.capacity for o in offers])).any():
        return False
    spend = (x * pd.price).astype(np.float64)
    spent = np.bincount(pd.agency, weights=spend, minlength=len(instance.agencies))
    if (spent > np.array([a.budget for a in instance.agencies])).any():
        return False
    cap = instance.policy.max_supplier_value
    if cap is not None:
        value = np.bincount(pd.supplier, weights=spend, minlength=len(instance.suppliers))
        if (value > cap).any():
            return False
    return True
