"""Offer endpoints: scoping by role, creation as pending, history of every change,
verification, filters and pagination."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from matcher.models import Role, SizeClass, VerificationStatus
from tests.factories import Factory


def _offer(supplier_id: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "OF-NEW-1",
        "supplier_id": supplier_id,
        "category": "snack",
        "name": "Snack box isi 4",
        "unit": "kotak",
        "unit_price": 14_500,
        "capacity": 300,
        "min_order_qty": 20,
        "lead_time_days": 1,
    }
    body.update(overrides)
    return body


def test_supplier_user_creates_pending_offer_with_summary(
    client: TestClient, factory: Factory
) -> None:
    own = factory.supplier(is_koperasi=True, size_class=SizeClass.KECIL, kecamatan="Bumiaji")
    _, headers = factory.login(Role.SUPPLIER, supplier_id=own.id)
    response = client.post("/api/v1/offers", json=_offer(own.id), headers=headers)
    assert response.status_code == 201, response.text
    offer = response.json()
    assert offer["status"] == "pending"
    assert offer["category"] == "SNACK"
    assert offer["unit_price"] == 14_500
    assert offer["supplier"] == {
        "id": own.id,
        "code": own.code,
        "name": own.name,
        "size_class": "kecil",
        "is_koperasi": True,
        "kecamatan": "Bumiaji",
        "is_local": True,
    }
    events = client.get(f"/api/v1/offers/{offer['id']}/verification", headers=headers).json()
    assert [(e["from_status"], e["to_status"]) for e in events] == [(None, "pending")]


def test_supplier_user_cannot_offer_for_another_supplier(
    client: TestClient, factory: Factory
) -> None:
    other = factory.supplier()
    _, headers = factory.login(Role.SUPPLIER)
    response = client.post("/api/v1/offers", json=_offer(other.id), headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["loc"] == ["body", "supplier_id"]


def test_officer_cannot_create_offers(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    _, headers = factory.login(Role.OFFICER)
    response = client.post("/api/v1/offers", json=_offer(supplier.id), headers=headers)
    assert response.status_code == 403


def test_admin_creates_offer_and_duplicate_code_conflicts(
    client: TestClient, factory: Factory
) -> None:
    supplier = factory.supplier()
    _, headers = factory.login(Role.ADMIN)
    assert (
        client.post("/api/v1/offers", json=_offer(supplier.id), headers=headers).status_code == 201
    )
    again = client.post("/api/v1/offers", json=_offer(supplier.id), headers=headers)
    assert again.status_code == 409
    assert again.json()["errors"][0]["loc"] == ["body", "code"]


def test_invalid_offer_body_names_fields(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    _, headers = factory.login(Role.ADMIN)
    response = client.post(
        "/api/v1/offers",
        json=_offer(supplier.id, category="MOBIL", unit_price=0),
        headers=headers,
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    locs = [e["loc"] for e in response.json()["errors"]]
    assert ["body", "category"] in locs
    assert ["body", "unit_price"] in locs


def test_officer_sees_only_active_verified_offers_of_verified_suppliers(
    client: TestClient, factory: Factory
) -> None:
    verified_supplier = factory.supplier()
    visible = factory.offer(verified_supplier)
    pending = factory.offer(verified_supplier, status=VerificationStatus.PENDING)
    inactive = factory.offer(verified_supplier, active=False)
    of_suspended = factory.offer(factory.supplier(status=VerificationStatus.SUSPENDED))
    _, headers = factory.login(Role.OFFICER)
    assert client.get(f"/api/v1/offers/{visible.id}", headers=headers).status_code == 200
    for hidden in (pending, inactive, of_suspended):
        assert client.get(f"/api/v1/offers/{hidden.id}", headers=headers).status_code == 404
    listed = client.get(
        "/api/v1/offers", params={"supplier_id": verified_supplier.id}, headers=headers
    ).json()
    assert [o["id"] for o in listed["items"]] == [visible.id]
    assert listed["total"] == 1


def test_admin_sees_every_offer(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier(status=VerificationStatus.PENDING)
    pending = factory.offer(supplier, status=VerificationStatus.PENDING)
    _, headers = factory.login(Role.ADMIN)
    assert client.get(f"/api/v1/offers/{pending.id}", headers=headers).status_code == 200


def test_filters(client: TestClient, factory: Factory) -> None:
    bumiaji = factory.supplier(kecamatan="Bumiaji")
    junrejo = factory.supplier(kecamatan="Junrejo")
    snack = factory.offer(bumiaji, category="SNACK")
    beras = factory.offer(bumiaji, category="BERAS", unit="kg")
    other_snack = factory.offer(junrejo, category="SNACK")
    stopped = factory.offer(junrejo, category="SNACK", active=False)
    pending = factory.offer(junrejo, category="SNACK", status=VerificationStatus.PENDING)
    _, headers = factory.login(Role.ADMIN)
    mine = {snack.id, beras.id, other_snack.id, stopped.id, pending.id}

    def ids(**params: Any) -> set[int]:
        body = client.get("/api/v1/offers", params={**params, "size": 500}, headers=headers)
        assert body.status_code == 200, body.text
        return {o["id"] for o in body.json()["items"]} & mine

    assert ids(category="snack") == {snack.id, other_snack.id, stopped.id, pending.id}
    assert ids(kecamatan="Bumiaji") == {snack.id, beras.id}
    assert ids(supplier_id=junrejo.id, active="false") == {stopped.id}
    assert ids(supplier_id=junrejo.id, status="pending") == {pending.id}


def test_pagination(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    offers = [factory.offer(supplier) for _ in range(5)]
    _, headers = factory.login(Role.ADMIN)
    params = {"supplier_id": supplier.id, "size": 2}
    first = client.get("/api/v1/offers", params={**params, "page": 1}, headers=headers).json()
    third = client.get("/api/v1/offers", params={**params, "page": 3}, headers=headers).json()
    assert (first["total"], first["page"], first["size"]) == (5, 1, 2)
    assert [o["id"] for o in first["items"]] == [offers[0].id, offers[1].id]
    assert [o["id"] for o in third["items"]] == [offers[4].id]
    assert third["total"] == 5


def test_bad_query_parameter_is_problem_json(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    response = client.get("/api/v1/offers", params={"status": "maybe"}, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert ["query", "status"] in [e["loc"] for e in response.json()["errors"]]
    zero = client.get("/api/v1/offers", params={"page": 0}, headers=headers)
    assert zero.status_code == 422
    assert ["query", "page"] in [e["loc"] for e in zero.json()["errors"]]


def test_update_records_history(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    offer = factory.offer(supplier, unit_price=15_000, capacity=500)
    user, headers = factory.login(Role.SUPPLIER, supplier_id=supplier.id)
    url = f"/api/v1/offers/{offer.id}"
    first = client.patch(url, json={"unit_price": 16_000, "capacity": 400}, headers=headers)
    assert first.status_code == 200, first.text
    assert (first.json()["unit_price"], first.json()["capacity"]) == (16_000, 400)
    unchanged = client.patch(url, json={"unit_price": 16_000}, headers=headers)
    assert unchanged.status_code == 200
    client.patch(url, json={"active": False}, headers=headers)
    history = client.get(f"{url}/history", headers=headers).json()
    assert history["total"] == 2
    assert [h["changes"] for h in history["items"]] == [
        {"unit_price": [15_000, 16_000], "capacity": [500, 400]},
        {"active": [True, False]},
    ]
    assert {h["source"] for h in history["items"]} == {"api"}
    assert {h["actor_user_id"] for h in history["items"]} == {user.id}


def test_update_validation_names_field(client: TestClient, factory: Factory) -> None:
    offer = factory.offer(capacity=100, min_order_qty=10)
    _, headers = factory.login(Role.ADMIN)
    url = f"/api/v1/offers/{offer.id}"
    too_big = client.patch(url, json={"min_order_qty": 101}, headers=headers)
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["loc"] == ["body", "min_order_qty"]
    null_price = client.patch(url, json={"unit_price": None}, headers=headers)
    assert null_price.status_code == 422
    assert null_price.json()["errors"][0]["loc"] == ["body", "unit_price"]
    unknown = client.patch(url, json={"status": "verified"}, headers=headers)
    assert unknown.status_code == 422
    assert client.get(f"{url}/history", headers=headers).json()["total"] == 0


def test_officer_cannot_change_offers(client: TestClient, factory: Factory) -> None:
    offer = factory.offer()
    _, headers = factory.login(Role.OFFICER)
    response = client.patch(
        f"/api/v1/offers/{offer.id}", json={"unit_price": 1_000}, headers=headers
    )
    assert response.status_code == 403


def test_offer_verification_workflow(client: TestClient, factory: Factory) -> None:
    offer = factory.offer(status=VerificationStatus.PENDING)
    _, admin = factory.login(Role.ADMIN)
    _, officer = factory.login(Role.OFFICER)
    url = f"/api/v1/offers/{offer.id}/verification"
    assert client.get(f"/api/v1/offers/{offer.id}", headers=officer).status_code == 404
    no_reason = client.post(url, json={"action": "reject"}, headers=admin)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"] == ["body", "reason"]
    verified = client.post(url, json={"action": "verify"}, headers=admin)
    assert verified.status_code == 200, verified.text
    assert verified.json()["entity_type"] == "offer"
    assert client.get(f"/api/v1/offers/{offer.id}", headers=officer).status_code == 200
    again = client.post(url, json={"action": "verify"}, headers=admin)
    assert again.status_code == 409 and again.json()["current_state"] == "verified"
    events = client.get(url, headers=admin).json()
    assert [(e["from_status"], e["to_status"]) for e in events] == [("pending", "verified")]


def test_only_admin_verifies_offers(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    offer = factory.offer(supplier, status=VerificationStatus.PENDING)
    _, headers = factory.login(Role.SUPPLIER, supplier_id=supplier.id)
    response = client.post(
        f"/api/v1/offers/{offer.id}/verification", json={"action": "verify"}, headers=headers
    )
    assert response.status_code == 403
