"""Plan pages: run a planning round (officer or tim pengelola), follow its progress, review
its lines and approve them (whole plan or chosen lines) into draft orders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select

from api.deps import SessionDep
from matcher.catalog.taxonomy import load_taxonomy
from matcher.clock import today
from matcher.errors import MatcherError, NotFound
from matcher.models import Need, Offer, Plan, PlanLine, PlanStatus, Role, Supplier
from matcher.models.base import utcnow
from matcher.orders import service as orders
from matcher.orders.schemas import PlanApproval
from matcher.planning.jobs import get_runner
from matcher.planning.schemas import PlanCreate
from matcher.planning.service import create_plan, readable_statement
from web.auth import AgencySidePage, CsrfForm, PagePrincipal
from web.forms import FormErrors, ids, text, validate
from web.pages import paginate
from web.templating import redirect, render

router = APIRouter(include_in_schema=False)


def _plan(session: SessionDep, principal: PagePrincipal, plan_id: int) -> Plan:
    plan = session.scalar(readable_statement(principal).where(Plan.id == plan_id))
    if plan is None:
        raise NotFound(f"Rencana {plan_id} tidak ditemukan")
    return plan


def plan_lines(session: SessionDep, principal: PagePrincipal, plan: Plan) -> list[dict[str, Any]]:
    """The plan's lines with their need, offer and supplier; an officer sees only the lines
    of the agency's own needs."""
    statement = (
        select(PlanLine, Need, Offer, Supplier)
        .join(Need, Need.id == PlanLine.need_id)
        .join(Offer, Offer.id == PlanLine.offer_id)
        .join(Supplier, Supplier.id == PlanLine.supplier_id)
        .where(PlanLine.plan_id == plan.id)
        .order_by(Need.code, PlanLine.id)
    )
    if principal.role == Role.OFFICER:
        statement = statement.where(Need.agency_id == principal.agency_id)
    return [
        {"line": line, "need": need, "offer": offer, "supplier": supplier}
        for line, need, offer, supplier in session.execute(statement)
    ]


@router.get("/rencana")
def plan_list(
    request: Request,
    session: SessionDep,
    principal: PagePrincipal,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    if principal.role == Role.SUPPLIER:
        return redirect("/penyedia")
    result = paginate(session, readable_statement(principal).order_by(Plan.id.desc()), page)
    return render(
        request,
        "plans/list.html",
        {"result": result, "base": "/rencana?"},
        principal=principal,
        title="Rencana pengadaan",
    )


@router.post("/rencana")
def start_plan(
    session: SessionDep,
    principal: AgencySidePage,
    form: CsrfForm,
    background: BackgroundTasks,
) -> Response:
    need_ids = ids(form, "need_ids")
    try:
        data = validate(
            PlanCreate,
            {"name": text(form, "name"), "need_ids": need_ids or None},
        )
        plan = create_plan(session, principal, data, today=today())
    except FormErrors as errors:
        return redirect("/dinas/kebutuhan", errors.summary)
    except MatcherError as error:
        session.rollback()
        back = f"/dinas/kebutuhan/{need_ids[0]}" if len(need_ids) == 1 else "/dinas/kebutuhan"
        if principal.role == Role.ADMIN:
            back = "/rencana"
        return redirect(back, f"Rencana tidak dapat dijalankan: {error.detail}")
    # The run starts after this request's transaction has committed (as the API does).
    background.add_task(get_runner().submit, plan.id)
    return redirect(f"/rencana/{plan.id}", "Rencana dijalankan; hasilnya tampil di sini.")


@router.get("/rencana/{plan_id}")
def plan_detail(
    request: Request, session: SessionDep, principal: PagePrincipal, plan_id: int
) -> Response:
    plan = _plan(session, principal, plan_id)
    lines = plan_lines(session, principal, plan) if plan.status == PlanStatus.COMPLETED else []
    proposed = [row for row in lines if row["line"].status.value == "proposed"]
    total = sum(row["line"].amount for row in lines)
    priority = sum(row["line"].amount for row in lines if row["line"].is_priority)
    may_approve = principal.role in (Role.OFFICER, Role.ADMIN) and bool(proposed)
    unmet = [
        d
        for d in (plan.diagnostics or {}).get("needs", [])
        if d.get("allocated", 0) < d.get("quantity", 0)
    ]
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "lines": lines,
            "proposed": proposed,
            "total": total,
            "priority": priority,
            "may_approve": may_approve,
            "running": plan.status in (PlanStatus.QUEUED, PlanStatus.RUNNING),
            "unmet": unmet,
            "taxonomy": load_taxonomy(),
        },
        principal=principal,
        title=plan.name,
    )


@router.get("/rencana/{plan_id}/status")
def plan_status(session: SessionDep, principal: PagePrincipal, plan_id: int) -> JSONResponse:
    """Polled by the plan page while the run is queued or running."""
    plan = _plan(session, principal, plan_id)
    return JSONResponse(
        {
            "status": plan.status.value,
            "progress": plan.progress,
            "message": plan.progress_message,
            "done": plan.status in (PlanStatus.COMPLETED, PlanStatus.FAILED),
        },
        headers={"Cache-Control": "no-store"},
    )


@router.post("/rencana/{plan_id}/setujui")
def approve_plan(
    session: SessionDep, principal: AgencySidePage, plan_id: int, form: CsrfForm
) -> Response:
    chosen = ids(form, "line_ids")
    action = text(form, "action") or "semua"
    if action in ("terpilih", "tolak") and not chosen:
        return redirect(f"/rencana/{plan_id}", "Pilih dulu baris yang hendak diproses.")
    if action == "tolak":
        data = PlanApproval(line_ids=[], reject_line_ids=chosen)
    elif action == "terpilih":
        data = PlanApproval(line_ids=chosen)
    else:
        data = PlanApproval()
    try:
        result = orders.approve_plan(session, principal, plan_id, data, today=today(), now=utcnow())
    except MatcherError as error:
        session.rollback()
        if isinstance(error, NotFound) and not error.errors:
            raise
        return redirect(f"/rencana/{plan_id}", f"Tidak dapat diproses: {error.detail}")
    if not result.orders:
        return redirect(f"/rencana/{plan_id}", f"{len(result.rejected_line_ids)} baris ditolak.")
    message = (
        f"{len(result.approved_line_ids)} baris disetujui menjadi {len(result.orders)} "
        "pesanan draf. Periksa lalu setujui pesanan agar Surat Pesanan terbit."
    )
    if len(result.orders) == 1:
        return redirect(f"/pesanan/{result.orders[0].id}", message)
    return redirect(f"/pesanan?rencana={plan_id}", message)
