"""Supplier endpoints: scoping by role, validation problems, verification workflow."""

from __future__ import annotations

from fastapi.testclient import TestClient

from matcher.models import Role, VerificationStatus
from tests.factories import Factory

NEW_SUPPLIER = {
    "code": "S-NEW-1",
    "name": "Koperasi Merah Putih Sisir",
    "nib": "9120000999999",
    "size_class": "kecil",
    "is_koperasi": True,
    "region": "Sisir",
    "kecamatan": "Batu",
    "is_local": True,
}


def test_admin_creates_supplier_pending_with_history(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    response = client.post("/api/v1/suppliers", json=NEW_SUPPLIER, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "pending"
    history = client.get(f"/api/v1/suppliers/{body['id']}/verification", headers=headers).json()
    assert [(e["from_status"], e["to_status"]) for e in history] == [(None, "pending")]


def test_bad_nib_is_problem_json_naming_field(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    response = client.post(
        "/api/v1/suppliers", json={**NEW_SUPPLIER, "nib": "12345"}, headers=headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422
    assert ["body", "nib"] in [e["loc"] for e in problem["errors"]]


def test_duplicate_code_conflicts(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    assert client.post("/api/v1/suppliers", json=NEW_SUPPLIER, headers=headers).status_code == 201
    response = client.post("/api/v1/suppliers", json=NEW_SUPPLIER, headers=headers)
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "code"]


def test_officer_sees_only_verified_suppliers(client: TestClient, factory: Factory) -> None:
    verified = factory.supplier()
    pending = factory.supplier(status=VerificationStatus.PENDING)
    _, headers = factory.login(Role.OFFICER)
    assert client.get(f"/api/v1/suppliers/{verified.id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/suppliers/{pending.id}", headers=headers).status_code == 404
    listed = client.get("/api/v1/suppliers", params={"size": 500}, headers=headers).json()
    ids = {s["id"] for s in listed["items"]}
    assert verified.id in ids and pending.id not in ids


def test_supplier_user_reads_only_itself(client: TestClient, factory: Factory) -> None:
    own = factory.supplier()
    other = factory.supplier()
    _, headers = factory.login(Role.SUPPLIER, supplier_id=own.id)
    mine = client.get(f"/api/v1/suppliers/{own.id}", headers=headers)
    assert mine.status_code == 200 and "bank_account_number" in mine.json()
    assert client.get(f"/api/v1/suppliers/{other.id}", headers=headers).status_code == 404
    assert (
        client.patch(
            f"/api/v1/suppliers/{other.id}", json={"phone": "0812"}, headers=headers
        ).status_code
        == 404
    )


def test_supplier_user_cannot_change_identity_fields(client: TestClient, factory: Factory) -> None:
    own = factory.supplier()
    _, headers = factory.login(Role.SUPPLIER, supplier_id=own.id)
    ok = client.patch(f"/api/v1/suppliers/{own.id}", json={"phone": "0812-3333"}, headers=headers)
    assert ok.status_code == 200 and ok.json()["phone"] == "0812-3333"
    denied = client.patch(
        f"/api/v1/suppliers/{own.id}", json={"size_class": "mikro"}, headers=headers
    )
    assert denied.status_code == 403
    assert denied.json()["errors"][0]["loc"] == ["body", "size_class"]


def test_verification_workflow_and_wrong_state(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier(status=VerificationStatus.PENDING)
    _, headers = factory.login(Role.ADMIN)
    url = f"/api/v1/suppliers/{supplier.id}/verification"
    no_reason = client.post(url, json={"action": "reject"}, headers=headers)
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["loc"] == [
        "body",
        "reason",
    ]
    assert client.post(url, json={"action": "verify"}, headers=headers).status_code == 200
    wrong = client.post(url, json={"action": "verify"}, headers=headers)
    assert wrong.status_code == 409 and wrong.json()["current_state"] == "verified"
    suspended = client.post(
        url, json={"action": "suspend", "reason": "izin dicabut"}, headers=headers
    )
    assert suspended.status_code == 200
    history = client.get(url, headers=headers).json()
    assert [(e["from_status"], e["to_status"]) for e in history] == [
        ("pending", "verified"),
        ("verified", "suspended"),
    ]
    assert history[-1]["reason"] == "izin dicabut"


def test_only_admin_verifies(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier(status=VerificationStatus.PENDING)
    _, headers = factory.login(Role.PLANNER)
    response = client.post(
        f"/api/v1/suppliers/{supplier.id}/verification", json={"action": "verify"}, headers=headers
    )
    assert response.status_code == 403
