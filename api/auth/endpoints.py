"""/api/v1/auth: OAuth2 password flow."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from api.auth.schemas import Me, Token
from api.deps import CurrentPrincipal, SessionDep
from api.problems import responses
from matcher.auth.service import issue_token
from matcher.errors import NotFound
from matcher.models import User

router = APIRouter(prefix="/auth", tags=["Autentikasi"])


@router.post("/token", response_model=Token, responses=responses(401, 422))
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep) -> Token:
    """Exchange e-mail (as ``username``) and password for a bearer token."""
    token, expires, _user = issue_token(session, form.username, form.password)
    return Token(access_token=token, expires_at=expires)


@router.get("/me", response_model=Me, responses=responses(401))
def me(session: SessionDep, principal: CurrentPrincipal) -> Me:
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound("Pengguna tidak ditemukan")
    return Me.model_validate(user)
