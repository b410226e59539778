"""The data stamp: a value that changes, in the same transaction, with every change to the
procurement data, so that figures computed from that data (the dashboard) can be cached per
stamp and are never served after the data they came from has changed.

How it stays right:

- Session listeners (registered on every ORM session, like the audit log) note that a
  transaction changed a watched table: a flush with a new, changed or deleted agency,
  supplier, certificate, offer, need, plan (line) or order (line), or a bulk INSERT, UPDATE
  or DELETE run through ``Session.execute`` on those tables or on ``audit_entry`` (bulk
  changes that bypass the ORM - reservations, catalogue imports - record an audit entry by
  this project's rule, so they are noted too).
- When such a transaction commits, the last statement before COMMIT writes the row
  ``data_stamp`` (id 1) with ``version + 1`` and a fresh random ``token``: the change and the
  new stamp become visible together, or not at all. Written last, the row lock is held only
  for the commit itself and no other lock is taken after it, so writers never deadlock on it.
- The token is random, not just the counter, so a value never comes back: after a rollback
  (or a test's outer transaction) the counter would repeat with different data.
- A session that has itself changed watched data not yet stamped (flushed, not committed)
  sees data no stamp names: :func:`has_unstamped_changes` tells readers to bypass caches.

Writes that bypass the ORM session altogether (raw SQL in psql, a restore into an empty
database) do not change the stamp unless they call :func:`mark_changed` or :func:`bump`;
caches keyed on it should therefore also expire entries after a bounded age."""

from __future__ import annotations

import uuid
from itertools import chain
from typing import Any

from sqlalchemy import Table, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from matcher.models.base import utcnow
from matcher.models.stamp import DataStamp

STAMP_ID = 1
# Tables whose rows the stamp follows (changed through the ORM or by bulk statements).
WATCHED_TABLES = frozenset(
    {
        "agency",
        "supplier",
        "certificate",
        "offer",
        "need",
        "plan",
        "plan_line",
        "purchase_order",
        "purchase_order_line",
    }
)
# Bulk statements on these tables also count: a bulk change records an audit entry.
_WATCHED_STATEMENT_TABLES = WATCHED_TABLES | {"audit_entry"}
_CHANGED = "matcher.stamp.changed"


def _table() -> Table:
    return DataStamp.metadata.tables[DataStamp.__tablename__]


def _watched(obj: Any) -> bool:
    table = getattr(type(obj), "__table__", None)
    return table is not None and table.name in WATCHED_TABLES


def mark_changed(session: Session) -> None:
    """Note that this session's transaction changed watched data (for writers that bypass
    the ORM and the audit log): the stamp changes when it commits."""
    session.info[_CHANGED] = True


def has_unstamped_changes(session: Session) -> bool:
    """Whether this session sees watched changes of its own that no stamp names yet
    (flushed or pending, not committed): such a session must not read or fill caches."""
    if session.info.get(_CHANGED):
        return True
    return any(_watched(obj) for obj in chain(session.new, session.dirty, session.deleted))


def current_token(session: Session) -> str:
    """The stamp's token as this session sees it ("" before the first change)."""
    table = _table()
    token = session.connection().execute(select(table.c.token).where(table.c.id == STAMP_ID))
    return str(token.scalar() or "")


def current_version(session: Session) -> int:
    table = _table()
    version = session.connection().execute(select(table.c.version).where(table.c.id == STAMP_ID))
    return int(version.scalar() or 0)


def bump(session: Session) -> None:
    """Write a new stamp in the session's transaction (insert the row the first time)."""
    table = _table()
    connection = session.connection()
    values = {"id": STAMP_ID, "version": 1, "token": uuid.uuid4().hex, "changed_at": utcnow()}
    dialect = connection.dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(table).values(values)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.id],
                set_={
                    "version": table.c.version + 1,
                    "token": statement.excluded.token,
                    "changed_at": statement.excluded.changed_at,
                },
            )
        )
        return
    updated = connection.execute(
        table.update()
        .where(table.c.id == STAMP_ID)
        .values(version=table.c.version + 1, token=values["token"], changed_at=values["changed_at"])
    )
    if not updated.rowcount:
        connection.execute(table.insert().values(values))


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # In after_flush the session still lists the flushed objects as new/dirty/deleted.
    if not session.info.get(_CHANGED) and any(
        _watched(obj) for obj in chain(session.new, session.dirty, session.deleted)
    ):
        session.info[_CHANGED] = True


def _do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _WATCHED_STATEMENT_TABLES:
        state.session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    # Also called when a SAVEPOINT (begin_nested) is released: the stamp is written only by
    # the outermost commit, as its last statement.
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    if session.info.pop(_CHANGED, False):
        bump(session)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Committed (already stamped) or rolled back (nothing to stamp): start clean.
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


_LISTENERS = (
    ("after_flush", _after_flush),
    ("do_orm_execute", _do_orm_execute),
    ("before_commit", _before_commit),
    ("after_transaction_end", _after_transaction_end),
)


def install() -> None:
    """Register the listeners on every ORM session (idempotent)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


install()
