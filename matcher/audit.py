"""The append-only audit log: who changed which order, plan, supplier, offer, certificate,
verification, complaint or need, when, and how (a JSON Patch from before to after).

A session ``after_flush`` listener records every insert, update and delete of an audited
entity in the same transaction as the change, so a change and its audit entry commit or roll
back together. The actor is the API principal (``session.info["actor"]``, set by the API's
principal dependency: sync dependencies run in a worker thread's copy of the context, so a
ContextVar set there would not reach the route) or the ``current_actor`` ContextVar (set by
CLI commands and background jobs); without either the change is recorded as the system's.

Bulk UPDATE statements bypass the ORM (the race-free reservations in
``matcher.orders.reservation``); their callers add explicit entries with ``record``. Entries
cannot be changed: there is no update or delete interface, and the migration installs
database triggers rejecting UPDATE and DELETE on ``audit_entry``."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import jsonpatch
from sqlalchemy import Table, event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.base import NO_VALUE

from matcher.models.base import utcnow
from matcher.models.catalog import Certificate, Offer, Supplier, VerificationEvent
from matcher.models.orders import AuditEntry, Complaint, Order, OrderLine
from matcher.models.procurement import Need, Plan, PlanLine

if TYPE_CHECKING:  # imported lazily at run time: matcher.models imports this module
    from matcher.auth.principal import Principal

current_actor: ContextVar[Principal | None] = ContextVar("current_actor", default=None)

AUDITED: dict[type[Any], str] = {
    Order: "order",
    OrderLine: "order_line",
    Plan: "plan",
    PlanLine: "plan_line",
    Supplier: "supplier",
    Offer: "offer",
    Certificate: "certificate",
    VerificationEvent: "verification_event",
    Complaint: "complaint",
    Need: "need",
}
ENTITY_NAMES = frozenset(AUDITED.values())

# Bookkeeping columns that change on every write (or, for plans, while the solver runs) and
# say nothing about the business change.
_IGNORED = frozenset({"updated_at", "version", "progress", "progress_message"})


@contextmanager
def acting_as(principal: Principal | None) -> Iterator[None]:
    """Run a block (a CLI command, a job) with changes attributed to ``principal``."""
    token = current_actor.set(principal)
    try:
        yield
    finally:
        current_actor.reset(token)


def set_session_actor(session: Session, principal: Principal) -> None:
    session.info["actor"] = principal


def _actor(session: Session) -> Principal:
    from matcher.auth.principal import Principal

    actor = session.info.get("actor")
    if isinstance(actor, Principal):
        return actor
    return current_actor.get() or Principal.system()


def _json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    return value


def _snapshot(obj: Any, *, before: bool) -> dict[str, Any]:
    """Column values of an instance, as JSON; ``before`` gives the values loaded from the
    database before the pending changes. Unloaded attributes are left out (no lazy loads)."""
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in _IGNORED:
            continue
        if before and key in state.committed_state:
            value = state.committed_state[key]
            if value is NO_VALUE:
                continue
        elif key in state.dict:
            value = state.dict[key]
        else:
            continue
        values[key] = _json(value)
    return values


def _entry(
    actor: Principal,
    entity: str,
    entity_id: int | None,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    patch = jsonpatch.make_patch(before or {}, after or {}).patch
    return {
        "at": utcnow(),
        "actor_user_id": actor.user_id,
        "actor_email": actor.email,
        "actor_role": actor.role.value,
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "before": before,
        "patch": patch,
    }


def _audit_table() -> Table:
    return AuditEntry.metadata.tables["audit_entry"]


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # In after_flush the session still lists the flushed objects as new/dirty/deleted and
    # attribute history is still pre-flush, while new rows already have their ids.
    rows: list[dict[str, Any]] = []
    actor: Principal | None = None
    for obj in session.new:
        entity = AUDITED.get(type(obj))
        if entity is None:
            continue
        actor = actor or _actor(session)
        rows.append(_entry(actor, entity, obj.id, "insert", None, _snapshot(obj, before=False)))
    for obj in session.dirty:
        entity = AUDITED.get(type(obj))
        if entity is None or not session.is_modified(obj, include_collections=False):
            continue
        before = _snapshot(obj, before=True)
        after = _snapshot(obj, before=False)
        if before == after:
            continue
        actor = actor or _actor(session)
        rows.append(_entry(actor, entity, obj.id, "update", before, after))
    for obj in session.deleted:
        entity = AUDITED.get(type(obj))
        if entity is None:
            continue
        actor = actor or _actor(session)
        rows.append(_entry(actor, entity, obj.id, "delete", _snapshot(obj, before=True), None))
    if rows:
        session.connection().execute(insert(_audit_table()), rows)


def record(
    session: Session,
    entity: str,
    entity_id: int | None,
    action: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append an explicit entry (changes made by bulk UPDATE statements, integrity alarms)."""
    session.execute(
        insert(AuditEntry),
        [_entry(_actor(session), entity, entity_id, action, _json(before), _json(after))],
    )


def install() -> None:
    """Register the listener on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


install()
