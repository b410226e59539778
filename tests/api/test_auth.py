"""Log-in, tokens and problem+json on authentication errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from matcher.auth.security import create_access_token
from matcher.models import Role
from tests.factories import PASSWORD, Factory


def test_login_and_me(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.OFFICER)
    response = client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["agency_id"] == user.agency_id


def test_wrong_password_is_401_problem(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    response = client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": "salah123456"}
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_user_is_401(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", data={"username": "x@y.id", "password": PASSWORD})
    assert response.status_code == 401


def test_expired_token_is_401(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    token, _ = create_access_token(user.id, minutes=-1)
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "kedaluwarsa" in response.json()["detail"]


def test_tampered_token_is_401(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    token, _ = create_access_token(user.id)
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token[:-2]}xx"})
    assert response.status_code == 401


def test_inactive_user_token_is_401(client: TestClient, factory: Factory) -> None:
    user = factory.user(is_active=False)
    response = client.get("/api/v1/auth/me", headers=factory.headers(user))
    assert response.status_code == 401


def test_missing_token_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/suppliers").status_code == 401
