"""Input and output schemas of the optimiser: plain frozen dataclasses, no solver code.

Money is integer rupiah everywhere. The instance is what the spec's folder format holds
(shared/spec/allocation-model.md); the result is an :class:`Allocation`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

PRIORITY_SIZE_CLASSES: frozenset[str] = frozenset({"mikro", "kecil"})

StageStatus = Literal["optimal", "feasible", "infeasible", "unknown"]


@dataclass(frozen=True)
class Supplier:
    supplier_id: str
    name: str
    nib: str
    size_class: str
    is_koperasi: bool
    region: str
    kecamatan: str
    is_local: bool
    verified: bool
    certs: frozenset[str] = frozenset()

    @property
    def is_priority(self) -> bool:
        return is_priority_supplier(
            verified=self.verified,
            is_local=self.is_local,
            size_class=self.size_class,
            is_koperasi=self.is_koperasi,
        )


def is_priority_supplier(
    *, verified: bool, is_local: bool, size_class: str, is_koperasi: bool
) -> bool:
    """THE priority rule ("pasar sistemik" target group): verified, local, and either
    mikro/kecil or a koperasi."""
    return verified and is_local and (size_class in PRIORITY_SIZE_CLASSES or is_koperasi)


@dataclass(frozen=True)
class Offer:
    offer_id: str
    supplier_id: str
    category: str
    name: str
    unit: str
    unit_price: int
    capacity: int
    min_order_qty: int
    lead_time_days: int


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str
    budget: int


@dataclass(frozen=True)
class Need:
    need_id: str
    agency_id: str
    category: str
    description: str
    quantity: int
    max_unit_price: int
    required_certs: frozenset[str]
    needed_by: date
    region: str

    @property
    def demand_value(self) -> int:
        """Value of the whole need at HPS: what stage 1 counts as unmet when nothing is bought."""
        return self.quantity * self.max_unit_price


@dataclass(frozen=True)
class Policy:
    """Planning policy. Every field after ``today`` has a default so later issues can add
    optional fields (e.g. ``min_priority_share``) without breaking callers."""

    today: date
    max_suppliers_per_need: int = 3
    max_supplier_value: int | None = None
    # What-if policy (matcher.optimizer.constraints.priority_share): a hard floor on priority
    # value as a share of demand value, and/or a weighted priority-vs-cost stage 2.
    min_priority_share: float | None = None
    priority_weight: float | None = None


@dataclass(frozen=True)
class Instance:
    suppliers: tuple[Supplier, ...]
    offers: tuple[Offer, ...]
    agencies: tuple[Agency, ...]
    needs: tuple[Need, ...]
    policy: Policy

    @cached_property
    def supplier_by_id(self) -> dict[str, Supplier]:
        return {s.supplier_id: s for s in self.suppliers}

    @cached_property
    def offer_by_id(self) -> dict[str, Offer]:
        return {o.offer_id: o for o in self.offers}

    @cached_property
    def agency_by_id(self) -> dict[str, Agency]:
        return {a.agency_id: a for a in self.agencies}

    @cached_property
    def need_by_id(self) -> dict[str, Need]:
        return {n.need_id: n for n in self.needs}

    @cached_property
    def offers_by_category(self) -> dict[str, tuple[Offer, ...]]:
        grouped: dict[str, list[Offer]] = {}
        for offer in self.offers:
            grouped.setdefault(offer.category, []).append(offer)
        return {k: tuple(v) for k, v in grouped.items()}

    @property
    def demand_value(self) -> int:
        return sum(n.demand_value for n in self.needs)


@dataclass(frozen=True)
class AllocationLine:
    need_id: str
    offer_id: str
    quantity: int


@dataclass(frozen=True)
class StageResult:
    """One lexicographic stage. ``value`` and ``bound`` are in the stage's own sense, in rupiah
    (stage "unmet" and "cost" minimise, "priority" maximises); the bound holds given the
    earlier stages fixed at their achieved values. ``gap`` is |value-bound|/max(|value|,1)."""

    name: str
    status: StageStatus
    value: int | None
    bound: int | None
    gap: float | None
    seconds: float
    solver: str


@dataclass(frozen=True)
class NeedReason:
    """Why a need is (partly) unmet; ``code`` is stable, ``detail`` a short Indonesian text."""

    code: str
    detail: str


@dataclass(frozen=True)
class NeedDiagnostic:
    need_id: str
    quantity: int
    allocated: int
    unmet_value: int
    eligible_offers: int
    reasons: tuple[NeedReason, ...] = ()


@dataclass(frozen=True)
class BindingConstraint:
    """A row of a constraint family ("budget", "supplier_cap", "capacity") at its limit.

    ``shadow_price`` is the LP-relaxation dual at the final allocation's stage-1 problem:
    unmet value (rupiah) removed per extra unit of the right-hand side (a rupiah of budget or
    cap, a unit of capacity); None when it was not computed."""

    family: str
    key: str
    used: int
    limit: int
    shadow_price: float | None = None


@dataclass(frozen=True)
class Allocation:
    lines: tuple[AllocationLine, ...]
    unmet_value: int
    priority_value: int
    cost: int
    stages: list[StageResult] = field(default_factory=list)
    seconds: float = 0.0
    eligible_pairs: int = 0
    needs: tuple[NeedDiagnostic, ...] = ()
    binding: tuple[BindingConstraint, ...] = ()
    solver: str = ""
