"""Tiny instance builders for hand-computed optimiser tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from matcher.optimizer import (
    Agency,
    Allocation,
    Instance,
    Need,
    Offer,
    Policy,
    SolveOptions,
    Supplier,
    solve,
    validate,
)

TODAY = date(2026, 1, 5)
MIP_SOLVERS = ("cpsat", "highs", "mathopt", "auto")


def supplier(supplier_id: str = "S1", **kw: Any) -> Supplier:
    base: dict[str, Any] = {
        "supplier_id": supplier_id,
        "name": f"Usaha {supplier_id}",
        "nib": "9120000000000",
        "size_class": "besar",
        "is_koperasi": False,
        "region": "Sisir",
        "kecamatan": "Batu",
        "is_local": True,
        "verified": True,
        "certs": frozenset(),
    }
    base.update(kw)
    return Supplier(**base)


def offer(offer_id: str, supplier_id: str = "S1", **kw: Any) -> Offer:
    base: dict[str, Any] = {
        "offer_id": offer_id,
        "supplier_id": supplier_id,
        "category": "BERAS",
        "name": f"Beras {offer_id}",
        "unit": "kg",
        "unit_price": 100,
        "capacity": 1000,
        "min_order_qty": 1,
        "lead_time_days": 1,
    }
    base.update(kw)
    return Offer(**base)


def need(need_id: str, agency_id: str = "A1", **kw: Any) -> Need:
    base: dict[str, Any] = {
        "need_id": need_id,
        "agency_id": agency_id,
        "category": "BERAS",
        "description": "Beras",
        "quantity": 100,
        "max_unit_price": 100,
        "required_certs": frozenset(),
        "needed_by": TODAY + timedelta(days=30),
        "region": "Sisir",
    }
    base.update(kw)
    return Need(**base)


def instance(
    needs: list[Need],
    offers: list[Offer],
    suppliers: list[Supplier] | None = None,
    agencies: list[Agency] | None = None,
    *,
    k: int = 3,
    cap: int | None = None,
) -> Instance:
    if suppliers is None:
        suppliers = [supplier(sid) for sid in sorted({o.supplier_id for o in offers})]
    if agencies is None:
        agencies = [Agency(a, f"Dinas {a}", 10**12) for a in sorted({n.agency_id for n in needs})]
    return Instance(
        tuple(suppliers),
        tuple(offers),
        tuple(agencies),
        tuple(needs),
        Policy(today=TODAY, max_suppliers_per_need=k, max_supplier_value=cap),
    )


def solved(inst: Instance, solver: str, time_limit: float = 20.0) -> Allocation:
    """Solve, and check the result with the independent validator before returning it."""
    result = solve(inst, SolveOptions(solver=solver, time_limit=time_limit, threads=1))
    report = validate(inst, result.lines)
    assert report.ok, report.violations
    assert (report.unmet_value, report.priority_value, report.cost) == (
        result.unmet_value,
        result.priority_value,
        result.cost,
    )
    return result


def quantities(result: Allocation) -> dict[tuple[str, str], int]:
    return {(line.need_id, line.offer_id): line.quantity for line in result.lines}
