"""/api/v1/needs: agencies' needs and their states."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from api.deps import CurrentPrincipal, SessionDep
from api.needs.schemas import NeedRead, ShortlistRead
from api.pagination import Page, PageDep, paginate
from api.problems import responses
from matcher.clock import today
from matcher.models import NeedStatus
from matcher.needs import service
from matcher.needs.repository import NeedRepository
from matcher.needs.schemas import NeedCreate, NeedUpdate
from matcher.shortlist.service import shortlist_for_need

router = APIRouter(prefix="/needs", tags=["Kebutuhan (needs)"])


@router.get("", response_model=Page[NeedRead], responses=responses(401, 422))
def list_needs(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    status_: Annotated[NeedStatus | None, Query(alias="status")] = None,
    agency_id: int | None = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
) -> Page[NeedRead]:
    statement = service.list_statement(
        session, principal, status=status_, agency_id=agency_id, category=category
    )
    rows, total = paginate(session, statement, page)
    return Page(
        items=[NeedRead.model_validate(r) for r in rows],
        total=total,
        page=page.page,
        size=page.size,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NeedRead,
    responses=responses(401, 403, 404, 409, 422),
)
def create_need(body: NeedCreate, session: SessionDep, principal: CurrentPrincipal) -> NeedRead:
    need = service.create_need(session, principal, body, today=today())
    return NeedRead.model_validate(need)


@router.get("/{need_id}", response_model=NeedRead, responses=responses(401, 404, 422))
def get_need(need_id: int, session: SessionDep, principal: CurrentPrincipal) -> NeedRead:
    return NeedRead.model_validate(NeedRepository(session).get_readable(principal, need_id))


@router.get(
    "/{need_id}/shortlist", response_model=ShortlistRead, responses=responses(401, 404, 422)
)
def need_shortlist(
    need_id: int,
    session: SessionDep,
    principal: CurrentPrincipal,
    eligible_only: bool = False,
) -> ShortlistRead:
    """Every offer in the need's category, ranked and explained (eligibility, priority, price
    against HPS, distance, delivery record, rotation, score parts)."""
    need = NeedRepository(session).get_readable(principal, need_id)
    shortlist = shortlist_for_need(session, need, today=today())
    result = ShortlistRead.model_validate(shortlist)
    if eligible_only:
        result.entries = [e for e in result.entries if e.eligible]
    return result


@router.patch("/{need_id}", response_model=NeedRead, responses=responses(401, 404, 409, 422))
def update_need(
    need_id: int, body: NeedUpdate, session: SessionDep, principal: CurrentPrincipal
) -> NeedRead:
    need = service.update_need(session, principal, need_id, body, today=today())
    return NeedRead.model_validate(need)


@router.post(
    "/{need_id}/{action}", response_model=NeedRead, responses=responses(401, 404, 409, 422)
)
def act_on_need(
    need_id: int,
    action: Literal["submit", "withdraw", "cancel"],
    session: SessionDep,
    principal: CurrentPrincipal,
) -> NeedRead:
    """Submit a draft, withdraw a submitted need back to draft, or cancel it."""
    need = NeedRepository(session).get_writable(principal, need_id)
    return NeedRead.model_validate(service.transition(session, principal, need, action))
