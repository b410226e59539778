"""Sessions and CSRF for the server-rendered pages.

After log-in the signed access token (``matcher.auth.security``) lives in an HttpOnly,
SameSite=Lax cookie (Secure on https). Every POST form carries a synchronizer token: an HMAC,
keyed with the settings secret, of the session token (or, before log-in, of a random
per-browser value kept in its own cookie), so a token is useless with another session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from api.deps import SessionDep
from matcher.audit import current_actor, set_session_actor
from matcher.auth.principal import Principal
from matcher.auth.service import principal_from_token
from matcher.config import get_settings
from matcher.errors import Forbidden, MatcherError, Unauthorized
from matcher.models import Role

SESSION_COOKIE = "matcher_sesi"
ANON_COOKIE = "matcher_anon"
CSRF_FIELD = "csrf_token"


class LoginRequired(Unauthorized):
    """No session: pages answer with a redirect to the log-in page."""

    def __init__(self) -> None:
        super().__init__("Silakan masuk terlebih dahulu")


class CsrfRejected(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "Formulir kedaluwarsa atau tidak sah (token CSRF tidak cocok). Muat ulang halaman "
            "lalu kirim lagi."
        )


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, token: str, expires: datetime) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        expires=expires,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def csrf_seed(request: Request) -> str | None:
    """What the page's CSRF token is bound to: the session token, else the anonymous value."""
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(ANON_COOKIE)


def csrf_token_for(seed: str) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, f"csrf|{seed}".encode(), hashlib.sha256).hexdigest()


def csrf_for(request: Request) -> tuple[str, str | None]:
    """The CSRF token for forms on this page, and a new anonymous value to store in its
    cookie when the browser has neither a session nor one yet (the log-in form)."""
    seed = csrf_seed(request)
    if seed is not None:
        return csrf_token_for(seed), None
    seed = secrets.token_urlsafe(32)
    return csrf_token_for(seed), seed


def set_anonymous_cookie(request: Request, response: Response, seed: str) -> None:
    response.set_cookie(
        ANON_COOKIE, seed, httponly=True, samesite="lax", secure=_secure(request), path="/"
    )


async def verified_form(request: Request) -> FormData:
    """The posted form once its CSRF token matches this browser's session (else 403)."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    seed = csrf_seed(request)
    if not isinstance(sent, str) or seed is None:
        raise CsrfRejected()
    if not hmac.compare_digest(sent, csrf_token_for(seed)):
        raise CsrfRejected()
    return form


CsrfForm = Annotated[FormData, Depends(verified_form)]


def _remember(request: Request, session: Session, principal: Principal) -> None:
    # The audit log records this principal as the actor; error pages show its menu.
    set_session_actor(session, principal)
    current_actor.set(principal)
    request.state.principal = principal


def optional_principal(request: Request, session: SessionDep) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        principal = principal_from_token(session, token)
    except MatcherError:
        return None
    _remember(request, session, principal)
    return principal


def page_principal(request: Request, session: SessionDep) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired()
    principal = principal_from_token(session, token)  # Unauthorized: back to the log-in page
    _remember(request, session, principal)
    return principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


def roles(*allowed: Role) -> Any:
    def check(principal: PagePrincipal) -> Principal:
        if principal.role not in allowed:
            raise Forbidden("Halaman ini tidak untuk peran Anda")
        return principal

    return Depends(check)


OfficerPage = Annotated[Principal, roles(Role.OFFICER)]
SupplierPage = Annotated[Principal, roles(Role.SUPPLIER)]
AdminPage = Annotated[Principal, roles(Role.ADMIN)]
AgencySidePage = Annotated[Principal, roles(Role.OFFICER, Role.ADMIN)]
ReaderPage = Annotated[Principal, roles(Role.ADMIN, Role.PLANNER, Role.VIEWER)]

LANDING: dict[Role, str] = {
    Role.OFFICER: "/dinas",
    Role.SUPPLIER: "/penyedia",
    Role.ADMIN: "/admin",
    Role.PLANNER: "/perencana",
    Role.VIEWER: "/perencana",
}


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after log-in (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/masuk?next={quote(target, safe='')}"
