"""/api/v1/agencies: Perangkat Daerah and their budgets.

Officers read only their own agency (any other is 404); admin, planners and viewers read all;
supplier users read every agency's public fields but never a budget. Only the tim pengelola
creates and changes agencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.agencies.schemas import AgencyPublic, AgencyRead
from api.deps import AdminPrincipal, CurrentPrincipal, SessionDep
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from matcher.agencies import service
from matcher.agencies.repository import AgencyRepository, sees_budgets
from matcher.agencies.schemas import AgencyCreate, AgencyUpdate
from matcher.auth.principal import Principal
from matcher.models import Agency

router = APIRouter(prefix="/agencies", tags=["Perangkat daerah (agencies)"])


def _read(agency: Agency, principal: Principal) -> AgencyRead | AgencyPublic:
    if sees_budgets(principal):
        return AgencyRead.model_validate(agency)
    return AgencyPublic.model_validate(agency)


@router.get("", response_model=Page[AgencyRead | AgencyPublic], responses=responses(401, 422))
def list_agencies(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Cari nama atau kode")] = None,
) -> Page[AgencyRead | AgencyPublic]:
    statement = service.list_statement(session, principal, fiscal_year=fiscal_year, search=q)
    return page_of(session, statement, page, lambda r: _read(r, principal))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AgencyRead,
    responses=responses(401, 403, 409, 422),
)
def create_agency(body: AgencyCreate, session: SessionDep, principal: AdminPrincipal) -> AgencyRead:
    agency = service.create_agency(session, principal, body)
    return AgencyRead.model_validate(agency)


@router.get(
    "/{agency_id}",
    response_model=AgencyRead | AgencyPublic,
    responses=responses(401, 404, 422),
)
def get_agency(
    agency_id: int, session: SessionDep, principal: CurrentPrincipal
) -> AgencyRead | AgencyPublic:
    return _read(AgencyRepository(session).get_readable(principal, agency_id), principal)


@router.patch(
    "/{agency_id}",
    response_model=AgencyRead,
    responses=responses(401, 403, 404, 409, 422),
)
def update_agency(
    agency_id: int, body: AgencyUpdate, session: SessionDep, principal: CurrentPrincipal
) -> AgencyRead:
    """Tim pengelola only. An agency outside the caller's scope is 404 (an officer asking for
    another agency), one the caller may read but not change is 403."""
    agency = service.update_agency(session, principal, agency_id, body)
    return AgencyRead.model_validate(agency)
