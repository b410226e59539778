"""``Idempotency-Key`` for POST requests that create orders, approve or pay.

The key is scoped to the user; the request is identified by method, path and a hash of its
body. The first request inserts an in-progress record in its own short transaction (unique
on user and key), so a concurrent duplicate sees it and gets a 409. The first response
(status and JSON) is written to the record in the request's own transaction, so it is stored
exactly when the change it describes commits; a failed request deletes its record and may be
retried with the same key. A replay returns the stored response with
``Idempotent-Replayed: true``; the same key with a different request is a 422.

Records do not live forever: a completed one is kept for ``idempotency_retention_hours``
(then the key is free again; a user's expired records are purged when they claim a new key),
and an unfinished one older than ``idempotency_stale_seconds`` belonged to a process that
died mid-request (a transaction cannot run that long), so the retry takes the key over."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.deps import CurrentPrincipal, SessionDep
from matcher.auth.principal import Principal
from matcher.config import get_settings
from matcher.db import get_sessionmaker
from matcher.errors import Conflict, InvalidInput
from matcher.models import IdempotencyRecord
from matcher.models.base import utcnow

REPLAY_HEADER = "Idempotent-Replayed"


def get_idempotency_sessions() -> Callable[[], Session]:
    """Sessions for the in-progress record's own transactions (overridable in tests)."""
    return get_sessionmaker()


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Kunci unik dari klien; pengiriman ulang mengembalikan respons pertama",
    ),
]


def request_hash(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


class Idempotency:
    def __init__(
        self,
        request: Request,
        session: Session,
        principal: Principal,
        key: str | None,
        sessions: Callable[[], Session],
    ) -> None:
        self.request = request
        self.session = session
        self.principal = principal
        self.key = key
        self.sessions = sessions

    def run(
        self,
        body: BaseModel | None,
        produce: Callable[[], BaseModel],
        *,
        status_code: int = 200,
    ) -> JSONResponse:
        """Produce the response once per key; replay it afterwards."""
        if self.key is None or self.principal.user_id is None:
            return self._respond(status_code, produce().model_dump(mode="json"))
        method, path = self.request.method, self.request.url.path
        digest = request_hash(method, path, body.model_dump(mode="json") if body else None)
        # End the request's read-only part (authentication) before using a second
        # connection: no read snapshot or pooled connection is held while waiting.
        if not (self.session.new or self.session.dirty or self.session.deleted):
            self.session.commit()
        record_id, replay = self._claim(method, path, digest)
        if replay is not None:
            return replay
        try:
            payload = produce().model_dump(mode="json")
            self.session.execute(
                update(IdempotencyRecord)
                .where(IdempotencyRecord.id == record_id)
                .values(
                    completed=True,
                    response_status=status_code,
                    response_body=payload,
                    completed_at=utcnow(),
                )
                .execution_options(synchronize_session=False)
            )
        except BaseException:
            self.session.rollback()
            self._forget(record_id)
            raise
        return self._respond(status_code, payload)

    def _respond(self, status_code: int, payload: Any, *, replayed: bool = False) -> JSONResponse:
        headers = {REPLAY_HEADER: "true"} if replayed else None
        return JSONResponse(payload, status_code=status_code, headers=headers)

    def _claim(self, method: str, path: str, digest: str) -> tuple[int, JSONResponse | None]:
        user_id = self.principal.user_id
        assert user_id is not None and self.key is not None
        settings = get_settings()
        now = utcnow()
        expired_before = now - timedelta(hours=settings.idempotency_retention_hours)
        stale_before = now - timedelta(seconds=settings.idempotency_stale_seconds)
        side = self.sessions()
        try:
            # The user's records past retention (and abandoned unfinished ones) go first, so
            # an old key is free again and the table does not grow without end.
            side.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.user_id == user_id,
                    or_(
                        IdempotencyRecord.created_at < expired_before,
                        and_(
                            IdempotencyRecord.completed.is_(False),
                            IdempotencyRecord.created_at < stale_before,
                        ),
                    ),
                )
            )
            record = IdempotencyRecord(
                user_id=user_id,
                key=self.key,
                method=method,
                path=path,
                request_hash=digest,
                completed=False,
                created_at=now,
            )
            side.add(record)
            try:
                side.commit()
                return record.id, None
            except IntegrityError:
                side.rollback()
            existing = side.scalar(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == self.key
                )
            )
            if existing is None:  # deleted by a failed first attempt meanwhile
                raise Conflict("Permintaan dengan Idempotency-Key ini baru saja gagal; coba lagi")
            if (existing.method, existing.path, existing.request_hash) != (method, path, digest):
                raise InvalidInput(
                    "Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru"
                )
            if not existing.completed:
                raise Conflict("Permintaan dengan Idempotency-Key yang sama sedang diproses")
            return existing.id, self._respond(
                existing.response_status or 200, existing.response_body, replayed=True
            )
        finally:
            side.close()

    def _forget(self, record_id: int) -> None:
        side = self.sessions()
        try:
            side.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
            side.commit()
        finally:
            side.close()


def get_idempotency(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    key: IdempotencyKeyHeader = None,
    sessions: Callable[[], Session] = Depends(get_idempotency_sessions),
) -> Idempotency:
    # End the read-only authentication transaction now: the request then holds no pooled
    # connection while it waits for a worker thread to run the route (under load, requests
    # holding connections while waiting for threads, and threads waiting for connections,
    # starve each other until the pool times out).
    if not (session.new or session.dirty or session.deleted):
        session.commit()
    return Idempotency(request, session, principal, key, sessions)


IdempotencyDep = Annotated[Idempotency, Depends(get_idempotency)]
