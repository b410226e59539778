"""Greedy baseline and warm start: needs in a fixed order, each filled by up to k offers,
always taking an amount that keeps every constraint satisfied (residual capacity, agency
budget, supplier cap, minimum order). Several deterministic orders are tried and the
lexicographically best result (unmet value, then priority value, then cost) is kept."""

from __future__ import annotations

import time

import numpy as np

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Instance
from matcher.optimizer.solvers.base import IntArray

VARIANTS: tuple[str, ...] = ("fill", "cheap", "priority")


def _run(
    inst: Instance,
    pairs: PairData,
    variant: str,
    need_order: IntArray,
    start: IntArray | None = None,
) -> IntArray:
    k = inst.policy.max_suppliers_per_need
    x = np.zeros(len(pairs), dtype=np.int64) if start is None else start.copy()
    cap_res = np.array([o.capacity for o in inst.offers], dtype=np.int64)
    budget_res = np.array([a.budget for a in inst.agencies], dtype=np.int64)
    big = np.iinfo(np.int64).max // 4
    cap_value = inst.policy.max_supplier_value
    sup_res = np.full(len(inst.suppliers), big if cap_value is None else cap_value, dtype=np.int64)
    if start is not None and len(pairs):
        spend = x * pairs.price
        cap_res -= np.bincount(pairs.offer, weights=x, minlength=len(cap_res)).astype(np.int64)
        budget_res -= np.bincount(pairs.agency, weights=spend, minlength=len(budget_res)).astype(
            np.int64
        )
        sup_res -= np.bincount(pairs.supplier, weights=spend, minlength=len(sup_res)).astype(
            np.int64
        )
    starts = np.searchsorted(pairs.need, np.arange(len(inst.needs) + 1))
    prio_key = (~pairs.priority).astype(np.int64)
    for n in need_order.tolist():
        a, b = int(starts[n]), int(starts[n + 1])
        if a == b:
            continue
        cand = np.arange(a, b)
        offer = pairs.offer[cand]
        price = pairs.price[cand]
        ag = int(pairs.agency[a])
        sup = pairs.supplier[cand]
        used = x[a:b] > 0
        rem = inst.needs[n].quantity - int(x[a:b].sum())
        for _ in range(k - int(used.sum())):
            if rem <= 0:
                break
            amount = np.minimum(rem, cap_res[offer])
            amount = np.minimum(amount, budget_res[ag] // price)
            amount = np.minimum(amount, sup_res[sup] // price)
            amount[(amount < pairs.moq[cand]) | used] = 0
            if not amount.any():
                break
            ok = amount > 0
            if variant == "fill":
                keys = (np.arange(b - a), prio_key[cand], price, -amount)
            elif variant == "cheap":
                keys = (np.arange(b - a), prio_key[cand], -amount, price)
            else:
                keys = (np.arange(b - a), price, -amount, prio_key[cand])
            order = np.lexsort(keys)
            pick = int(order[ok[order]][0])
            qty = int(amount[pick])
            p = a + pick
            x[p] += qty
            used[pick] = True
            rem -= qty
            cap_res[offer[pick]] -= qty
            budget_res[ag] -= qty * int(price[pick])
            sup_res[sup[pick]] -= qty * int(price[pick])
    return x


def _score(p: PairData, x: IntArray) -> tuple[int, int, int]:
    filled = int(np.dot(p.hps, x))
    prio = int(np.dot(np.where(p.priority, p.hps, 0), x))
    cost = int(np.dot(p.price, x))
    return (-filled, -prio, cost)


def greedy(
    instance: Instance, pairs: PairData, variants: tuple[str, ...] = VARIANTS
) -> tuple[IntArray, float]:
    """The best greedy x over the variants and two need orders; returns (x, seconds)."""
    start = time.perf_counter()
    needs = instance.needs
    value = np.array([n.quantity * n.max_unit_price for n in needs], dtype=np.int64)
    per_need = np.bincount(pairs.need, minlength=len(needs))
    orders = (
        np.lexsort((np.arange(len(needs)), -value)),  # most valuable first
        np.lexsort((np.arange(len(needs)), -value, per_need)),  # fewest alternatives first
    )
    best: IntArray | None = None
    best_score: tuple[int, int, int] | None = None
    for variant in variants:
        for order in orders:
            x = _run(instance, pairs, variant, order)
            score = _score(pairs, x)
            if best_score is None or score < best_score:
                best, best_score = x, score
    assert best is not None
    return best, time.perf_counter() - start


def fill(instance: Instance, pairs: PairData, start: IntArray) -> IntArray:
    """Complete a feasible partial allocation greedily (most valuable needs first)."""
    needs = instance.needs
    value = np.array([n.quantity * n.max_unit_price for n in needs], dtype=np.int64)
    order = np.lexsort((np.arange(len(needs)), -value))
    return _run(instance, pairs, "fill", order, start)
