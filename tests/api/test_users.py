"""User endpoints: admin-only management, password policy and role bindings as field
problems, own password change."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from matcher.models import Role
from tests.factories import PASSWORD, Factory


def _user(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": "Pejabat.Pengadaan@BatuKota.go.id",
        "full_name": "Sri Wahyuni",
        "role": "planner",
        "password": "KotaWisata2026",
    }
    body.update(overrides)
    return body


def _login(client: TestClient, email: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    ).status_code


def test_admin_creates_officer_who_can_log_in(client: TestClient, factory: Factory) -> None:
    agency = factory.agency()
    _, headers = factory.login(Role.ADMIN)
    response = client.post(
        "/api/v1/users", json=_user(role="officer", agency_id=agency.id), headers=headers
    )
    assert response.status_code == 201, response.text
    user = response.json()
    assert user["email"] == "pejabat.pengadaan@batukota.go.id"
    assert (user["role"], user["agency_id"], user["supplier_id"]) == ("officer", agency.id, None)
    assert "password" not in user and "hashed_password" not in user
    assert _login(client, user["email"], "KotaWisata2026") == 200
    fetched = client.get(f"/api/v1/users/{user['id']}", headers=headers)
    assert fetched.status_code == 200 and fetched.json()["full_name"] == "Sri Wahyuni"


def test_weak_password_names_field(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    for weak in ("pendek1", "tanpaangkasamasekali", "1234567890123"):
        response = client.post("/api/v1/users", json=_user(password=weak), headers=headers)
        assert response.status_code == 422, weak
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["loc"] == ["body", "password"]


def test_bad_bindings_name_field(client: TestClient, factory: Factory) -> None:
    agency = factory.agency()
    supplier = factory.supplier()
    _, headers = factory.login(Role.ADMIN)
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"role": "officer"}, 422, "agency_id"),
        ({"role": "supplier"}, 422, "supplier_id"),
        ({"role": "planner", "agency_id": agency.id}, 422, "agency_id"),
        (
            {"role": "officer", "agency_id": agency.id, "supplier_id": supplier.id},
            422,
            "supplier_id",
        ),
        ({"role": "officer", "agency_id": 999_999}, 404, "agency_id"),
        ({"role": "supplier", "supplier_id": 999_999}, 404, "supplier_id"),
        ({"email": "bukan-email"}, 422, "email"),
        ({"role": "raja"}, 422, "role"),
    ]
    for overrides, status, field in cases:
        response = client.post("/api/v1/users", json=_user(**overrides), headers=headers)
        assert response.status_code == status, (overrides, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert ["body", field] in [e["loc"] for e in response.json()["errors"]], overrides


def test_duplicate_email_conflicts(client: TestClient, factory: Factory) -> None:
    existing = factory.user(Role.VIEWER)
    _, headers = factory.login(Role.ADMIN)
    response = client.post(
        "/api/v1/users", json=_user(email=existing.email.upper()), headers=headers
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "email"]


def test_only_admin_manages_users(client: TestClient, factory: Factory) -> None:
    target = factory.user(Role.VIEWER)
    for role in (Role.OFFICER, Role.SUPPLIER, Role.PLANNER, Role.VIEWER):
        _, headers = factory.login(role)
        assert client.get("/api/v1/users", headers=headers).status_code == 403
        assert client.get(f"/api/v1/users/{target.id}", headers=headers).status_code == 403
        assert client.post("/api/v1/users", json=_user(), headers=headers).status_code == 403
        patched = client.patch(
            f"/api/v1/users/{target.id}", json={"full_name": "X"}, headers=headers
        )
        assert patched.status_code == 403
    _, admin = factory.login(Role.ADMIN)
    assert client.get("/api/v1/users/999999", headers=admin).status_code == 404


def test_list_filters_and_pagination(client: TestClient, factory: Factory) -> None:
    agency = factory.agency()
    officers = [factory.user(Role.OFFICER, agency_id=agency.id) for _ in range(3)]
    supplier_user = factory.user(Role.SUPPLIER)
    _, headers = factory.login(Role.ADMIN)
    page = client.get(
        "/api/v1/users", params={"agency_id": agency.id, "size": 2, "page": 2}, headers=headers
    ).json()
    assert (page["total"], page["page"], page["size"]) == (3, 2, 2)
    assert [u["id"] for u in page["items"]] == [officers[2].id]
    by_supplier = client.get(
        "/api/v1/users", params={"supplier_id": supplier_user.supplier_id}, headers=headers
    ).json()
    assert [u["id"] for u in by_supplier["items"]] == [supplier_user.id]
    suppliers = client.get(
        "/api/v1/users", params={"role": "supplier", "size": 500}, headers=headers
    ).json()
    assert {u["role"] for u in suppliers["items"]} == {"supplier"}
    assert supplier_user.id in {u["id"] for u in suppliers["items"]}
    bad = client.get("/api/v1/users", params={"role": "raja"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "role"]


def test_role_change_rechecks_binding(client: TestClient, factory: Factory) -> None:
    agency = factory.agency()
    officer = factory.user(Role.OFFICER, agency_id=agency.id)
    supplier = factory.supplier()
    _, headers = factory.login(Role.ADMIN)
    url = f"/api/v1/users/{officer.id}"
    keeps_agency = client.patch(url, json={"role": "planner"}, headers=headers)
    assert keeps_agency.status_code == 422
    assert keeps_agency.json()["errors"][0]["loc"] == ["body", "agency_id"]
    no_supplier = client.patch(url, json={"role": "supplier", "agency_id": None}, headers=headers)
    assert no_supplier.status_code == 422
    assert no_supplier.json()["errors"][0]["loc"] == ["body", "supplier_id"]
    moved = client.patch(
        url,
        json={"role": "supplier", "agency_id": None, "supplier_id": supplier.id},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["role"], moved.json()["agency_id"], moved.json()["supplier_id"]) == (
        "supplier",
        None,
        supplier.id,
    )
    unknown = client.patch(url, json={"supplier_id": 999_999}, headers=headers)
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["loc"] == ["body", "supplier_id"]
    nulled = client.patch(url, json={"role": None}, headers=headers)
    assert nulled.status_code == 422 and nulled.json()["errors"][0]["loc"] == ["body", "role"]


def test_deactivation_stops_tokens_at_once(client: TestClient, factory: Factory) -> None:
    user, user_headers = factory.login(Role.VIEWER)
    _, headers = factory.login(Role.ADMIN)
    assert client.get("/api/v1/auth/me", headers=user_headers).status_code == 200
    response = client.patch(f"/api/v1/users/{user.id}", json={"is_active": False}, headers=headers)
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get("/api/v1/auth/me", headers=user_headers).status_code == 401


def test_admin_cannot_lock_themselves_out(client: TestClient, factory: Factory) -> None:
    admin, headers = factory.login(Role.ADMIN)
    url = f"/api/v1/users/{admin.id}"
    off = client.patch(url, json={"is_active": False}, headers=headers)
    assert off.status_code == 409 and off.json()["errors"][0]["loc"] == ["body", "is_active"]
    demoted = client.patch(url, json={"role": "viewer"}, headers=headers)
    assert demoted.status_code == 409 and demoted.json()["errors"][0]["loc"] == ["body", "role"]
    renamed = client.patch(url, json={"full_name": "Tim Pengelola"}, headers=headers)
    assert renamed.status_code == 200


def test_change_own_password(client: TestClient, factory: Factory) -> None:
    user, headers = factory.login(Role.SUPPLIER)
    url = "/api/v1/users/me/password"
    wrong = client.post(
        url,
        json={"current_password": "bukan-ini-123", "new_password": "BaruSekali2026"},
        headers=headers,
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["loc"] == ["body", "current_password"]
    weak = client.post(
        url, json={"current_password": PASSWORD, "new_password": "lemah"}, headers=headers
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["loc"] == ["body", "new_password"]
    same = client.post(
        url, json={"current_password": PASSWORD, "new_password": PASSWORD}, headers=headers
    )
    assert same.status_code == 422 and same.json()["errors"][0]["loc"] == ["body", "new_password"]
    ok = client.post(
        url, json={"current_password": PASSWORD, "new_password": "BaruSekali2026"}, headers=headers
    )
    assert ok.status_code == 204, ok.text
    assert _login(client, user.email, PASSWORD) == 401
    assert _login(client, user.email, "BaruSekali2026") == 200


def test_change_password_needs_login(client: TestClient) -> None:
    response = client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "BaruSekali2026"},
    )
    assert response.status_code == 401
