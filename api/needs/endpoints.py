"""/api/v1/needs: agencies' needs and their states."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, UploadFile, status

from api.catalog.schemas import ImportReportRead, RejectedRow
from api.deps import CurrentPrincipal, SessionDep
from api.needs.schemas import NeedRead, ShortlistRead
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from api.uploads import read_limited, row_field_errors
from matcher.clock import today
from matcher.config import get_settings
from matcher.errors import Forbidden, InvalidInput, RowErrors, UnsupportedMedia
from matcher.models import NeedStatus, Role
from matcher.needs import service
from matcher.needs.importer import import_needs, read_table
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
    return page_of(session, statement, page, NeedRead.model_validate)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NeedRead,
    responses=responses(401, 403, 404, 409, 422),
)
def create_need(body: NeedCreate, session: SessionDep, principal: CurrentPrincipal) -> NeedRead:
    need = service.create_need(session, principal, body, today=today())
    return NeedRead.model_validate(need)


@router.post(
    "/import",
    response_model=ImportReportRead,
    responses=responses(401, 403, 413, 415, 422),
)
def import_needs_upload(
    file: Annotated[UploadFile, File(description="needs.csv dalam format spesifikasi")],
    session: SessionDep,
    principal: CurrentPrincipal,
    draft: bool = False,
) -> ImportReportRead:
    """Import needs from a needs.csv (officers: rows of their own agency only; the tim
    pengelola: any agency). Same report as ``matcher need import --json``."""
    if principal.role not in (Role.ADMIN, Role.OFFICER):
        raise Forbidden("Hanya pejabat pengadaan atau tim pengelola yang dapat mengimpor kebutuhan")
    filename = PurePosixPath((file.filename or "").replace("\\", "/")).name
    if PurePosixPath(filename).suffix.lower() != ".csv":
        raise UnsupportedMedia("Jenis berkas tidak didukung: unggah needs.csv")
    data = read_limited(file, get_settings().max_upload_bytes)
    try:
        table = read_table(filename, data)
    except RowErrors as error:
        raise InvalidInput(
            "Berkas tidak dapat dibaca: " + "; ".join(e.reason for e in error.errors),
            errors=row_field_errors(error.errors),
        ) from None
    status_ = NeedStatus.DRAFT if draft else NeedStatus.SUBMITTED
    report = import_needs(session, principal, table, today=today(), status=status_)
    return ImportReportRead(
        inserted=report.inserted,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=[RejectedRow(**e.as_dict()) for e in report.rejected],
    )


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
    page: PageDep,
    eligible_only: bool = False,
) -> ShortlistRead:
    """Every offer in the need's category, ranked and explained (eligibility, priority, price
    against HPS, distance, delivery record, rotation, score parts), one page at a time."""
    need = NeedRepository(session).get_readable(principal, need_id)
    shortlist = shortlist_for_need(
        session,
        need,
        today=today(),
        offset=page.offset,
        limit=page.size,
        eligible_only=eligible_only,
    )
    return ShortlistRead.model_validate(
        {**shortlist.__dict__, "page": page.page, "size": page.size}
    )


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
