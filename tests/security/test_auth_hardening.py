"""Authentication hardening: log-in throttling and lockout (per account and per address,
counted in the database), token expiry and revocation (log-out, password change,
deactivation, role change), the password policy, the production secret guard, security
headers, CSRF on the web forms and no secrets in the repository."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.auth import throttle
from matcher.auth.security import (
    ALGORITHM,
    check_password_policy,
    create_access_token,
    decode_access_token,
)
from matcher.auth.service import log_out, principal_from_token
from matcher.config import PROJECT_ROOT, Settings
from matcher.errors import InvalidInput, Unauthorized
from matcher.models import LoginThrottle, RevokedToken, Role, User
from tests.factories import PASSWORD, Factory

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


def _login(client: TestClient, email: str, password: str) -> tuple[int, dict[str, str]]:
    response = client.post(TOKEN_URL, data={"username": email, "password": password})
    if response.status_code == 200:
        return 200, {"Authorization": f"Bearer {response.json()['access_token']}"}
    return response.status_code, dict(response.headers)


def test_five_failures_lock_the_account_for_15_minutes(
    client: TestClient, factory: Factory, db: Session
) -> None:
    user = factory.user(Role.OFFICER)
    for _ in range(throttle.ACCOUNT_LIMIT.failures):
        assert _login(client, user.email, "SalahSekali123")[0] == 401
    # Locked: even the right password is refused, with a problem and Retry-After.
    response = client.post(TOKEN_URL, data={"username": user.email, "password": PASSWORD})
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    retry_after = int(response.headers["retry-after"])
    assert 14 * 60 < retry_after <= 15 * 60 + 1
    assert response.json()["status"] == 429
    # The count lives in the database (all workers see it), under the account's key.
    row = db.get(LoginThrottle, throttle.account_key(user.email))
    assert row is not None and row.failures == throttle.ACCOUNT_LIMIT.failures
    # Fifteen minutes later the lock is over and the right password works again.
    assert row.locked_until is not None
    row.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    db.commit()
    status, _ = _login(client, user.email, PASSWORD)
    assert status == 200
    assert db.get(LoginThrottle, throttle.account_key(user.email)) is None


def test_unknown_accounts_are_throttled_alike(client: TestClient) -> None:
    for _ in range(throttle.ACCOUNT_LIMIT.failures):
        assert _login(client, "tidak.ada@batukota.go.id", "SalahSekali123")[0] == 401
    assert _login(client, "tidak.ada@batukota.go.id", "SalahSekali123")[0] == 429


def test_a_success_clears_the_account_count(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.VIEWER)
    for _ in range(throttle.ACCOUNT_LIMIT.failures - 1):
        assert _login(client, user.email, "SalahSekali123")[0] == 401
    assert _login(client, user.email, PASSWORD)[0] == 200
    for _ in range(throttle.ACCOUNT_LIMIT.failures - 1):
        assert _login(client, user.email, "SalahSekali123")[0] == 401
    assert _login(client, user.email, PASSWORD)[0] == 200


def test_one_address_trying_many_accounts_is_locked(client: TestClient, factory: Factory) -> None:
    victim = factory.user(Role.ADMIN)
    for n in range(throttle.ADDRESS_LIMIT.failures):
        assert _login(client, f"coba{n}@batukota.go.id", "SalahSekali123")[0] == 401
    # The address is locked now, for every account, whatever the password.
    assert _login(client, victim.email, PASSWORD)[0] == 429


def test_window_restarts_the_count(db: Session) -> None:
    start = datetime(2026, 11, 23, 8, tzinfo=UTC)
    for minute in range(throttle.ACCOUNT_LIMIT.failures - 1):
        throttle.record_failure(db, "a@b.go.id", None, now=start + timedelta(minutes=minute))
    later = start + throttle.ACCOUNT_LIMIT.window + timedelta(minutes=5)
    throttle.record_failure(db, "a@b.go.id", None, now=later)
    throttle.check_not_locked(db, "a@b.go.id", None, now=later)  # not locked: a fresh window
    row = db.get(LoginThrottle, throttle.account_key("a@b.go.id"))
    assert row is not None and row.failures == 1


def test_logout_revokes_this_token_only(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.SUPPLIER)
    _, headers = _login(client, user.email, PASSWORD)
    _, other_device = _login(client, user.email, PASSWORD)
    assert client.get(ME_URL, headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    response = client.get(ME_URL, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    # The session on the other device goes on.
    assert client.get(ME_URL, headers=other_device).status_code == 200
    # Logging out twice with the same token: it is revoked already.
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 401


def test_logout_all_revokes_every_token(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.SUPPLIER)
    _, headers = _login(client, user.email, PASSWORD)
    _, other_device = _login(client, user.email, PASSWORD)
    assert client.post("/api/v1/auth/logout/all", headers=headers).status_code == 204
    for revoked in (headers, other_device):
        response = client.get(ME_URL, headers=revoked)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
    # Logging in again gives a token that works.
    _, fresh = _login(client, user.email, PASSWORD)
    assert client.get(ME_URL, headers=fresh).status_code == 200


def test_revoked_token_rows_are_pruned_once_expired(db: Session, factory: Factory) -> None:
    user = factory.user(Role.OFFICER)
    early, early_expiry = create_access_token(user.id, minutes=5)
    late, _ = create_access_token(user.id, minutes=60)
    log_out(db, early)
    assert db.get(RevokedToken, decode_access_token(early).token_id) is not None
    # A later log-out, after the first token would have expired anyway, prunes its row.
    log_out(db, late, now=early_expiry + timedelta(seconds=1))
    assert db.get(RevokedToken, decode_access_token(early).token_id) is None
    assert db.get(RevokedToken, decode_access_token(late).token_id) is not None
    with pytest.raises(Unauthorized):
        principal_from_token(db, late)
    # An invalid token needs nothing.
    log_out(db, "bukan-token")


def test_password_change_revokes_old_tokens(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.OFFICER)
    _, headers = _login(client, user.email, PASSWORD)
    response = client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "BaruSekali2026"},
        headers=headers,
    )
    assert response.status_code == 204, response.text
    assert client.get(ME_URL, headers=headers).status_code == 401
    status, fresh = _login(client, user.email, "BaruSekali2026")
    assert status == 200 and client.get(ME_URL, headers=fresh).status_code == 200


@pytest.mark.parametrize("change", ["deactivate", "role"])
def test_admin_changes_revoke_tokens(client: TestClient, factory: Factory, change: str) -> None:
    _, admin = factory.login(Role.ADMIN)
    user = factory.user(Role.PLANNER)
    _, headers = _login(client, user.email, PASSWORD)
    body = {"is_active": False} if change == "deactivate" else {"role": "viewer"}
    response = client.patch(f"/api/v1/users/{user.id}", json=body, headers=admin)
    assert response.status_code == 200, response.text
    assert client.get(ME_URL, headers=headers).status_code == 401
    # A name change revokes nothing.
    other = factory.user(Role.PLANNER)
    _, kept = _login(client, other.email, PASSWORD)
    client.patch(f"/api/v1/users/{other.id}", json={"full_name": "Nama Baru"}, headers=admin)
    assert client.get(ME_URL, headers=kept).status_code == 200


def test_tokens_expire(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.VIEWER)
    token, _ = create_access_token(user.id, minutes=-1)
    response = client.get(ME_URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "kedaluwarsa" in response.json()["detail"]


def test_forged_and_tampered_tokens_are_refused(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.ADMIN)
    now = datetime.now(UTC)
    claims = {"sub": str(user.id), "exp": now + timedelta(hours=1), "jti": "x", "ver": 0}
    forged = jwt.encode(claims, "bukan-kunci-rahasia-yang-benar-0123456789", algorithm=ALGORITHM)
    unsigned = jwt.encode(claims, None, algorithm="none")
    token, _ = create_access_token(user.id)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in (forged, unsigned, tampered, "bukan.token", ""):
        response = client.get(ME_URL, headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401, bad
    with pytest.raises(Unauthorized):
        decode_access_token(forged)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("RahasiaDemo123", True),
        ("abcdefghij1", True),
        ("pendek1", False),  # too short
        ("hanyahurufsaja", False),  # no digit
        ("12345678901234", False),  # no letter
        ("", False),
    ],
)
def test_password_policy(password: str, ok: bool) -> None:
    if ok:
        check_password_policy(password)
    else:
        with pytest.raises(InvalidInput):
            check_password_policy(password)


def test_weak_password_is_refused_by_the_api(client: TestClient, factory: Factory) -> None:
    _, admin = factory.login(Role.ADMIN)
    body = {"email": "baru@batukota.go.id", "role": "viewer", "password": "lemah"}
    response = client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "password"]


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValidationError, match="MATCHER_SECRET_KEY"):
        Settings(env="production", _env_file=None)
    with pytest.raises(ValidationError, match="MATCHER_SECRET_KEY"):
        Settings(env="production", secret_key="pendek", _env_file=None)
    settings = Settings(env="production", secret_key="x" * 48, _env_file=None)
    assert settings.secret_key.get_secret_value() == "x" * 48
    Settings(env="development", _env_file=None)


def test_security_headers(client: TestClient) -> None:
    for url in ("/api/v1/taxonomy", "/api/v1/auth/me", "/"):
        headers = client.get(url).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"


def test_web_forms_need_the_csrf_token(client: TestClient, factory: Factory) -> None:
    client.cookies.clear()
    user = factory.user(Role.ADMIN)
    response = client.post(
        "/masuk", data={"email": user.email, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403, response.text
    assert "CSRF" in response.text


def test_no_secrets_in_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [f for f in tracked if f.endswith((".env", ".pem", ".key")) or "/.env" in f]
    # Built from parts so that this file does not contain the markers it looks for.
    markers = tuple(f"BEGIN {kind}PRIVATE KEY" for kind in ("RSA ", "", "OPENSSH "))
    suffixes = {".py", ".toml", ".txt", ".md", ".yml", ".yaml", ".cfg", ".ini", ""}
    for name in tracked:
        path = PROJECT_ROOT / name
        if path.suffix in suffixes and path.is_file() and path.stat().st_size < 1_000_000:
            text = path.read_text(errors="ignore")
            assert not any(m in text for m in markers), name
    # The secret key is a setting; the only literal is the development default.
    assert "MATCHER_SECRET_KEY" in (PROJECT_ROOT / "matcher" / "config.py").read_text()


def test_the_user_table_keeps_no_plain_passwords(db: Session, factory: Factory) -> None:
    user = factory.user(Role.VIEWER)
    stored = db.scalar(select(User.hashed_password).where(User.id == user.id))
    assert stored is not None and stored.startswith("$argon2") and PASSWORD not in stored
