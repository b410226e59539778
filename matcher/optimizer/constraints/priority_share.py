"""Minimum priority ("pasar sistemik") share: a what-if policy, off unless the policy sets it.

**Hard floor.** With ``Policy.min_priority_share = s`` every stage has the row

    priority value  >=  ceil(s * demand value)

where *priority value* is objective 2 of the spec (sum of x(n,o) * max_unit_price(n) over
offers of priority suppliers, i.e. HPS-valued) and *demand value* is the plan's whole demand
at HPS (sum of quantity(n) * max_unit_price(n)). The share is thus measured against the
planned procurement value, as the policy target is ("at least 40% of the budget for goods and
services", Perpres 12/2021 Ps. 65); buying nothing never satisfies a positive floor.

The row has exactly the form of a stage-fixing row (objective 2 >= value), so it is applied
through the same mechanism as the lexicographic fixings: ``with_objective_fixed`` in the MIP
and a :class:`~matcher.optimizer.relaxation.Fixed` row in the LP relaxation (whose bounds and
duals therefore include it). It is not in :data:`matcher.optimizer.constraints.ALL` for that
reason. Stage 1 still minimises unmet value, now subject to the floor: reaching the floor may
leave demand unmet (a budget spent on dearer local goods buys less).

Because the greedy warm start may violate the floor, the start is replaced by the empty
allocation (which every stage improves on as soon as it finds a feasible solution). If no
allocation meeting the floor is found, every stage reports status ``infeasible`` when the LP
relaxation proves that the floor exceeds the largest achievable priority value, otherwise
``unknown`` (the time ran out before a feasible allocation was found); the allocation is then
empty.

**Weighted stage 2.** With ``Policy.priority_weight = w`` stage 2 maximises
``w * priority value - cost`` (:mod:`matcher.optimizer.objectives.priority_weighted`)
instead of the priority value; stage 3 still minimises cost. The allocation's
``priority_value`` and ``cost`` are recomputed from the lines and the stage value is
reported in rupiah."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

import numpy as np

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Allocation, Instance, StageResult, StageStatus
from matcher.optimizer.objectives import ObjectiveModule
from matcher.optimizer.objectives import priority_weighted as weighted
from matcher.optimizer.objectives.base import Objective, PairsModel, full_coef
from matcher.optimizer.relaxation import relax
from matcher.optimizer.solvers.base import IntArray

PROOF_TIME_LIMIT = 10.0


def floor_value(instance: Instance) -> int | None:
    """The right-hand side ceil(s * demand value), or None when no floor is set."""
    share = instance.policy.min_priority_share
    if share is None:
        return None
    exact = Fraction(str(share)) * instance.demand_value
    return math.ceil(exact)


def objective(form: PairsModel) -> Objective:
    """The floor's left-hand side: priority value (objective 2), maximised sense."""
    coef = np.where(form.pairs.priority, form.pairs.hps, 0).astype(np.int64)
    return Objective("priority_floor", full_coef(form, coef), "max", reported_sense="max")


def initial_fixed(instance: Instance) -> list[tuple[ObjectiveModule, int]]:
    """Rows every stage carries before any stage is fixed: the floor, when set."""
    target = floor_value(instance)
    return [] if target is None else [(objective, target)]


def priority_value(pd: PairData, x: IntArray) -> int:
    return int(np.dot(np.where(pd.priority, pd.hps, 0), x[: len(pd)])) if len(pd) else 0


def start(instance: Instance, pd: PairData, x: IntArray) -> IntArray:
    """The warm start if it meets the floor, else the empty allocation."""
    target = floor_value(instance)
    if target is None or priority_value(pd, x) >= target:
        return x
    return np.zeros_like(x)


def stages(
    instance: Instance, base: tuple[tuple[str, ObjectiveModule], ...]
) -> tuple[tuple[str, ObjectiveModule], ...]:
    """The lexicographic stages: the spec's, with stage 2 weighted when the policy says so."""
    if instance.policy.priority_weight is None:
        return base
    return tuple(
        (name, weighted.objective) if name == "priority" else (name, make) for name, make in base
    )


def _floor_proven_infeasible(instance: Instance, pd: PairData, target: int) -> bool:
    if not len(pd):
        return target > 0
    coef = np.where(pd.priority, pd.hps, 0).astype(np.int64)
    relaxed = relax(instance, pd, coef, "max", [], None, PROOF_TIME_LIMIT)
    return bool(np.isfinite(relaxed.bound)) and relaxed.bound < target - 1e-6 * max(1, target)


def finish(instance: Instance, pd: PairData, x: IntArray, allocation: Allocation) -> Allocation:
    """The allocation with the what-if policy accounted for (unchanged without it)."""
    policy = instance.policy
    if policy.min_priority_share is None and policy.priority_weight is None:
        return allocation
    x = x[: len(pd)]
    prio = priority_value(pd, x)
    cost = int(np.dot(pd.price, x)) if len(pd) else 0
    stage_list: list[StageResult] = []
    for stage in allocation.stages:
        if stage.name == "priority_weighted":
            stage = replace(
                stage,
                value=None if stage.value is None else round(stage.value / weighted.SCALE),
                bound=None if stage.bound is None else math.floor(stage.bound / weighted.SCALE),
            )
        stage_list.append(stage)
    target = floor_value(instance)
    if target is not None and prio < target:
        status: StageStatus = (
            "infeasible" if _floor_proven_infeasible(instance, pd, target) else "unknown"
        )
        stage_list = [replace(s, status=status, gap=None) for s in stage_list]
    return replace(allocation, priority_value=prio, cost=cost, stages=stage_list)
