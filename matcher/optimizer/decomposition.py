"""Decomposition for large rounds (a province, the nation).

**Blocks.** Needs are grouped by category, and by region when a :class:`Regions` map is
given (the kabupaten/kota of each need, and the regions each supplier serves: its local
catalogues). An offer serves one category, so a block holds its needs and the offers of
its category whose supplier serves its region. Blocks share only three kinds of resource:
an agency's budget (an agency buys in several categories), an offer's capacity (a supplier
serving several regions) and a supplier's cap (over all its offers).

**Provably feasible split.** A resource used by one block only goes to that block whole.
A resource shared by several blocks is *divided*: every block gets an integer share and the
shares add up to exactly the resource (largest-remainder rounding). A supplier's cap share becomes a capacity limit on its offers in the block
(share // unit price units), because a block instance has one uniform cap. Each block's
solution respects its shares, so the merged allocation respects every budget, capacity and
cap of the whole instance, and every other constraint (k suppliers, no over-supply,
minimum order, eligibility) concerns a single need, which lives in a single block.

**Engines by size.** A block with at most ``mip_max_pairs`` candidate pairs (needs x
offers) goes through the lexicographic MIP pipeline
(:func:`matcher.optimizer.lexicographic.solve`), the MIP blocks sharing a total time budget;
a larger block gets the greedy engine directly (one pass, no LP), which is what keeps a
province round near-linear.

**Coordination rounds.** After a round, what is left of each shared resource (budget not
spent, capacity not sold, cap not billed) is divided again among the blocks that still have
servable unmet demand, in proportion to it, on top of what each block already uses; those
blocks are completed greedily from their current allocation (lines are only ever added, so
a round never worsens unmet value). Blocks that gain nothing new are not re-solved.
Rounds stop after ``coordination_rounds`` or when one gains less than ``min_gain``.

**Check.** The merged allocation goes through the independent validator on the *whole*
instance; the result carries its violations (none, by the argument above).

``min_priority_share`` (a floor over the whole round) is refused: solve such rounds whole.

**Bound.** :func:`unmet_lower_bound` is valid for the whole instance (all eligible pairs,
not only the regional ones): an LP with a column per need and price tier, whose rows relax
the real ones (see :func:`_relax`). Every feasible allocation induces a feasible point of
this LP with the same filled value, so demand minus the LP optimum bounds the unmet value
from below. The optimum is certified with the duals (a Lagrangian bound that is valid for
any non-negative duals), not taken from the solver's primal value. The same LP over the
blocks bounds the regional problem and, with ``guide``, divides the first round's budgets.

Blocks run through an executor of :mod:`matcher.executors` (serial, a local process pool, or
a Dask cluster), as the scenario sweeps do."""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
import numpy.typing as npt

from matcher.executors import Executor
from matcher.optimizer.eligibility import eligible_pairs
from matcher.optimizer.formulation import pair_data
from matcher.optimizer.lexicographic import SolveOptions, lines_of, solve
from matcher.optimizer.model import Agency, AllocationLine, Instance, Need, Offer
from matcher.optimizer.solvers.greedy import fill, greedy
from matcher.optimizer.validator import Violation, validate

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Regions:
    """Where each need is (``need``: need id -> region, default the need's own ``region``) and
    which regions each supplier serves (``supplier``: supplier id -> regions; a supplier not
    listed serves every region)."""

    need: Mapping[str, str]
    supplier: Mapping[str, frozenset[str]]

    def of(self, need: Need) -> str:
        return self.need.get(need.need_id, need.region)


BLOCK_OPTIONS = SolveOptions(
    solver="auto", time_limit=10.0, threads=1, deterministic=True, diagnostics=False
)


@dataclass(frozen=True)
class DecompositionOptions:
    """``mip_max_pairs``: blocks with at most this many candidate pairs (needs x offers) get
    the MIP pipeline (``block_options``), larger ones the greedy engine; the MIP blocks share
    ``mip_seconds`` of solver time equally, at most ``block_options.time_limit`` each.
    ``coordination_rounds``: at most this many rounds after the first; they stop early once a
    round gains less than ``min_gain`` of the demand value. ``bound``: compute
    :func:`unmet_lower_bound` for the whole instance. ``guide``: divide shared budgets in
    the first round as the relaxation of the regional problem spends them (one more LP; its
    bound is reported as ``regional_bound``)."""

    mip_max_pairs: int = 15_000
    mip_seconds: float = 120.0
    block_options: SolveOptions = field(default_factory=lambda: BLOCK_OPTIONS)
    coordination_rounds: int = 3
    min_gain: float = 0.001
    bound: bool = True
    guide: bool = False


