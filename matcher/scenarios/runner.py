"""Solve a scenario's base and its changed instance with the same optimiser and compare.

Metrics (all rupiah integers unless a share): demand value at HPS, unmet value, priority
value (objective 2: HPS value bought from priority suppliers) and its share of the demand
value (the quantity a minimum local/UMK share constrains), cost, the spending share of
priority suppliers (the 40% UMK target's measure: rupiah paid to them / rupiah paid), the
number of distinct priority suppliers (UMKM/koperasi) that win anything, and the same figures
per category and per agency; supplier values; binding constraints with LP shadow prices.

When the changed instance equals the base (no changes, or changes that change nothing) the
base's allocation is reused, so such a scenario equals its base exactly."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.errors import InvalidInput
from matcher.optimizer import Allocation, Instance, SolveOptions, read_instance, solve
from matcher.scenarios.changes import apply_changes, share_target
from matcher.scenarios.schema import BaseSpec, Scenario
from matcher.scenarios.sensitivity import levers

REPO_ROOT = Path(__file__).resolve().parents[2]
INFEASIBLE_TEXT = "target tidak dapat dicapai"


def resolve_path(path: str, scenario_dir: Path | None) -> Path:
    """An instance folder relative to the scenario file's folder, else to the repo root."""
    candidate = Path(path)
    if candidate.is_absolute():
        return candidate
    if scenario_dir is not None and (scenario_dir / candidate).exists():
        return (scenario_dir / candidate).resolve()
    return (REPO_ROOT / candidate).resolve()


def database_instance(
    session: Session, spec: BaseSpec, today: date, *, max_suppliers_per_need: int | None = None
) -> Instance:
    """The base from the database: every submitted need on today's catalogue."""
    from matcher.models import Need, NeedStatus
    from matcher.planning.instance import build_instance

    needs = list(session.scalars(select(Need).where(Need.status == NeedStatus.SUBMITTED)))
    if not needs:
        raise InvalidInput("Tidak ada kebutuhan berstatus 'submitted' di basis data")
    return build_instance(
        session,
        needs,
        today=today,
        max_suppliers_per_need=max_suppliers_per_need or spec.max_suppliers_per_need or 3,
        max_supplier_value=spec.max_supplier_value,
    ).instance


def load_base(
    scenario: Scenario,
    *,
    scenario_dir: Path | None = None,
    session: Session | None = None,
    today: date | None = None,
) -> Instance:
    spec = scenario.base
    if spec.source == "database":
        if session is None:
            raise InvalidInput("Skenario berbasis basis data membutuhkan koneksi basis data")
        if spec.today is not None or today is None:
            from matcher.clock import today as business_today

            today = spec.today or business_today()
        return database_instance(session, spec, today)
    folder = resolve_path(spec.path or "", scenario_dir)
    instance = read_instance(folder)
    policy = instance.policy
    if spec.max_suppliers_per_need is not None:
        policy = replace(policy, max_suppliers_per_need=spec.max_suppliers_per_need)
    if spec.max_supplier_value is not None:
        policy = replace(policy, max_supplier_value=spec.max_supplier_value)
    if spec.today is not None:
        policy = replace(policy, today=spec.today)
    return replace(instance, policy=policy)


@dataclass(frozen=True)
class Metrics:
    status: str
    demand_value: int
    unmet_value: int
    priority_value: int
    priority_share: float
    cost: int
    priority_spend: int
    umk_spend_share: float
    distinct_umkm: int
    distinct_suppliers: int
    seconds: float
    stages: list[dict[str, Any]]
    by_category: dict[str, dict[str, int]]
    by_agency: dict[str, dict[str, int]]
    by_supplier: dict[str, int]
    binding: list[dict[str, Any]]
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def overall_status(allocation: Allocation) -> str:
    statuses = [s.status for s in allocation.stages]
    for status in ("infeasible", "unknown", "feasible"):
        if status in statuses:
            return status
    return "optimal"


def metrics(instance: Instance, allocation: Allocation) -> Metrics:
    demand = instance.demand_value
    status = overall_status(allocation)
    by_category: dict[str, dict[str, int]] = {}
    by_agency: dict[str, dict[str, int]] = {}
    for need in instance.needs:
        cat = by_category.setdefault(
            need.category, {"demand": 0, "unmet": 0, "cost": 0, "priority": 0}
        )
        cat["demand"] += need.demand_value
        cat["unmet"] += need.demand_value
        ag = by_agency.setdefault(
            need.agency_id, {"budget": 0, "demand": 0, "unmet": 0, "cost": 0, "priority": 0}
        )
        ag["demand"] += need.demand_value
        ag["unmet"] += need.demand_value
    for agency_id, row in by_agency.items():
        row["budget"] = instance.agency_by_id[agency_id].budget
    by_supplier: dict[str, int] = {}
    priority_spend = 0
    umkm: set[str] = set()
    for line in allocation.lines:
        need = instance.need_by_id[line.need_id]
        offer = instance.offer_by_id[line.offer_id]
        supplier = instance.supplier_by_id[offer.supplier_id]
        paid = line.quantity * offer.unit_price
        filled = line.quantity * need.max_unit_price
        prio = filled if supplier.is_priority else 0
        for row in (by_category[need.category], by_agency[need.agency_id]):
            row["unmet"] -= filled
            row["cost"] += paid
            row["priority"] += prio
        by_supplier[supplier.supplier_id] = by_supplier.get(supplier.supplier_id, 0) + paid
        if supplier.is_priority:
            priority_spend += paid
            umkm.add(supplier.supplier_id)
    cost = allocation.cost
    infeasible = status == "infeasible"
    return Metrics(
        status=status,
        demand_value=demand,
        unmet_value=allocation.unmet_value,
        priority_value=allocation.priority_value,
        priority_share=allocation.priority_value / demand if demand else 0.0,
        cost=cost,
        priority_spend=priority_spend,
        umk_spend_share=priority_spend / cost if cost else 0.0,
        distinct_umkm=len(umkm),
        distinct_suppliers=len(by_supplier),
        seconds=round(allocation.seconds, 3),
        stages=[
            {"name": s.name, "status": s.status, "value": s.value, "bound": s.bound}
            for s in allocation.stages
        ],
        by_category=dict(sorted(by_category.items())),
        by_agency=dict(sorted(by_agency.items())),
        by_supplier=dict(sorted(by_supplier.items())),
        binding=[
            {
                "family": b.family,
                "key": b.key,
                "used": b.used,
                "limit": b.limit,
                "shadow_price": b.shadow_price,
            }
            for b in allocation.binding
        ],
        message=INFEASIBLE_TEXT if infeasible else "",
    )


