"""Password hashing (Argon2 via pwdlib), password policy and signed access tokens (JWT)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

from matcher.config import get_settings
from matcher.errors import FieldError, InvalidInput, Unauthorized

_hasher = PasswordHash.recommended()
ALGORITHM = "HS256"
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return _hasher.verify(password, hashed)


def check_password_policy(password: str, *, loc: tuple[str, ...] = ("body", "password")) -> None:
    """At least 10 characters with a letter and a digit."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"minimal {MIN_PASSWORD_LENGTH} karakter")
    if not re.search(r"[A-Za-z]", password):
        problems.append("harus memuat huruf")
    if not re.search(r"\d", password):
        problems.append("harus memuat angka")
    if problems:
        message = "Kata sandi terlalu lemah: " + ", ".join(problems)
        raise InvalidInput(message, errors=[FieldError(loc, message)])


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    token_id: str
    expires_at: datetime
    version: int = 0


def create_access_token(
    user_id: int, *, minutes: int | None = None, version: int = 0
) -> tuple[str, datetime]:
    """A signed token for the user; ``version`` is the user's ``token_version`` (a token of an
    older version is revoked)."""
    settings = get_settings()
    now = datetime.now(UTC)
    expires = now + timedelta(
        minutes=minutes if minutes is not None else settings.access_token_minutes
    )
    payload = {
        "sub": str(user_id),
        "iat": now,
        "exp": expires,
        "jti": uuid.uuid4().hex,
        "ver": version,
    }
    token = jwt.encode(payload, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)
    return token, expires


def decode_access_token(token: str) -> TokenClaims:
    try:
        payload = jwt.decode(
            token,
            get_settings().secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("Token sudah kedaluwarsa; silakan masuk lagi") from None
    except jwt.PyJWTError:
        raise Unauthorized("Token tidak valid") from None
    try:
        user_id = int(payload["sub"])
        version = int(payload.get("ver", 0))
    except (TypeError, ValueError):
        raise Unauthorized("Token tidak valid") from None
    return TokenClaims(
        user_id=user_id,
        token_id=str(payload["jti"]),
        expires_at=datetime.fromtimestamp(int(payload["exp"]), UTC),
        version=version,
    )
