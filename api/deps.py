"""Typed dependencies for routes: the unit-of-work session and the acting principal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from matcher.audit import current_actor, set_session_actor
from matcher.auth.principal import Principal
from matcher.auth.service import principal_from_token
from matcher.db import get_sessionmaker
from matcher.errors import Forbidden, Unauthorized
from matcher.models.enums import Role

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_session() -> Iterator[Session]:
    """One transaction per request: committed when the route returns normally (before the
    response is sent), rolled back on any error. Repositories and services never commit."""
    session = get_sessionmaker()()
    try:
        yield session
        session.commit()
    except BaseException as error:
        # An error may ask for its own bookkeeping to be kept (a failed log-in's count).
        if getattr(error, "keep_changes", False):
            session.commit()
        else:
            session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(
    session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Principal:
    if not token:
        raise Unauthorized("Perlu masuk (token Bearer)")
    principal = principal_from_token(session, token)
    # The audit log records this principal as the actor of the request's changes.
    set_session_actor(session, principal)
    current_actor.set(principal)
    # End the read-only authentication transaction: its pooled connection goes back to the
    # pool while the request waits for a worker thread for its next step (under load,
    # requests holding connections while waiting for threads and threads waiting for
    # connections starve each other until the pool times out).
    if not (session.new or session.dirty or session.deleted):
        session.commit()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def get_bearer_token(token: Annotated[str | None, Depends(oauth2_scheme)]) -> str:
    """The request's own bearer token (for revoking just this session)."""
    if not token:
        raise Unauthorized("Perlu masuk (token Bearer)")
    return token


BearerToken = Annotated[str, Depends(get_bearer_token)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden("Peran Anda tidak berwenang untuk tindakan ini")
        return principal

    return check


AdminPrincipal = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