@dataclass(frozen=True)
class BlockTask:
    key: str
    instance: Instance
    start: tuple[AllocationLine, ...]  # empty in the first round
    engine: str  # "mip" or "greedy" (the first round; later rounds complete ``start``)
    options: SolveOptions


@dataclass(frozen=True)
class BlockResult:
    key: str
    lines: tuple[AllocationLine, ...]
    engine: str  # "mip", "greedy" or "fill" (coordination)
    pairs: int
    seconds: float
    unservable: tuple[str, ...]  # needs with no eligible offer in the block


@dataclass(frozen=True)
class RoundStats:
    round: int
    blocks: int
    seconds: float
    unmet_value: int


@dataclass
class DecomposedResult:
    lines: tuple[AllocationLine, ...]
    unmet_value: int
    priority_value: int
    cost: int
    demand_value: int
    bound: int | None  # for the whole instance
    regional_bound: int | None  # for allocations where suppliers serve only their regions
    blocks: int
    engines: dict[str, int]
    rounds: list[RoundStats]
    violations: list[Violation]
    seconds: float = 0.0
    bound_seconds: float = 0.0
    block_seconds: list[float] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def gap(self) -> float | None:
        """(unmet - bound) / demand value: how far from optimal at most, as a demand share."""
        if self.bound is None:
            return None
        return (self.unmet_value - self.bound) / max(1, self.demand_value)

    @property
    def regional_gap(self) -> float | None:
        """The same against the regional problem's bound."""
        bound = self.regional_bound if self.regional_bound is not None else self.bound
        if bound is None:
            return None
        return (self.unmet_value - bound) / max(1, self.demand_value)


def solve_block(task: BlockTask) -> BlockResult:
    """One block: the MIP pipeline when small, greedy when large, or a greedy completion of
    ``start`` in a coordination round. Module-level so that process pools can pickle it."""
    started = time.perf_counter()
    inst = task.instance
    pairs = eligible_pairs(inst)
    has_pair = np.zeros(len(inst.needs), dtype=np.bool_)
    has_pair[pairs.need] = True
    unservable = tuple(
        n.need_id for n, ok in zip(inst.needs, has_pair.tolist(), strict=True) if not ok
    )
    if not len(pairs):
        if task.start:
            raise ValueError(f"block {task.key} has start lines but no eligible pair")
        lines: tuple[AllocationLine, ...] = ()
        engine = "empty"
    elif task.start:
        pd = pair_data(inst, pairs)
        x0 = np.zeros(len(pd), dtype=np.int64)
        width = max(1, len(inst.offers))
        keys = pd.need * width + pd.offer
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        need_index = {n.need_id: i for i, n in enumerate(inst.needs)}
        offer_index = {o.offer_id: i for i, o in enumerate(inst.offers)}
        wanted = np.array(
            [need_index[ln.need_id] * width + offer_index[ln.offer_id] for ln in task.start],
            dtype=np.int64,
        )
        pos = np.minimum(np.searchsorted(sorted_keys, wanted), len(order) - 1)
        missing = np.flatnonzero(sorted_keys[pos] != wanted)
        if missing.size:
            line = task.start[int(missing[0])]
            raise ValueError(f"start line {line} is not an eligible pair of block {task.key}")
        quantity = np.array([ln.quantity for ln in task.start], dtype=np.int64)
        np.add.at(x0, order[pos], quantity)
        lines = lines_of(inst, pd, fill(inst, pd, x0))
        engine = "fill"
    elif task.engine == "mip":
        lines = solve(inst, task.options).lines
        engine = "mip"
    else:
        pd = pair_data(inst, pairs)
        x, _ = greedy(inst, pd)
        lines = lines_of(inst, pd, x)
        engine = "greedy"
    return BlockResult(
        task.key, lines, engine, len(pairs), time.perf_counter() - started, unservable
    )