@dataclass(frozen=True)
class Solved:
    instance: Instance
    allocation: Allocation
    metrics: Metrics


def solve_instance(instance: Instance, options: SolveOptions) -> Solved:
    allocation = solve(instance, options)
    return Solved(instance, allocation, metrics(instance, allocation))


NUMBERS = (
    "demand_value",
    "unmet_value",
    "priority_value",
    "priority_share",
    "cost",
    "priority_spend",
    "umk_spend_share",
    "distinct_umkm",
    "distinct_suppliers",
)


def _diff_rows(
    base: dict[str, dict[str, int]], new: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key in sorted(set(base) | set(new)):
        a, b = base.get(key, {}), new.get(key, {})
        out[key] = {f: b.get(f, 0) - a.get(f, 0) for f in sorted(set(a) | set(b))}
    return out


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    description: str
    status: str
    message: str
    target: dict[str, Any] | None
    base: Metrics
    scenario: Metrics
    diff: dict[str, float]
    by_category: dict[str, dict[str, int]]
    by_agency: dict[str, dict[str, int]]
    winners: list[dict[str, Any]]
    losers: list[dict[str, Any]]
    binding_new: list[dict[str, Any]]
    binding_released: list[dict[str, Any]]
    seconds: float
    sensitivity: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def compare(
    name: str,
    description: str,
    base: Metrics,
    new: Metrics,
    target: tuple[float, str] | None,
    seconds: float,
    top: int = 10,
) -> ScenarioResult:
    diff: dict[str, float] = {}
    for key in NUMBERS:
        before, after = getattr(base, key), getattr(new, key)
        diff[key] = round(after - before, 6) if isinstance(after, float) else after - before
    rows: list[dict[str, Any]] = []
    for s in sorted(set(base.by_supplier) | set(new.by_supplier)):
        before, after = base.by_supplier.get(s, 0), new.by_supplier.get(s, 0)
        rows.append({"supplier_id": s, "base": before, "scenario": after, "change": after - before})
    rows.sort(key=lambda row: -abs(row["change"]))
    winners = [r for r in rows if r["change"] > 0][:top]
    losers = [r for r in rows if r["change"] < 0][:top]
    base_keys = {(b["family"], b["key"]) for b in base.binding}
    new_keys = {(b["family"], b["key"]) for b in new.binding}
    target_json = None
    message = new.message
    if target is not None:
        share, mode = target
        met = new.status != "infeasible" and new.priority_share >= share - 1e-9
        target_json = {"share": share, "mode": mode, "met": met}
        if not met and not message:
            message = f"target {share:.0%} tidak tercapai (capaian {new.priority_share:.1%})"
    return ScenarioResult(
        name=name,
        description=description,
        status=new.status,
        message=message,
        target=target_json,
        base=base,
        scenario=new,
        diff=diff,
        by_category=_diff_rows(base.by_category, new.by_category),
        by_agency=_diff_rows(base.by_agency, new.by_agency),
        winners=winners,
        losers=losers,
        binding_new=[b for b in new.binding if (b["family"], b["key"]) not in base_keys],
        binding_released=[b for b in base.binding if (b["family"], b["key"]) not in new_keys],
        seconds=round(seconds, 3),
    )


def options_for(scenario: Scenario, time_limit: float | None = None) -> SolveOptions:
    return SolveOptions(
        solver=scenario.solve.solver,
        time_limit=time_limit if time_limit is not None else scenario.solve.time_limit,
    )


def run_on_base(
    scenario: Scenario,
    base: Instance,
    *,
    time_limit: float | None = None,
    base_solved: Solved | None = None,
) -> ScenarioResult:
    """Apply the changes to ``base``, solve both (the base once), compare."""
    start = time.perf_counter()
    options = options_for(scenario, time_limit)
    changed = apply_changes(base, scenario.changes)
    solved_base = base_solved or solve_instance(base, options)
    solved_new = solved_base if changed == base else solve_instance(changed, options)
    result = compare(
        scenario.name,
        scenario.description,
        solved_base.metrics,
        solved_new.metrics,
        share_target(scenario.changes),
        time.perf_counter() - start,
    )
    found = levers(solved_new.instance, solved_new.allocation)
    return replace(result, sensitivity=[lever.to_json() for lever in found])


def run_scenario(
    scenario: Scenario,
    *,
    scenario_dir: Path | None = None,
    session: Session | None = None,
    today: date | None = None,
    time_limit: float | None = None,
) -> ScenarioResult:
    base = load_base(scenario, scenario_dir=scenario_dir, session=session, today=today)
    return run_on_base(scenario, base, time_limit=time_limit)
