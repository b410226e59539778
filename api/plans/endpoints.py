"""/api/v1/plans: planning rounds (optimiser runs as jobs) and their allocations."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Response, status
from sqlalchemy import Select, or_, select

from api.deps import CurrentPrincipal, SessionDep
from api.pagination import Page, PageDep, page_of
from api.plans.schemas import PlanDetail, PlanLineRead, PlanRead
from api.problems import responses
from matcher.auth.principal import Principal
from matcher.clock import today
from matcher.errors import NotFound
from matcher.models import Need, Plan, PlanLine, Role
from matcher.planning.jobs import get_runner
from matcher.planning.schemas import PlanCreate
from matcher.planning.service import create_plan

router = APIRouter(prefix="/plans", tags=["Rencana (plans)"])


def _readable(principal: Principal) -> Select[Plan]:
    """Officers see their agency's plans and city-wide rounds; suppliers see none."""
    statement = select(Plan)
    if principal.role == Role.OFFICER:
        return statement.where(or_(Plan.agency_id == principal.agency_id, Plan.agency_id.is_(None)))
    if principal.role == Role.SUPPLIER:
        return statement.where(Plan.id.is_(None))
    return statement


def _get(session: SessionDep, principal: Principal, plan_id: int) -> Plan:
    plan = session.scalar(_readable(principal).where(Plan.id == plan_id))
    if plan is None:
        raise NotFound(f"Rencana {plan_id} tidak ditemukan")
    return plan


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PlanRead,
    responses=responses(401, 403, 404, 409, 422),
)
def start_plan(
    body: PlanCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    background: BackgroundTasks,
    response: Response,
) -> PlanRead:
    """Queue a planning run over submitted needs; poll ``GET /plans/{id}`` for progress."""
    plan = create_plan(session, principal, body, today=today())
    # The run starts once this request's transaction has committed (background tasks run
    # after the response, and the session commits before it is sent).
    background.add_task(get_runner().submit, plan.id)
    response.headers["Location"] = f"/api/v1/plans/{plan.id}"
    return PlanRead.model_validate(plan)


@router.get("", response_model=Page[PlanRead], responses=responses(401, 422))
def list_plans(session: SessionDep, principal: CurrentPrincipal, page: PageDep) -> Page[PlanRead]:
    return page_of(
        session, _readable(principal).order_by(Plan.id.desc()), page, PlanRead.model_validate
    )


@router.get("/{plan_id}", response_model=PlanDetail, responses=responses(401, 404, 422))
def get_plan(plan_id: int, session: SessionDep, principal: CurrentPrincipal) -> PlanDetail:
    return PlanDetail.model_validate(_get(session, principal, plan_id))


@router.get(
    "/{plan_id}/lines", response_model=Page[PlanLineRead], responses=responses(401, 404, 422)
)
def plan_lines(
    plan_id: int, session: SessionDep, principal: CurrentPrincipal, page: PageDep
) -> Page[PlanLineRead]:
    """Allocation lines; an officer sees only the lines of their own agency's needs."""
    _get(session, principal, plan_id)
    statement = select(PlanLine).where(PlanLine.plan_id == plan_id).order_by(PlanLine.id)
    if principal.role == Role.OFFICER:
        statement = statement.join(Need, Need.id == PlanLine.need_id).where(
            Need.agency_id == principal.agency_id
        )
    return page_of(session, statement, page, PlanLineRead.model_validate)
