"""Needs: creation with certificate defaults, the dated halal rule, scoping and states."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from matcher.clock import today
from matcher.models import Role
from tests.factories import Factory


def _need(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "SNACK",
        "description": "Snack box rapat koordinasi 150 pax",
        "quantity": 150,
        "max_unit_price": 15_000,
        "needed_by": (today() + timedelta(days=14)).isoformat(),
        "region": "Sisir",
    }
    body.update(overrides)
    return body


def test_officer_creates_need_for_own_agency_with_defaults(
    client: TestClient, factory: Factory
) -> None:
    officer, headers = factory.login(Role.OFFICER)
    response = client.post("/api/v1/needs", json=_need(), headers=headers)
    assert response.status_code == 201, response.text
    need = response.json()
    assert need["agency_id"] == officer.agency_id
    assert need["unit"] == "kotak"
    assert need["status"] == "draft"
    assert need["required_certs"] == ["HALAL", "PIRT"]
    assert need["value"] == 150 * 15_000
    assert need["code"].startswith("N")


def test_halal_cannot_be_dropped_for_food_after_the_date(
    client: TestClient, factory: Factory
) -> None:
    _, headers = factory.login(Role.OFFICER)
    after = max(today(), date(2026, 10, 17)) + timedelta(days=3)
    response = client.post(
        "/api/v1/needs",
        json=_need(category="BERAS", required_certs=[], needed_by=after.isoformat()),
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "required_certs"]
    ok = client.post(
        "/api/v1/needs",
        json=_need(category="BERAS", needed_by=after.isoformat()),
        headers=headers,
    )
    assert ok.json()["required_certs"] == ["HALAL"]


def test_officer_may_drop_a_category_default_that_is_not_mandatory(
    client: TestClient, factory: Factory
) -> None:
    _, headers = factory.login(Role.OFFICER)
    response = client.post(
        "/api/v1/needs",
        json=_need(category="NASI_KOTAK", required_certs=["HALAL"]),
        headers=headers,
    )
    assert response.status_code == 201
    assert response.json()["required_certs"] == ["HALAL"]


def test_officer_cannot_create_for_another_agency(client: TestClient, factory: Factory) -> None:
    other = factory.agency()
    _, headers = factory.login(Role.OFFICER)
    response = client.post("/api/v1/needs", json=_need(agency_id=other.id), headers=headers)
    assert response.status_code == 404


def test_other_agency_need_reads_as_absent(client: TestClient, factory: Factory) -> None:
    _, headers_a = factory.login(Role.OFFICER)
    _, headers_b = factory.login(Role.OFFICER)
    need = client.post("/api/v1/needs", json=_need(), headers=headers_a).json()
    assert client.get(f"/api/v1/needs/{need['id']}", headers=headers_b).status_code == 404
    assert (
        client.patch(
            f"/api/v1/needs/{need['id']}", json={"quantity": 5}, headers=headers_b
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/needs/{need['id']}/cancel", headers=headers_b).status_code == 404
    listed = client.get("/api/v1/needs", headers=headers_b).json()
    assert need["id"] not in {n["id"] for n in listed["items"]}


def test_supplier_sees_no_needs(client: TestClient, factory: Factory) -> None:
    _, officer = factory.login(Role.OFFICER)
    need = client.post("/api/v1/needs", json=_need(), headers=officer).json()
    _, supplier = factory.login(Role.SUPPLIER)
    assert client.get(f"/api/v1/needs/{need['id']}", headers=supplier).status_code == 404
    assert (
        client.post(
            "/api/v1/needs", json=_need(agency_id=need["agency_id"]), headers=supplier
        ).status_code
        == 403
    )


def test_past_needed_by_rejected(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.OFFICER)
    yesterday = (today() - timedelta(days=1)).isoformat()
    response = client.post("/api/v1/needs", json=_need(needed_by=yesterday), headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "needed_by"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", 0),
        ("quantity", -3),
        ("max_unit_price", 0),
        ("category", "PESAWAT"),
        ("needed_by", "besok"),
    ],
)
def test_invalid_fields_named(client: TestClient, factory: Factory, field: str, value: Any) -> None:
    _, headers = factory.login(Role.OFFICER)
    response = client.post("/api/v1/needs", json=_need(**{field: value}), headers=headers)
    assert response.status_code == 422
    assert ["body", field] in [e["loc"] for e in response.json()["errors"]]


def test_state_machine(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.OFFICER)
    need = client.post("/api/v1/needs", json=_need(), headers=headers).json()
    url = f"/api/v1/needs/{need['id']}"
    assert client.post(f"{url}/submit", headers=headers).json()["status"] == "submitted"
    again = client.post(f"{url}/submit", headers=headers)
    assert again.status_code == 409
    assert again.json()["current_state"] == "submitted"
    assert client.patch(url, json={"quantity": 200}, headers=headers).json()["quantity"] == 200
    assert client.post(f"{url}/cancel", headers=headers).json()["status"] == "cancelled"
    locked = client.patch(url, json={"quantity": 1}, headers=headers)
    assert locked.status_code == 409
    assert locked.json()["current_state"] == "cancelled"


def test_create_and_submit_at_once(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.OFFICER)
    need = client.post("/api/v1/needs", json=_need(submit=True), headers=headers).json()
    assert need["status"] == "submitted"
    assert need["submitted_at"] is not None


def test_shortlist_endpoint_scoped_and_explained(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.OFFICER)
    supplier = factory.supplier(certs=["HALAL", "PIRT"])
    offer = factory.offer(supplier, unit_price=12_000)
    dear = factory.offer(factory.supplier(certs=["HALAL", "PIRT"]), unit_price=20_000)
    need = client.post("/api/v1/needs", json=_need(), headers=headers).json()
    response = client.get(f"/api/v1/needs/{need['id']}/shortlist", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    by_offer = {e["offer_id"]: e for e in body["entries"]}
    assert by_offer[offer.id]["eligible"] is True
    assert {p["name"] for p in by_offer[offer.id]["score_parts"]} == {
        "price",
        "priority",
        "distance",
        "record",
        "rotation",
    }
    assert by_offer[dear.id]["reasons"][0]["code"] == "PRICE_ABOVE_HPS"
    eligible_only = client.get(
        f"/api/v1/needs/{need['id']}/shortlist", params={"eligible_only": True}, headers=headers
    ).json()
    assert dear.id not in {e["offer_id"] for e in eligible_only["entries"]}
    _, other = factory.login(Role.OFFICER)
    assert client.get(f"/api/v1/needs/{need['id']}/shortlist", headers=other).status_code == 404
