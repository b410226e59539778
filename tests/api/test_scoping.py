"""Cross-agency and cross-supplier access reads as absent: an officer reaching another
agency's data, or a supplier user another supplier's catalogue, gets 404 on every method,
while the owner (or the admin, for admin-only changes) gets through with the same request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from matcher.clock import today
from matcher.models import Role, VerificationStatus
from tests.factories import Factory


@dataclass(frozen=True)
class Case:
    method: str
    url: str
    body: dict[str, Any] | None = None
    # Who succeeds with the same request: "owner" (the other party itself) or "admin".
    control: str = "owner"


def _need_body() -> dict[str, Any]:
    return {
        "category": "SNACK",
        "description": "Snack box rapat koordinasi",
        "quantity": 50,
        "max_unit_price": 15_000,
        "needed_by": (today() + timedelta(days=14)).isoformat(),
        "region": "Sisir",
    }


def _officer_world(
    client: TestClient, factory: Factory
) -> tuple[dict[str, str], dict[str, str], list[Case]]:
    own = factory.agency()
    other = factory.agency()
    _, stranger = factory.login(Role.OFFICER, agency_id=own.id)
    _, owner = factory.login(Role.OFFICER, agency_id=other.id)
    created = client.post("/api/v1/needs", json=_need_body(), headers=owner)
    assert created.status_code == 201, created.text
    need = created.json()["id"]
    cases = [
        Case("GET", f"/api/v1/agencies/{other.id}"),
        Case("PATCH", f"/api/v1/agencies/{other.id}", {"name": "Dinas Lain"}, control="admin"),
        Case("GET", f"/api/v1/needs/{need}"),
        Case("PATCH", f"/api/v1/needs/{need}", {"quantity": 60}),
        Case("POST", f"/api/v1/needs/{need}/submit"),
        Case("POST", f"/api/v1/needs/{need}/cancel"),
    ]
    return stranger, owner, cases


def _supplier_world(
    client: TestClient, factory: Factory
) -> tuple[dict[str, str], dict[str, str], list[Case]]:
    own = factory.supplier()
    other = factory.supplier()
    offer = factory.offer(other)
    certificate = factory.certificate(other)
    _, stranger = factory.login(Role.SUPPLIER, supplier_id=own.id)
    _, owner = factory.login(Role.SUPPLIER, supplier_id=other.id)
    certificate_body = {
        "type": "SNI",
        "number": "SNI-0001",
        "valid_until": (today() + timedelta(days=90)).isoformat(),
    }
    cases = [
        Case("GET", f"/api/v1/suppliers/{other.id}"),
        Case("PATCH", f"/api/v1/suppliers/{other.id}", {"phone": "0812-1111"}),
        Case("GET", f"/api/v1/suppliers/{other.id}/verification"),
        Case("GET", f"/api/v1/offers/{offer.id}"),
        Case("PATCH", f"/api/v1/offers/{offer.id}", {"unit_price": 1_000}),
        Case("GET", f"/api/v1/offers/{offer.id}/history"),
        Case("GET", f"/api/v1/offers/{offer.id}/verification"),
        Case("GET", f"/api/v1/suppliers/{other.id}/certificates"),
        Case("POST", f"/api/v1/suppliers/{other.id}/certificates", certificate_body),
        Case("DELETE", f"/api/v1/certificates/{certificate.id}"),
    ]
    return stranger, owner, cases


@pytest.mark.parametrize("world", [_officer_world, _supplier_world], ids=["officer", "supplier"])
def test_other_partys_resources_are_404(client: TestClient, factory: Factory, world: Any) -> None:
    stranger, owner, cases = world(client, factory)
    _, admin = factory.login(Role.ADMIN)
    for case in cases:
        response = client.request(case.method, case.url, json=case.body, headers=stranger)
        assert response.status_code == 404, (case, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    # The same requests are fine for the party itself (or the admin): the 404s above are
    # scoping, not wrong addresses. Run after, since they change data.
    for case in cases:
        headers = owner if case.control == "owner" else admin
        response = client.request(case.method, case.url, json=case.body, headers=headers)
        assert response.status_code < 300, (case, response.text)


def test_lists_leave_out_the_other_party(client: TestClient, factory: Factory) -> None:
    own_agency, other_agency = factory.agency(), factory.agency()
    _, officer = factory.login(Role.OFFICER, agency_id=own_agency.id)
    _, other_officer = factory.login(Role.OFFICER, agency_id=other_agency.id)
    assert client.post("/api/v1/needs", json=_need_body(), headers=other_officer).status_code == 201
    assert client.get("/api/v1/needs", headers=officer).json()["total"] == 0
    assert [a["id"] for a in client.get("/api/v1/agencies", headers=officer).json()["items"]] == [
        own_agency.id
    ]

    own, other = factory.supplier(), factory.supplier()
    factory.offer(other)
    factory.offer(other, status=VerificationStatus.PENDING)
    _, supplier_user = factory.login(Role.SUPPLIER, supplier_id=own.id)
    offers = client.get("/api/v1/offers", params={"supplier_id": other.id}, headers=supplier_user)
    assert offers.json()["total"] == 0
    suppliers = client.get("/api/v1/suppliers", headers=supplier_user).json()
    assert [s["id"] for s in suppliers["items"]] == [own.id]
    assert client.get("/api/v1/needs", headers=supplier_user).json()["total"] == 0
