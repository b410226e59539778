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
- When such a transaction commits, the last statements before COMMIT write the row
  ``data_stamp`` id 1 (any such change) and, unless only needs and plans changed, id 2
  (:data:`OUTSIDE_DEMAND_ID`: what does not read needs, such as the dashboard's spending
  figures, keys on it), each with ``version + 1`` and a fresh random ``token``: the change
  and the new stamp become visible together, or not at all. Written last (in id order), the
  row locks are held only for the commit itself and no other lock is taken after them, so
  writers never deadlock on them.
- The token is random, not just the counter, so a value never comes back: after a rollback
  (or a test's outer transaction) the counter would repeat with different data.
- A session that has itself changed watched data not yet stamped (flushed, not committed)
  sees data no stamp names: :func:`has_unstamped_changes` tells readers to bypass caches.

Writes that bypass the ORM session altogether (raw SQL in psql, a restore into an empty
database) do not change the stamp unless they call :func:`mark_changed` or :func:`bump`;
caches keyed on it should therefore also expire entries after a bounded age."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import Table, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from matcher.models.base import utcnow
from matcher.models.stamp import DataStamp

STAMP_ID = 1  # any change the stamp follows
OUTSIDE_DEMAND_ID = 2  # any such change but to needs and plans alone
DEMAND_TABLES = frozenset({"need", "plan", "plan_line"})
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


def _table_name(obj: Any) -> str | None:
    table = getattr(type(obj), "__table__", None)
    return None if table is None else str(table.name)


def _watched(obj: Any) -> bool:
    return _table_name(obj) in WATCHED_TABLES


def _rows_for(table: str) -> set[int]:
    """The stamp rows a change to ``table`` moves."""
    return {STAMP_ID} if table in DEMAND_TABLES else {STAMP_ID, OUTSIDE_DEMAND_ID}


def _note(session: Session, rows: set[int]) -> None:
    noted: set[int] = session.info.setdefault(_CHANGED, set())
    noted |= rows


def mark_changed(session: Session) -> None:
    """Note that this session's transaction changed watched data (for writers that bypass
    the ORM and the audit log): the stamp changes when it commits."""
    _note(session, {STAMP_ID, OUTSIDE_DEMAND_ID})


def has_unstamped_changes(session: Session) -> bool:
    """Whether this session sees watched changes of its own that no stamp names yet
    (flushed or pending, not committed): such a session must not read or fill caches."""
    if session.info.get(_CHANGED):
        return True
    return any(_watched(obj) for obj in chain(session.new, session.dirty, session.deleted))


def current_token(session: Session) -> str:
    """The stamp's token as this session sees it ("" before the first change)."""
    return current_tokens(session)[0]


def current_tokens(session: Session) -> tuple[str, str]:
    """The tokens of rows :data:`STAMP_ID` and :data:`OUTSIDE_DEMAND_ID`, read together."""
    table = _table()
    statement = select(table.c.id, table.c.token).where(
        table.c.id.in_((STAMP_ID, OUTSIDE_DEMAND_ID))
    )
    found = {int(row_id): str(token) for row_id, token in session.connection().execute(statement)}
    return str(found.get(STAMP_ID) or ""), str(found.get(OUTSIDE_DEMAND_ID) or "")


def current_version(session: Session) -> int:
    table = _table()
    version = session.connection().execute(select(table.c.version).where(table.c.id == STAMP_ID))
    return int(version.scalar() or 0)


def bump(session: Session, rows: Iterable[int] = (STAMP_ID, OUTSIDE_DEMAND_ID)) -> None:
    """Write new stamps (rows in id order) in the session's transaction, inserting a row the
    first time."""
    table = _table()
    connection = session.connection()
    dialect = connection.dialect.name
    for row_id in sorted(set(rows)):
        values = {"id": row_id, "version": 1, "token": uuid.uuid4().hex, "changed_at": utcnow()}
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
            continue
        updated = connection.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(
                version=table.c.version + 1,
                token=values["token"],
                changed_at=values["changed_at"],
            )
        )
        if not updated.rowcount:
            connection.execute(table.insert().values(values))


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # In after_flush the session still lists the flushed objects as new/dirty/deleted.
    rows: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        name = _table_name(obj)
        if name is not None and name in WATCHED_TABLES:
            rows |= _rows_for(name)
    if rows:
        _note(session, rows)


def _do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if isinstance(name, str) and name in _WATCHED_STATEMENT_TABLES:
        _note(state.session, _rows_for(name))


def _before_commit(session: Session) -> None:
    # Also called when a SAVEPOINT (begin_nested) is released: the stamp is written only by
    # the outermost commit, as its last statement.
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    rows = session.info.pop(_CHANGED, None)
    if rows:
        bump(session, rows)


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
