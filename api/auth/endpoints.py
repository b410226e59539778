"""/api/v1/auth: OAuth2 password flow."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from api.auth.schemas import Me, Token
from api.deps import CurrentPrincipal, SessionDep
from api.problems import responses
from matcher.auth.service import issue_token, revoke_tokens
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
def logout(session: SessionDep, principal: CurrentPrincipal) -> Response:
    """Revoke the tokens issued to you so far (every device): they answer 401 from now on."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound("Pengguna tidak ditemukan")
    revoke_tokens(user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=Me, responses=responses(401))
def me(session: SessionDep, principal: CurrentPrincipal) -> Me:
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound("Pengguna tidak ditemukan")
    return Me.model_validate(user)
