"""/api/v1/auth: OAuth2 password flow."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from api.auth.schemas import Me, Token
from api.deps import BearerToken, CurrentPrincipal, SessionDep
from api.problems import responses
from matcher.auth.service import issue_token, log_out, log_out_everywhere
from matcher.errors import NotFound
from matcher.models import User

router = APIRouter(prefix="/auth", tags=["Autentikasi"])


@router.post("/token", response_model=Token, responses=responses(401, 422, 429))
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, request: Request
) -> Token:
    """Exchange e-mail (as ``username``) and password for a bearer token. Five failures for
    one account (or twenty from one address) within 15 minutes lock log-in for 15 minutes:
    429 with ``Retry-After``."""
    address = request.client.host if request.client else None
    token, expires, _user = issue_token(session, form.username, form.password, address=address)
    return Token(access_token=token, expires_at=expires)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=responses(401),
)
def logout(session: SessionDep, _principal: CurrentPrincipal, token: BearerToken) -> Response:
    """Revoke this token (this session): it answers 401 from now on; your other sessions
    go on (``/auth/logout/all`` ends them all)."""
    log_out(session, token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/logout/all",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=responses(401),
)
def logout_everywhere(session: SessionDep, principal: CurrentPrincipal) -> Response:
    """Revoke every token issued to you so far (every device and browser)."""
    if principal.user_id is None:
        raise NotFound("Pengguna tidak ditemukan")
    log_out_everywhere(session, principal.user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=Me, responses=responses(401))
def me(session: SessionDep, principal: CurrentPrincipal) -> Me:
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound("Pengguna tidak ditemukan")
    return Me.model_validate(user)
