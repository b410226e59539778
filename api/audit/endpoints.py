"""/api/v1/audit: the append-only audit log, for the tim pengelola (admin). Read-only: there
is no route that changes or deletes an entry (and the database rejects it anyway)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import or_, select

from api.audit.schemas import AuditEntryRead
from api.deps import AdminPrincipal, SessionDep
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from matcher.errors import NotFound
from matcher.models import AuditEntry

router = APIRouter(prefix="/audit", tags=["Audit"])


@router.get("", response_model=Page[AuditEntryRead], responses=responses(401, 403, 422))
def list_audit_entries(
    session: SessionDep,
    _admin: AdminPrincipal,
    page: PageDep,
    entity: Annotated[str | None, Query(max_length=40, description="order, offer, ...")] = None,
    entity_id: int | None = None,
    actor: Annotated[
        str | None, Query(max_length=254, description="ID atau email pengguna; 'system'")
    ] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[AuditEntryRead]:
    """Entries newest first, filtered by entity, entity id, actor, action and time."""
    statement = select(AuditEntry)
    if entity:
        statement = statement.where(AuditEntry.entity == entity)
    if entity_id is not None:
        statement = statement.where(AuditEntry.entity_id == entity_id)
    if actor:
        if actor.isdigit():
            statement = statement.where(AuditEntry.actor_user_id == int(actor))
        else:
            statement = statement.where(
                or_(
                    AuditEntry.actor_email == actor.strip().lower(), AuditEntry.actor_email == actor
                )
            )
    if action:
        statement = statement.where(AuditEntry.action == action)
    if since is not None:
        statement = statement.where(AuditEntry.at >= since)
    if until is not None:
        statement = statement.where(AuditEntry.at <= until)
    return page_of(
        session, statement.order_by(AuditEntry.id.desc()), page, AuditEntryRead.model_validate
    )


@router.get("/{entry_id}", response_model=AuditEntryRead, responses=responses(401, 403, 404, 422))
def get_audit_entry(entry_id: int, session: SessionDep, _admin: AdminPrincipal) -> AuditEntryRead:
    entry = session.get(AuditEntry, entry_id)
    if entry is None:
        raise NotFound(f"Catatan audit {entry_id} tidak ditemukan")
    return AuditEntryRead.model_validate(entry)