def split(total: int, weights: Mapping[int, int]) -> dict[int, int]:
    """Integer shares of ``total`` in proportion to ``weights`` (largest remainder, ties by
    key): the shares add up to exactly ``total`` when some weight is positive, else all 0."""
    positive = {k: w for k, w in weights.items() if w > 0}
    whole = sum(positive.values())
    if total <= 0 or whole == 0:
        return dict.fromkeys(weights, 0)
    shares = {k: total * w // whole for k, w in positive.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(positive, key=lambda k: (-(total * positive[k] % whole), k))
    for k in by_remainder[:left]:
        shares[k] += 1
    return {k: shares.get(k, 0) for k in weights}


@dataclass(frozen=True)
class _Block:
    key: str
    needs: tuple[Need, ...]
    offers: tuple[Offer, ...]


def _blocks(instance: Instance, regions: Regions | None) -> list[_Block]:
    grouped: dict[tuple[str, str], list[Need]] = defaultdict(list)
    for need in instance.needs:
        region = regions.of(need) if regions is not None else ""
        grouped[(need.category, region)].append(need)
    regions_of_category: dict[str, set[str]] = defaultdict(set)
    for category, region in grouped:
        regions_of_category[category].add(region)
    offers_of: dict[tuple[str, str], list[Offer]] = defaultdict(list)
    for offer in instance.offers:
        present = regions_of_category.get(offer.category, set())
        served = regions.supplier.get(offer.supplier_id) if regions is not None else None
        for region in sorted(present if served is None else present & served):
            offers_of[(offer.category, region)].append(offer)
    return [
        _Block(
            f"{category}|{region}" if regions is not None else category,
            tuple(needs),
            tuple(offers_of.get((category, region), ())),
        )
        for (category, region), needs in sorted(grouped.items())
    ]


class _Coordinator:
    """Divides the shared resources among blocks, round after round."""

    def __init__(
        self,
        instance: Instance,
        blocks: list[_Block],
        guide: Mapping[tuple[int, str], float] | None = None,
    ) -> None:
        self.instance = instance
        self.guide = guide or {}
        self.blocks = blocks
        self.k = instance.policy.max_suppliers_per_need
        self.cap = instance.policy.max_supplier_value
        self.agency_blocks: dict[str, list[int]] = defaultdict(list)
        self.offer_blocks: dict[str, list[int]] = defaultdict(list)
        self.supplier_blocks: dict[str, list[int]] = defaultdict(list)
        for b, block in enumerate(blocks):
            for agency_id in sorted({n.agency_id for n in block.needs}):
                self.agency_blocks[agency_id].append(b)
            for offer in block.offers:
                self.offer_blocks[offer.offer_id].append(b)
            for supplier_id in sorted({o.supplier_id for o in block.offers}):
                self.supplier_blocks[supplier_id].append(b)
        self.lines: list[tuple[AllocationLine, ...]] = [() for _ in blocks]
        # Needs that no offer of their block can serve at or below HPS get no share of
        # anything (nor do needs the blocks report without an eligible pair).
        certs = _Certs(instance)
        self.unservable: set[str] = set()
        for block in blocks:
            usable = [o for o in block.offers if _offer_side_ok(instance, o)]
            lowest = _min_prices(instance, certs, block.needs, usable)
            for need, low in zip(block.needs, lowest.tolist(), strict=True):
                if low > need.max_unit_price:
                    self.unservable.add(need.need_id)

    def tasks(self, first: bool, opts: DecompositionOptions) -> tuple[list[int], list[BlockTask]]:
        inst = self.instance
        offer_by_id = inst.offer_by_id
        need_by_id = inst.need_by_id
        served: dict[str, int] = defaultdict(int)
        n_lines: dict[str, int] = defaultdict(int)
        spent_in: dict[tuple[int, str], int] = defaultdict(int)
        used_in: dict[tuple[int, str], int] = defaultdict(int)
        billed_in: dict[tuple[int, str], int] = defaultdict(int)
        spent: dict[str, int] = defaultdict(int)
        used: dict[str, int] = defaultdict(int)
        billed: dict[str, int] = defaultdict(int)
        for b, lines in enumerate(self.lines):
            for line in lines:
                offer = offer_by_id[line.offer_id]
                value = line.quantity * offer.unit_price
                agency_id = need_by_id[line.need_id].agency_id
                served[line.need_id] += line.quantity
                n_lines[line.need_id] += 1
                spent_in[(b, agency_id)] += value
                used_in[(b, offer.offer_id)] += line.quantity
                billed_in[(b, offer.supplier_id)] += value
                spent[agency_id] += value
                used[offer.offer_id] += line.quantity
                billed[offer.supplier_id] += value
        # Servable open demand per block: value at HPS (per agency and in all), and units.
        open_value: dict[tuple[int, str], int] = defaultdict(int)
        open_units: dict[int, int] = defaultdict(int)
        open_total: dict[int, int] = defaultdict(int)
        for b, block in enumerate(self.blocks):
            for need in block.needs:
                short = need.quantity - served[need.need_id]
                if short <= 0 or n_lines[need.need_id] >= self.k:
                    continue
                if need.need_id in self.unservable:
                    continue
                money = short * need.max_unit_price
                open_value[(b, need.agency_id)] += money
                open_units[b] += short
                open_total[b] += money
        extra_budget: dict[tuple[int, str], int] = {}
        for agency in inst.agencies:
            shared = self.agency_blocks.get(agency.agency_id, [])
            if len(shared) > 1:
                left = max(0, agency.budget - spent[agency.agency_id])
                if left == 0:
                    continue
                weights = {b: open_value[(b, agency.agency_id)] for b in shared}
                if first:
                    # The relaxation's spending, where it spends anything: it knows which
                    # blocks turn a rupiah into the most filled value.
                    guided = {b: round(self.guide.get((b, agency.agency_id), 0.0)) for b in shared}
                    if sum(guided.values()) > 0:
                        weights = guided
                for b, share in split(left, weights).items():
                    extra_budget[(b, agency.agency_id)] = share
        extra_units: dict[tuple[int, str], int] = {}
        for offer_id, shared in self.offer_blocks.items():
            if len(shared) > 1:
                left = max(0, offer_by_id[offer_id].capacity - used[offer_id])
                if left == 0:
                    continue
                for b, share in split(left, {b: open_units[b] for b in shared}).items():
                    extra_units[(b, offer_id)] = share
        extra_cap: dict[tuple[int, str], int] = {}
        if self.cap is not None:
            for supplier_id, shared in self.supplier_blocks.items():
                if len(shared) > 1:
                    left = max(0, self.cap - billed[supplier_id])
                    if left == 0:
                        continue
                    for b, share in split(left, {b: open_total[b] for b in shared}).items():
                        extra_cap[(b, supplier_id)] = share
        chosen: list[int] = []
        tasks: list[BlockTask] = []
        for b, block in enumerate(self.blocks):
            if open_total[b] == 0:
                continue
            gains = first or any(
                extra_budget.get((b, a), 0) > 0 for a in {n.agency_id for n in block.needs}
            )
            agencies: list[Agency] = []
            for agency_id in sorted({n.agency_id for n in block.needs}):
                agency = inst.agency_by_id[agency_id]
                if len(self.agency_blocks[agency_id]) > 1:
                    budget = spent_in[(b, agency_id)] + extra_budget.get((b, agency_id), 0)
                    agency = replace(agency, budget=budget)
                agencies.append(agency)
            # Cap shares of suppliers in several blocks, divided over their offers here.
            cap_of_offer: dict[str, int] = {}
            if self.cap is not None:
                by_supplier: dict[str, list[Offer]] = defaultdict(list)
                for offer in block.offers:
                    if len(self.supplier_blocks[offer.supplier_id]) > 1:
                        by_supplier[offer.supplier_id].append(offer)
                for supplier_id, own in by_supplier.items():
                    extra = extra_cap.get((b, supplier_id), 0)
                    weights = {i: o.capacity * o.unit_price for i, o in enumerate(own)}
                    for i, share in split(extra, weights).items():
                        o = own[i]
                        cap_of_offer[o.offer_id] = used_in[(b, o.offer_id)] + share // o.unit_price
                        gains = gains or share >= o.unit_price
            offers: list[Offer] = []
            for offer in block.offers:
                capacity = offer.capacity
                if len(self.offer_blocks[offer.offer_id]) > 1:
                    extra = extra_units.get((b, offer.offer_id), 0)
                    capacity = used_in[(b, offer.offer_id)] + extra
                    gains = gains or extra > 0
                capacity = min(capacity, cap_of_offer.get(offer.offer_id, capacity))
                if capacity >= max(1, offer.min_order_qty):
                    offers.append(
                        offer if capacity == offer.capacity else replace(offer, capacity=capacity)
                    )
            if not gains:
                continue
            supplier_ids = sorted({o.supplier_id for o in offers})
            sub = Instance(
                suppliers=tuple(inst.supplier_by_id[s] for s in supplier_ids),
                offers=tuple(offers),
                agencies=tuple(agencies),
                needs=block.needs,
                policy=inst.policy,
            )
            chosen.append(b)
            small = len(block.needs) * len(offers) <= opts.mip_max_pairs
            engine = "mip" if first and small else "greedy"
            tasks.append(BlockTask(block.key, sub, self.lines[b], engine, opts.block_options))
        # The MIP blocks share the MIP time budget equally.
        n_mip = sum(1 for t in tasks if t.engine == "mip" and not t.start)
        if n_mip:
            limit = min(opts.block_options.time_limit, opts.mip_seconds / n_mip)
            timed = replace(opts.block_options, time_limit=limit)
            tasks = [replace(t, options=timed) for t in tasks]
        return chosen, tasks

    def unmet_value(self) -> int:
        served: dict[str, int] = defaultdict(int)
        for lines in self.lines:
            for line in lines:
                served[line.need_id] += line.quantity
        return sum(
            max(0, n.quantity - served[n.need_id]) * n.max_unit_price for n in self.instance.needs
        )


def solve_decomposed(
    instance: Instance,
    options: DecompositionOptions | None = None,
    *,
    regions: Regions | None = None,
    executor: Executor | None = None,
) -> DecomposedResult:
    """Solve ``instance`` block by block (see the module docstring); the result is checked by
    the validator on the whole instance."""
    opts = options or DecompositionOptions()
    if instance.policy.min_priority_share is not None:
        raise ValueError("min_priority_share is a constraint over the whole round; solve it whole")
    started = time.perf_counter()
    demand = instance.demand_value
    blocks = _blocks(instance, regions)
    bound_started = time.perf_counter()
    relaxation = _relax(instance, regions) if opts.guide else None
    bound_seconds = time.perf_counter() - bound_started
    coordinator = _Coordinator(
        instance, blocks, relaxation.money if relaxation is not None and opts.guide else None
    )
    run: Callable[[Callable[[BlockTask], BlockResult], Sequence[BlockTask]], list[BlockResult]]
    run = executor.map if executor is not None else (lambda fn, items: [fn(t) for t in items])
    rounds: list[RoundStats] = []
    engines: Counter[str] = Counter()
    block_seconds: list[float] = []
    for round_number in range(1, 2 + max(0, opts.coordination_rounds)):
        round_started = time.perf_counter()
        chosen, tasks = coordinator.tasks(round_number == 1, opts)
        if not tasks:
            break
        for b, result in zip(chosen, run(solve_block, tasks), strict=True):
            coordinator.lines[b] = result.lines
            coordinator.unservable.update(result.unservable)
            if round_number == 1:
                engines[result.engine] += 1
                block_seconds.append(result.seconds)
        unmet = coordinator.unmet_value()
        rounds.append(
            RoundStats(round_number, len(tasks), time.perf_counter() - round_started, unmet)
        )
        if len(rounds) > 1 and rounds[-2].unmet_value - unmet < opts.min_gain * demand:
            break
    lines = tuple(
        sorted(
            (line for block_lines in coordinator.lines for line in block_lines),
            key=lambda line: (line.need_id, line.offer_id),
        )
    )
    bound: int | None = None
    regional_bound: int | None = None
    bound_started = time.perf_counter()
    if opts.bound:
        if regions is None and relaxation is not None:
            bound = relaxation.bound  # without regions the relaxation is the whole one
        else:
            bound = unmet_lower_bound(instance)
    if regions is not None and relaxation is not None:
        regional_bound = max(bound or 0, relaxation.bound)
    bound_seconds += time.perf_counter() - bound_started
    report = validate(instance, lines)
    return DecomposedResult(
        lines=lines,
        unmet_value=report.unmet_value,
        priority_value=report.priority_value,
        cost=report.cost,
        demand_value=demand,
        bound=bound,
        regional_bound=regional_bound,
        blocks=len(blocks),
        engines=dict(engines),
        rounds=rounds,
        violations=report.violations,
        seconds=time.perf_counter() - started,
        bound_seconds=bound_seconds,
        block_seconds=block_seconds,
    )


def _offer_side_ok(instance: Instance, offer: Offer) -> bool:
    """The eligibility tests that concern the offer alone (verified supplier, capacity,
    minimum order within capacity)."""
    s = instance.supplier_by_id.get(offer.supplier_id)
    return (
        s is not None
        and s.verified
        and offer.capacity > 0
        and offer.min_order_qty <= offer.capacity
    )


class _Certs:
    def __init__(self, instance: Instance) -> None:
        held = {c for s in instance.suppliers for c in s.certs}
        required = {c for n in instance.needs for c in n.required_certs}
        self.bit = {c: 1 << i for i, c in enumerate(sorted(held | required))}
        self.suppliers = instance.supplier_by_id

    def need(self, needs: Sequence[Need]) -> IntArray:
        return np.array([sum(self.bit[c] for c in n.required_certs) for n in needs], dtype=np.int64)

    def offer(self, offers: Sequence[Offer]) -> IntArray:
        return np.array(
            [sum(self.bit[c] for c in self.suppliers[o.supplier_id].certs) for o in offers],
            dtype=np.int64,
        )


def _lowest(
    need_mask: IntArray, slack: IntArray, o_mask: IntArray, o_lead: IntArray, o_price: FloatArray
) -> FloatArray:
    """Per need (certificate mask, days until needed), the lowest price among the offers
    (certificate mask, lead time, price) that hold its certificates and arrive in time."""
    result = np.full(need_mask.size, np.inf)
    for required in sorted(set(need_mask.tolist())):
        fits = np.flatnonzero((o_mask & required) == required)
        if not fits.size:
            continue
        order = fits[np.argsort(o_lead[fits], kind="stable")]
        prefix_min = np.minimum.accumulate(o_price[order])
        who = np.flatnonzero(need_mask == required)
        pos = np.searchsorted(o_lead[order], slack[who], side="right")
        ok = pos > 0
        result[who[ok]] = prefix_min[pos[ok] - 1]
    return result


def _min_prices(
    instance: Instance, certs: _Certs, needs: Sequence[Need], offers: Sequence[Offer]
) -> FloatArray:
    """Per need, the lowest unit price among ``offers`` (offer-side tests passed) of its
    category, holding its certificates and fast enough for it; inf when there is none. A
    lower bound on the price of every offer eligible for it (quantity and HPS not tested)."""
    today = instance.policy.today
    result = np.full(len(needs), np.inf)
    if not needs:
        return result
    by_category: dict[str, list[Offer]] = defaultdict(list)
    for offer in offers:
        by_category[offer.category].append(offer)
    need_mask = certs.need(needs)
    slack = np.array([(n.needed_by - today).days for n in needs], dtype=np.int64)
    category = np.array([n.category for n in needs], dtype=object)
    for name, group in by_category.items():
        members = np.flatnonzero(category == name)
        if not members.size:
            continue
        o_mask = certs.offer(group)
        o_lead = np.array([o.lead_time_days for o in group], dtype=np.int64)
        o_price = np.array([o.unit_price for o in group], dtype=np.float64)
        result[members] = _lowest(need_mask[members], slack[members], o_mask, o_lead, o_price)
    return result


class _Lp:
    """max c.u  s.t.  A u <= b, 0 <= u <= ub, assembled row by row in COO form."""

    def __init__(self) -> None:
        self.obj: list[FloatArray] = []
        self.ub: list[FloatArray] = []
        self.n_cols = 0
        self.rows: list[IntArray] = []
        self.cols: list[IntArray] = []
        self.vals: list[FloatArray] = []
        self.rhs: list[float] = []

    def columns(self, obj: FloatArray, ub: FloatArray) -> IntArray:
        first = self.n_cols
        self.obj.append(obj)
        self.ub.append(ub)
        self.n_cols += obj.size
        return np.arange(first, self.n_cols, dtype=np.int64)

    def row(self, cols: IntArray, vals: FloatArray, rhs: float) -> None:
        if not cols.size:
            return
        self.rows.append(np.full(cols.size, len(self.rhs), dtype=np.int64))
        self.cols.append(cols)
        self.vals.append(vals)
        self.rhs.append(rhs)

    def rows_by(self, group: IntArray, cols: IntArray, vals: FloatArray, rhs: FloatArray) -> None:
        """One row per group id: sum over the columns of that group <= rhs[group]."""
        if not cols.size:
            return
        _, inverse = np.unique(group, return_inverse=True)
        first = len(self.rhs)
        used = np.unique(group)
        self.rows.append(first + inverse.astype(np.int64))
        self.cols.append(cols)
        self.vals.append(vals)
        self.rhs.extend(rhs[used].tolist())

    def solve(self) -> tuple[float, FloatArray]:
        """A certified upper bound on the optimum (the Lagrangian at HiGHS's row duals), and
        HiGHS's column values."""
        if not self.n_cols:
            return 0.0, np.zeros(0)
        obj = np.concatenate(self.obj)
        ub = np.concatenate(self.ub)
        row = np.concatenate(self.rows) if self.rows else np.zeros(0, dtype=np.int64)
        col = np.concatenate(self.cols) if self.cols else np.zeros(0, dtype=np.int64)
        val = np.concatenate(self.vals) if self.vals else np.zeros(0)
        b = np.array(self.rhs, dtype=np.float64)
        duals, values = _lp_duals(obj, ub, row, col, val, b)
        # For any y >= 0: b.y + sum_j ub_j * max(0, c_j - (A^T y)_j) >= the LP optimum. Both
        # sign conventions of the solver's duals are tried; y = 0 is the fallback.
        best = float(np.dot(obj, ub))
        for y in (np.maximum(duals, 0.0), np.maximum(-duals, 0.0)):
            reduced = obj - np.bincount(col, weights=val * y[row], minlength=obj.size)
            best = min(best, float(np.dot(b, y) + np.dot(ub, np.maximum(reduced, 0.0))))
        return best, values


def unmet_lower_bound(instance: Instance, regions: Regions | None = None, tiers: int = 4) -> int:
    """A lower bound on the unmet value of *any* feasible allocation (see :func:`_relax`)."""
    return _relax(instance, regions, tiers).bound


@dataclass(frozen=True)
class _Relaxation:
    bound: int
    money: dict[tuple[int, str], float]  # the LP's spending per (block index, agency id)


def _relax(instance: Instance, regions: Regions | None, tiers: int = 4) -> _Relaxation:
    """A lower bound on the unmet value of *any* feasible allocation of the whole instance,
    in integer rupiah; with ``regions``, of any feasible allocation in which suppliers serve
    only their regions (the problem the regional decomposition solves). Also the LP's
    spending per (block, agency), which ``guide`` uses to divide budgets.

    The LP has a column u(n, t) per need n and price tier t of its category (the usable
    offers sorted by price, cut into ``tiers`` groups of about equal capacity): units of n
    bought in tier t, each costing at least the lowest price among the tier's offers that
    pass the offer-side eligibility tests for n (verified, certificates, lead time,
    capacity, minimum order within capacity) and at most HPS. Rows: a need's units stay
    within its quantity; a tier's units within its offers' capacity, also counting only the
    needs that require given certificates (offers holding them) or that are due within a
    given number of days (offers at most that slow); an agency's money within its budget;
    the money paid in a category within what its suppliers can sell (capacity x price, at
    most the cap each). Every feasible allocation, summed per (need, tier), is a feasible
    point with the same filled value, so demand minus the LP optimum bounds unmet value.
    With ``regions`` the columns and tier rows are per block (category and region), with the
    block's offers, where a shared offer counts in full in each block (a relaxation); rows
    over each category's columns then count every offer once."""
    needs = instance.needs
    demand = instance.demand_value
    if not needs:
        return _Relaxation(0, {})
    today = instance.policy.today
    cap = instance.policy.max_supplier_value
    certs = _Certs(instance)
    need_mask = certs.need(needs)
    slack = np.array([(nd.needed_by - today).days for nd in needs], dtype=np.int64)
    hps = np.array([nd.max_unit_price for nd in needs], dtype=np.float64)
    quantity = np.array([nd.quantity for nd in needs], dtype=np.float64)
    agency_index = {a.agency_id: i for i, a in enumerate(instance.agencies)}
    agency_of = np.array([agency_index[nd.agency_id] for nd in needs], dtype=np.int64)
    need_index = {nd.need_id: i for i, nd in enumerate(needs)}
    lp = _Lp()
    col_need: list[IntArray] = []
    col_ids: list[IntArray] = []
    col_price: list[FloatArray] = []

    def capacity_rows(
        cols: IntArray, who: IntArray, price: FloatArray | None, offers: Sequence[Offer]
    ) -> None:
        """Units of ``cols`` (of needs ``who``) within the capacity of ``offers``: all of
        them, those holding given certificates, those fast enough; with ``price``, the money
        within what the offers' suppliers can sell."""
        o_mask = certs.offer(offers)
        o_lead = np.array([o.lead_time_days for o in offers], dtype=np.int64)
        o_cap = np.array([o.capacity for o in offers], dtype=np.float64)
        lp.row(cols, np.ones(cols.size), float(o_cap.sum()))
        for required in sorted(set(need_mask[who].tolist()) - {0}):
            covered = (need_mask[who] & required) == required
            holding = (o_mask & required) == required
            lp.row(cols[covered], np.ones(int(covered.sum())), float(o_cap[holding].sum()))
        for lead in sorted(set(o_lead.tolist())):
            fast = slack[who] <= lead
            if fast.any():
                lp.row(cols[fast], np.ones(int(fast.sum())), float(o_cap[o_lead <= lead].sum()))
        if price is not None:
            lp.row(cols, price, _reach(offers, cap))

    by_category: dict[str, tuple[list[IntArray], list[IntArray], list[FloatArray]]] = {}
    col_block: list[IntArray] = []
    for b_index, block in enumerate(_blocks(instance, regions)):
        usable = [o for o in block.offers if _offer_side_ok(instance, o)]
        offers = sorted(usable, key=lambda o: (o.unit_price, o.offer_id))
        if not offers:
            continue
        members = np.array([need_index[nd.need_id] for nd in block.needs], dtype=np.int64)
        o_mask = certs.offer(offers)
        o_lead = np.array([o.lead_time_days for o in offers], dtype=np.int64)
        o_price = np.array([o.unit_price for o in offers], dtype=np.float64)
        o_cap = np.array([o.capacity for o in offers], dtype=np.float64)
        before = np.cumsum(o_cap) - o_cap
        tier_of = np.minimum(tiers - 1, (tiers * before / o_cap.sum()).astype(np.int64))
        block_cols: list[IntArray] = []
        block_who: list[IntArray] = []
        block_price: list[FloatArray] = []
        for t in range(tiers):
            in_tier = np.flatnonzero(tier_of == t)
            if not in_tier.size:
                continue
            low = _lowest(
                need_mask[members],
                slack[members],
                o_mask[in_tier],
                o_lead[in_tier],
                o_price[in_tier],
            )
            ok = low <= hps[members]
            who = members[ok]
            if not who.size:
                continue
            cols = lp.columns(hps[who], quantity[who])
            block_cols.append(cols)
            block_who.append(who)
            block_price.append(low[ok])
            capacity_rows(cols, who, None, [offers[int(i)] for i in in_tier])
        if block_cols:
            cols = np.concatenate(block_cols)
            who = np.concatenate(block_who)
            price = np.concatenate(block_price)
            col_ids.append(cols)
            col_need.append(who)
            col_price.append(price)
            col_block.append(np.full(cols.size, b_index, dtype=np.int64))
            lp.row(cols, price, _reach(offers, cap))
            parts = by_category.setdefault(block.needs[0].category, ([], [], []))
            parts[0].append(cols)
            parts[1].append(who)
            parts[2].append(price)
    if regions is not None:
        # Blocks of one category share offers: their totals count each offer once.
        usable_of: dict[str, list[Offer]] = defaultdict(list)
        for offer in instance.offers:
            if offer.category in by_category and _offer_side_ok(instance, offer):
                usable_of[offer.category].append(offer)
        for category, (cols_parts, who_parts, price_parts) in sorted(by_category.items()):
            capacity_rows(
                np.concatenate(cols_parts),
                np.concatenate(who_parts),
                np.concatenate(price_parts),
                usable_of[category],
            )
    if col_ids:
        who_all = np.concatenate(col_need)
        cols_all = np.concatenate(col_ids)
        price_all = np.concatenate(col_price)
        lp.rows_by(who_all, cols_all, np.ones(cols_all.size), quantity)
        budgets = np.array([a.budget for a in instance.agencies], dtype=np.float64)
        lp.rows_by(agency_of[who_all], cols_all, price_all, budgets)
    best, values = lp.solve()
    money: dict[tuple[int, str], float] = defaultdict(float)
    if col_ids and values.size:
        spend = values[cols_all] * price_all
        block_all = np.concatenate(col_block)
        for b_index, a, m in zip(
            block_all.tolist(), agency_of[who_all].tolist(), spend.tolist(), strict=True
        ):
            money[(b_index, instance.agencies[a].agency_id)] += m
    return _Relaxation(max(0, math.floor(demand - best * (1 + 1e-9) - 1)), dict(money))


def _reach(offers: Sequence[Offer], cap: int | None) -> float:
    """What the offers' suppliers can sell through them: capacity x price, at most the cap
    per supplier."""
    sales: dict[str, float] = defaultdict(float)
    for o in offers:
        sales[o.supplier_id] += o.capacity * o.unit_price
    return sum(v if cap is None else min(v, float(cap)) for v in sales.values())


def _lp_duals(
    obj: FloatArray,
    upper: FloatArray,
    row: IntArray,
    col: IntArray,
    val: FloatArray,
    b: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Row duals and column values of  max obj.u  s.t.  A u <= b, 0 <= u <= upper  (zeros
    when HiGHS fails). Rows and objective are scaled for HiGHS; the duals are returned for
    the unscaled LP."""
    n_rows = b.size
    if n_rows == 0 or not row.size:
        return np.zeros(n_rows), np.zeros(obj.size)
    row_scale = np.ones(n_rows)
    np.maximum.at(row_scale, row, np.abs(val))
    nz = np.abs(obj[obj != 0])
    obj_scale = max(1.0, float(np.median(nz))) if nz.size else 1.0
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    order = np.lexsort((row, col))
    starts = np.searchsorted(col[order], np.arange(obj.size)).astype(np.int32)
    h.addRows(
        n_rows,
        np.full(n_rows, -highspy.kHighsInf),
        b / row_scale,
        0,
        np.zeros(n_rows, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0),
    )
    h.addCols(
        obj.size,
        obj / obj_scale,
        np.zeros(obj.size),
        upper,
        int(order.size),
        starts,
        row[order].astype(np.int32),
        val[order] / row_scale[row[order]],
    )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return np.zeros(n_rows), np.zeros(obj.size)
    solution = h.getSolution()
    dual = np.asarray(solution.row_dual, dtype=np.float64)
    return dual / row_scale * obj_scale, np.asarray(solution.col_value, dtype=np.float64)
