"""/api/v1/complaints: complaints (pengaduan) on orders with document references and product
photos; handled by the tim pengelola (admin)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, UploadFile, status

from api.complaints.schemas import (
    AttachmentRead,
    ComplaintAction,
    ComplaintCreate,
    ComplaintRead,
)
from api.deps import CurrentPrincipal, SessionDep
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from matcher.config import get_settings
from matcher.errors import PayloadTooLarge
from matcher.models import ComplaintStatus
from matcher.models.base import utcnow
from matcher.orders import complaints

router = APIRouter(prefix="/complaints", tags=["Pengaduan (complaints)"])


@router.get("", response_model=Page[ComplaintRead], responses=responses(401, 422))
def list_complaints(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    status_: Annotated[ComplaintStatus | None, Query(alias="status")] = None,
    order_id: int | None = None,
    supplier_id: int | None = None,
) -> Page[ComplaintRead]:
    statement = complaints.list_statement(
        principal, status=status_, order_id=order_id, supplier_id=supplier_id
    )
    return page_of(session, statement, page, ComplaintRead.model_validate)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ComplaintRead,
    responses=responses(401, 403, 404, 409, 422),
)
def file_complaint(
    body: ComplaintCreate, session: SessionDep, principal: CurrentPrincipal
) -> ComplaintRead:
    """The ordering agency's officer or the supplier files a complaint on an order."""
    complaint = complaints.file_complaint(
        session,
        principal,
        body.order_id,
        subject=body.subject,
        description=body.description,
        document_refs=body.document_refs,
    )
    return ComplaintRead.model_validate(complaint)


@router.get("/{complaint_id}", response_model=ComplaintRead, responses=responses(401, 404, 422))
def get_complaint(
    complaint_id: int, session: SessionDep, principal: CurrentPrincipal
) -> ComplaintRead:
    return ComplaintRead.model_validate(complaints.get_readable(session, principal, complaint_id))


@router.post(
    "/{complaint_id}/photos",
    status_code=status.HTTP_201_CREATED,
    response_model=AttachmentRead,
    responses=responses(401, 403, 404, 409, 413, 415, 422),
)
def add_photo(
    complaint_id: int, file: UploadFile, session: SessionDep, principal: CurrentPrincipal
) -> AttachmentRead:
    """Attach a product photo (JPEG, PNG or WebP; size limit ``MATCHER_MAX_UPLOAD_BYTES``)."""
    limit = get_settings().max_upload_bytes
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge(f"Foto lebih dari {limit // (1024 * 1024)} MB")
    attachment = complaints.add_photo(
        session,
        principal,
        complaint_id,
        filename=file.filename or "foto",
        content_type=file.content_type,
        content=content,
    )
    return AttachmentRead.model_validate(attachment)


@router.get(
    "/{complaint_id}/photos/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {"image/*": {}}}, **responses(401, 404, 422)},
)
def get_photo(
    complaint_id: int, attachment_id: int, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    attachment = complaints.attachment(session, principal, complaint_id, attachment_id)
    return Response(content=attachment.content, media_type=attachment.content_type)


@router.post(
    "/{complaint_id}/{action}",
    response_model=ComplaintRead,
    responses=responses(401, 403, 404, 409, 422),
)
def act_on_complaint(
    complaint_id: int,
    action: Literal["review", "resolve", "reject"],
    session: SessionDep,
    principal: CurrentPrincipal,
    body: ComplaintAction | None = None,
) -> ComplaintRead:
    """The tim pengelola takes a complaint into review, resolves or rejects it (with a
    resolution text)."""
    complaint = complaints.transition(
        session,
        principal,
        complaint_id,
        action,
        resolution=body.resolution if body else None,
        now=utcnow(),
    )
    return ComplaintRead.model_validate(complaint)
