"""Log-in and resolving a token to the acting principal."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matcher.auth import throttle
from matcher.auth.principal import Principal
from matcher.auth.security import (
    create_access_token,
    decode_access_token,
    hash_password,
    verify_password,
)
from matcher.errors import Unauthorized
from matcher.models import RevokedToken, User


@cache
def _dummy_hash() -> str:
    """Verifying against a throwaway hash when the e-mail is unknown keeps timing equal."""
    return hash_password(uuid.uuid4().hex)


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        role=user.role,
        agency_id=user.agency_id,
        supplier_id=user.supplier_id,
        email=user.email,
    )


def authenticate(session: Session, email: str, password: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(password, _dummy_hash())
        raise Unauthorized("Email atau kata sandi salah")
    if not verify_password(password, user.hashed_password):
        raise Unauthorized("Email atau kata sandi salah")
    if not user.is_active:
        raise Unauthorized("Akun tidak aktif")
    user.last_login_at = datetime.now(UTC)
    return user


class LoginFailed(Unauthorized):
    """A wrong e-mail or password. The failure count it flushed must be kept: the unit of
    work commits before the error becomes a response (``keep_changes``)."""

    keep_changes = True


def issue_token(
    session: Session, email: str, password: str, *, address: str | None = None
) -> tuple[str, datetime, User]:
    """Log in: refused with 429 while the account or the client address is locked after
    repeated failures (``matcher.auth.throttle``)."""
    throttle.check_not_locked(session, email, address)
    try:
        user = authenticate(session, email, password)
    except Unauthorized as error:
        throttle.record_failure(session, email, address)
        raise LoginFailed(error.detail) from None
    throttle.record_success(session, email)
    token, expires = create_access_token(user.id, version=user.token_version)
    return token, expires, user


def revoke_tokens(user: User) -> None:
    """Every token issued to the user so far stops working (log-out everywhere, password
    change, deactivation, role change)."""
    user.token_version = (user.token_version or 0) + 1


def log_out(session: Session, token: str, *, now: datetime | None = None) -> None:
    """Server-side log-out of one session: this token is revoked (by its id), so a copy of
    it (a copied cookie or bearer token) stops working too, while the account's other
    sessions go on. A token that is invalid or expired already needs nothing. Rows of
    revoked tokens that have expired since are pruned here."""
    try:
        claims = decode_access_token(token)
    except Unauthorized:
        return
    moment = now or datetime.now(UTC)
    session.execute(delete(RevokedToken).where(RevokedToken.expires_at < moment))
    if session.get(RevokedToken, claims.token_id) is None:
        session.add(
            RevokedToken(
                token_id=claims.token_id,
                user_id=claims.user_id,
                expires_at=claims.expires_at,
                revoked_at=moment,
            )
        )
    session.flush()


def log_out_everywhere(session: Session, user_id: int) -> None:
    """Every session of the account ends (``revoke_tokens``). An unknown user is a no-op."""
    user = session.get(User, user_id)
    if user is not None:
        revoke_tokens(user)
        session.flush()


def principal_from_token(session: Session, token: str) -> Principal:
    """The principal a token stands for. Every authenticated request passes here, so the
    account and whether this token was revoked come in one query."""
    claims = decode_access_token(token)
    revoked = select(RevokedToken.token_id).where(RevokedToken.token_id == claims.token_id)
    row = session.execute(select(User, revoked.exists()).where(User.id == claims.user_id)).first()
    if row is None or not row[0].is_active:
        raise Unauthorized("Token tidak valid")
    user, is_revoked = row
    if claims.version != (user.token_version or 0) or is_revoked:
        raise Unauthorized("Token telah dicabut; silakan masuk lagi")
    return principal_of(user)
