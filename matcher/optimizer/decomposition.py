"""Decomposition for large rounds (a province, the nation): the needs are split into blocks
by category (and optionally region). Offers serve one category, so blocks share only the
agencies' budgets and the per-supplier caps. Each block is solved on its own with a share of
every agency's budget (proportional to the agency's demand value in the block) and the
whole per-supplier cap; after the merge, suppliers over the cap lose their smallest lines,
and a coordination pass gives the needs left wholly unmet another chance with what is left
of every budget, cap and capacity. The merged
allocation is checked by the validator.

Lower bound: unmet value is a sum over needs, so the coupled problem's optimum is at least
the sum over blocks of each block's bound solved with the *full* budgets and caps (dropping
the coupling is a relaxation). ``bound=True`` computes it (one more solve per block).

Blocks are independent, so they run in parallel on an executor: a process pool here, or a
Dask/Ray cluster (``executor`` is anything with ``map``)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol

from matcher.optimizer.lexicographic import SolveOptions, solve
from matcher.optimizer.model import Agency, Allocation, AllocationLine, Instance, Need, Offer
from matcher.optimizer.validator import validate


class Executor(Protocol):
    def map(
        self, fn: Callable[..., Allocation], *iterables: Iterable[object]
    ) -> Iterator[Allocation]: ...


@dataclass(frozen=True)
class Block:
    key: str
    instance: Instance


@dataclass
class DecomposedResult:
    lines: list[AllocationLine]
    unmet_value: int
    demand_value: int
    bound: int | None
    blocks: int
    block_seconds: list[float] = field(default_factory=list)
    repair_seconds: float = 0.0
    seconds: float = 0.0
    feasible: bool = True

    @property
    def gap(self) -> float | None:
        if self.bound is None:
            return None
        return (self.unmet_value - self.bound) / max(1, self.demand_value)


def _block_key(need: Need, by_region: bool) -> str:
    return f"{need.category}|{need.region}" if by_region else need.category


def blocks(
    instance: Instance, *, by_region: bool = False, full_budgets: bool = False
) -> list[Block]:
    """One sub-instance per block, with budget and cap shares (or the full ones)."""
    grouped: dict[str, list[Need]] = defaultdict(list)
    for need in instance.needs:
        grouped[_block_key(need, by_region)].append(need)
    agency_total: dict[str, int] = defaultdict(int)
    for need in instance.needs:
        agency_total[need.agency_id] += need.demand_value
    result: list[Block] = []
    for key, needs in sorted(grouped.items()):
        category = needs[0].category
        offers = instance.offers_by_category.get(category, ())
        supplier_ids = {o.supplier_id for o in offers}
        demand: dict[str, int] = defaultdict(int)
        for need in needs:
            demand[need.agency_id] += need.demand_value
        agencies = tuple(
            a
            if full_budgets
            else replace(
                a, budget=a.budget * demand[a.agency_id] // max(1, agency_total[a.agency_id])
            )
            for a in instance.agencies
            if a.agency_id in demand
        )
        # Each block sees the whole per-supplier cap; a supplier selling in several blocks
        # may then exceed it, which ``_trim_caps`` repairs after the merge.
        policy = instance.policy
        result.append(
            Block(
                key,
                Instance(
                    suppliers=tuple(s for s in instance.suppliers if s.supplier_id in supplier_ids),
                    offers=offers,
                    agencies=agencies,
                    needs=tuple(needs),
                    policy=policy,
                ),
            )
        )
    return result


def _solve_block(instance: Instance, options: SolveOptions) -> Allocation:
    return solve(instance, options)


def _trim_caps(instance: Instance, lines: list[AllocationLine]) -> list[AllocationLine]:
    """Drop the smallest lines of suppliers over the per-supplier cap until within it
    (dropping a whole line keeps every other constraint satisfied)."""
    cap = instance.policy.max_supplier_value
    if cap is None:
        return lines

    def value(line: AllocationLine) -> int:
        return line.quantity * instance.offer_by_id[line.offer_id].unit_price

    by_supplier: dict[str, list[AllocationLine]] = defaultdict(list)
    for line in lines:
        by_supplier[instance.offer_by_id[line.offer_id].supplier_id].append(line)
    dropped: set[int] = set()
    for supplier_lines in by_supplier.values():
        total = sum(value(line) for line in supplier_lines)
        for line in sorted(supplier_lines, key=value):
            if total <= cap:
                break
            dropped.add(id(line))
            total -= value(line)
    return [line for line in lines if id(line) not in dropped]


def _residual(instance: Instance, lines: list[AllocationLine]) -> Instance:
    """The needs with nothing allocated, on what is left of budgets and capacities."""
    spent: dict[str, int] = defaultdict(int)
    used: dict[str, int] = defaultdict(int)
    served: set[str] = set()
    for line in lines:
        offer = instance.offer_by_id[line.offer_id]
        spent[instance.need_by_id[line.need_id].agency_id] += line.quantity * offer.unit_price
        used[line.offer_id] += line.quantity
        served.add(line.need_id)
    policy = instance.policy
    cap = policy.max_supplier_value
    billed: dict[str, int] = defaultdict(int)
    for line in lines:
        offer = instance.offer_by_id[line.offer_id]
        billed[offer.supplier_id] += line.quantity * offer.unit_price
    offers: list[Offer] = []
    for offer in instance.offers:
        left = offer.capacity - used[offer.offer_id]
        # With a cap, the residual round gets half of it, so only suppliers with at least
        # half still free may take part (their total stays within the cap).
        room = cap is None or cap - billed[offer.supplier_id] >= cap // 2
        if left >= offer.min_order_qty and room:
            offers.append(replace(offer, capacity=left))
    agencies: list[Agency] = [
        replace(a, budget=max(0, a.budget - spent[a.agency_id])) for a in instance.agencies
    ]
    if cap is not None:
        policy = replace(policy, max_supplier_value=cap // 2)
    return Instance(
        suppliers=instance.suppliers,
        offers=tuple(offers),
        agencies=tuple(agencies),
        needs=tuple(n for n in instance.needs if n.need_id not in served),
        policy=policy,
    )


def solve_decomposed(
    instance: Instance,
    options: SolveOptions | None = None,
    *,
    by_region: bool = False,
    executor: Executor | None = None,
    bound: bool = False,
    repair_options: SolveOptions | None = None,
) -> DecomposedResult:
    options = options or SolveOptions(solver="greedy", diagnostics=False)
    started = time.perf_counter()
    parts = blocks(instance, by_region=by_region)
    run: Callable[..., Iterator[Allocation]] = executor.map if executor is not None else map
    lines: list[AllocationLine] = []
    block_seconds: list[float] = []
    for allocation in run(_solve_block, [b.instance for b in parts], [options] * len(parts)):
        lines.extend(allocation.lines)
        block_seconds.append(allocation.seconds)
    repair_started = time.perf_counter()
    lines = _trim_caps(instance, lines)
    residual = _residual(instance, lines)
    if residual.needs and residual.offers:
        lines.extend(solve(residual, repair_options or options).lines)
    repair_seconds = time.perf_counter() - repair_started
    lower: int | None = None
    if bound:
        lower = 0
        full = blocks(instance, by_region=by_region, full_budgets=True)
        for allocation in run(_solve_block, [b.instance for b in full], [options] * len(full)):
            stage = allocation.stages[0] if allocation.stages else None
            lower += stage.bound if stage is not None and stage.bound is not None else 0
    report = validate(instance, lines)
    return DecomposedResult(
        lines=lines,
        unmet_value=report.unmet_value,
        demand_value=instance.demand_value,
        bound=lower,
        blocks=len(parts),
        block_seconds=block_seconds,
        repair_seconds=repair_seconds,
        seconds=time.perf_counter() - started,
        feasible=report.ok,
    )
