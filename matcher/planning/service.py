"""Planning rounds: choose submitted needs, run the optimiser on the database's current
catalogue, store the allocation as a Plan that officers review.

A plan run is a job: ``create_plan`` records it (queued); ``execute_plan`` runs it in short
transactions for status and progress and writes the result (lines, per-stage values,
diagnostics, needs moved to 'planned') in one transaction, so a run that is killed leaves
no partial plan: it stays 'running' until ``recover_interrupted`` marks it failed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, or_, select, update
from sqlalchemy.orm import Session, selectinload

from matcher import optimizer
from matcher.auth.principal import Principal
from matcher.db import unit_of_work
from matcher.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from matcher.models import Need, NeedStatus, Plan, PlanLine, PlanStatus, Role
from matcher.needs.service import transition
from matcher.planning.instance import DatabaseInstance, build_instance
from matcher.planning.schemas import PlanCreate

SolveFunction = Callable[[optimizer.Instance, optimizer.SolveOptions], optimizer.Allocation]
ProgressFunction = Callable[[int, float, str], None]


def _scope_agency(principal: Principal, agency_id: int | None) -> int | None:
    if principal.role == Role.OFFICER:
        if agency_id is not None and agency_id != principal.agency_id:
            raise NotFound(
                f"Perangkat daerah {agency_id} tidak ditemukan",
                errors=[FieldError(("body", "agency_id"), "tidak ditemukan")],
            )
        return principal.agency_id
    if not principal.is_admin:
        raise Forbidden("Hanya pejabat pengadaan atau tim pengelola yang dapat menyusun rencana")
    return agency_id


def _select_needs(
    session: Session, agency_id: int | None, need_ids: Sequence[int] | None
) -> list[Need]:
    statement = select(Need).options(selectinload(Need.agency)).order_by(Need.id)
    if agency_id is not None:
        statement = statement.where(Need.agency_id == agency_id)
    if need_ids is None:
        needs = list(session.scalars(statement.where(Need.status == NeedStatus.SUBMITTED)))
        if not needs:
            raise InvalidInput(
                "Tidak ada kebutuhan berstatus 'submitted' untuk direncanakan",
                errors=[FieldError(("body", "need_ids"), "tidak ada kebutuhan diajukan")],
            )
        return needs
    wanted = sorted(set(need_ids))
    if not wanted:
        raise InvalidInput("need_ids kosong", errors=[FieldError(("body", "need_ids"), "kosong")])
    needs = list(session.scalars(statement.where(Need.id.in_(wanted))))
    found = {n.id for n in needs}
    for position, need_id in enumerate(need_ids):
        if need_id not in found:
            raise NotFound(
                f"Kebutuhan {need_id} tidak ditemukan",
                errors=[FieldError(("body", "need_ids", position), "tidak ditemukan")],
            )
    for position, need in enumerate(needs):
        if need.status != NeedStatus.SUBMITTED:
            raise Conflict(
                f"Kebutuhan {need.code} berstatus '{need.status.value}', bukan 'submitted'",
                errors=[FieldError(("body", "need_ids", position), f"status {need.status.value}")],
            )
    return needs


def create_plan(session: Session, principal: Principal, data: PlanCreate, *, today: date) -> Plan:
    agency_id = _scope_agency(principal, data.agency_id)
    needs = _select_needs(session, agency_id, data.need_ids)
    plan = Plan(
        name=data.name,
        agency_id=agency_id,
        status=PlanStatus.QUEUED,
        progress=0.0,
        progress_message="menunggu giliran",
        created_by_user_id=principal.user_id,
        plan_date=today,
        solver=data.solver,
        time_limit_seconds=data.time_limit_seconds,
        max_suppliers_per_need=data.max_suppliers_per_need,
        max_supplier_value=data.max_supplier_value,
        need_ids=[n.id for n in needs],
        stages=[],
        diagnostics={},
    )
    session.add(plan)
    session.flush()
    return plan


def set_progress(plan_id: int, progress: float, message: str) -> None:
    with unit_of_work() as session:
        session.execute(
            update(Plan)
            .where(Plan.id == plan_id, Plan.status == PlanStatus.RUNNING)
            .values(progress=round(progress, 3), progress_message=message)
        )


def options_of(plan: Plan) -> optimizer.SolveOptions:
    """Deterministic options: the same data gives the same plan (see the optimiser's notes)."""
    return optimizer.SolveOptions(
        solver=plan.solver, time_limit=plan.time_limit_seconds, deterministic=True
    )


def instance_of(session: Session, plan: Plan) -> DatabaseInstance:
    needs = list(
        session.scalars(
            select(Need).where(Need.id.in_(plan.need_ids)).options(selectinload(Need.agency))
        )
    )
    return build_instance(
        session,
        needs,
        today=plan.plan_date,
        max_suppliers_per_need=plan.max_suppliers_per_need,
        max_supplier_value=plan.max_supplier_value,
    )


def _diagnostics_json(
    allocation: optimizer.Allocation, db_instance: DatabaseInstance
) -> dict[str, Any]:
    needs = [
        {**asdict(d), "need_db_id": db_instance.need_ids.get(d.need_id)} for d in allocation.needs
    ]
    return {
        "needs": needs,
        "binding": [asdict(b) for b in allocation.binding],
        "solver": allocation.solver,
        "seconds": round(allocation.seconds, 3),
    }


def store_allocation(
    session: Session, plan: Plan, db_instance: DatabaseInstance, allocation: optimizer.Allocation
) -> None:
    """Write lines and figures, move the planned needs to 'planned'; one transaction."""
    instance = db_instance.instance
    offers = instance.offer_by_id
    suppliers = instance.supplier_by_id
    for line in allocation.lines:
        offer = offers[line.offer_id]
        session.add(
            PlanLine(
                plan_id=plan.id,
                need_id=db_instance.need_ids[line.need_id],
                offer_id=db_instance.offer_ids[line.offer_id],
                supplier_id=db_instance.supplier_ids[offer.supplier_id],
                quantity=line.quantity,
                unit_price=offer.unit_price,
                is_priority=suppliers[offer.supplier_id].is_priority,
            )
        )
    plan.total_value = instance.demand_value
    plan.unmet_value = allocation.unmet_value
    plan.priority_value = allocation.priority_value
    plan.cost = allocation.cost
    plan.eligible_pairs = allocation.eligible_pairs
    plan.stages = [asdict(s) for s in allocation.stages]
    plan.diagnostics = _diagnostics_json(allocation, db_instance)
    system = Principal.system()
    for need in session.scalars(select(Need).where(Need.id.in_(plan.need_ids))):
        if need.status == NeedStatus.SUBMITTED:
            transition(session, system, need, "plan")
    plan.status = PlanStatus.COMPLETED
    plan.progress = 1.0
    plan.progress_message = "selesai"
    plan.finished_at = datetime.now(UTC)
    session.flush()


def _ticker(
    plan_id: int, time_limit: float, stop: threading.Event, progress: ProgressFunction
) -> None:
    """While the solver runs, report progress against its time limit (the solve never runs
    longer than that), once a second."""
    started = time.monotonic()
    while not stop.wait(1.0):
        elapsed = time.monotonic() - started
        share = min(1.0, elapsed / max(time_limit, 0.001))
        progress(plan_id, 0.15 + 0.75 * share, f"optimasi berjalan ({elapsed:.0f} dtk)")


def execute_plan(
    plan_id: int,
    *,
    solve: SolveFunction = optimizer.solve,
    progress: ProgressFunction = set_progress,
) -> None:
    """Run a queued plan to completion or failure. Safe to call for a plan that is no longer
    queued (it does nothing), so a job submitted twice runs once."""
    with unit_of_work() as session:
        result = session.execute(
            update(Plan)
            .where(Plan.id == plan_id, Plan.status == PlanStatus.QUEUED)
            .values(
                status=PlanStatus.RUNNING,
                started_at=datetime.now(UTC),
                progress=0.05,
                progress_message="menyiapkan data katalog",
            )
        )
        claimed = cast(CursorResult[Any], result).rowcount
    if not claimed:
        return
    try:
        with unit_of_work() as session:
            plan = session.get_one(Plan, plan_id)
            db_instance = instance_of(session, plan)
            options = options_of(plan)
        progress(plan_id, 0.15, f"optimasi {len(db_instance.instance.needs)} kebutuhan")
        stop = threading.Event()
        ticker = threading.Thread(
            target=_ticker, args=(plan_id, options.time_limit, stop, progress), daemon=True
        )
        ticker.start()
        try:
            allocation = solve(db_instance.instance, options)
        finally:
            stop.set()
            ticker.join()
        progress(plan_id, 0.95, "menyimpan hasil")
        with unit_of_work() as session:
            plan = session.get_one(Plan, plan_id)
            store_allocation(session, plan, db_instance, allocation)
    except Exception as error:
        with unit_of_work() as session:
            session.execute(
                update(Plan)
                .where(Plan.id == plan_id)
                .values(
                    status=PlanStatus.FAILED,
                    error=f"{type(error).__name__}: {error}"[:2000],
                    progress_message="gagal",
                    finished_at=datetime.now(UTC),
                )
            )
        raise


def recover_interrupted(session: Session) -> list[int]:
    """Plans left 'running' by a process that died are marked failed; returns their ids.
    Queued plans are returned too so the caller can resubmit them."""
    running = list(session.scalars(select(Plan.id).where(Plan.status == PlanStatus.RUNNING)))
    if running:
        session.execute(
            update(Plan)
            .where(Plan.id.in_(running))
            .values(
                status=PlanStatus.FAILED,
                error="Terputus: server berhenti ketika perencanaan berjalan; jalankan ulang.",
                progress_message="gagal (terputus)",
                finished_at=datetime.now(UTC),
            )
        )
    return list(session.scalars(select(Plan.id).where(Plan.status == PlanStatus.QUEUED)))


def readable_statement(principal: Principal) -> Select[Plan]:
    """Plans a principal may read: officers their agency's rounds and city-wide ones,
    suppliers none, everyone else all."""
    statement = select(Plan)
    if principal.role == Role.OFFICER:
        return statement.where(or_(Plan.agency_id == principal.agency_id, Plan.agency_id.is_(None)))
    if principal.role == Role.SUPPLIER:
        return statement.where(Plan.id.is_(None))
    return statement
