"""Certificate endpoints: validity today, who may add and remove, expired ones stop counting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from matcher.clock import today
from matcher.models import CertificateType, Role, Supplier, VerificationStatus
from tests.factories import Factory


def _certificate(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "HALAL",
        "number": "ID35110012345670124",
        "issued_on": (today() - timedelta(days=100)).isoformat(),
        "valid_until": (today() + timedelta(days=30)).isoformat(),
    }
    body.update(overrides)
    return body


def test_supplier_adds_own_certificate_and_it_counts(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    _, headers = factory.login(Role.SUPPLIER, supplier_id=supplier.id)
    url = f"/api/v1/suppliers/{supplier.id}/certificates"
    response = client.post(url, json=_certificate(), headers=headers)
    assert response.status_code == 201, response.text
    certificate = response.json()
    assert certificate["is_valid"] is True
    assert certificate["expires_in_days"] == 30
    assert certificate["supplier_id"] == supplier.id
    factory.session.refresh(supplier, ["certificates"])
    assert "HALAL" in supplier.valid_certificate_types(today())
    listed = client.get(url, headers=headers).json()
    assert [c["id"] for c in listed["items"]] == [certificate["id"]]
    assert listed["total"] == 1


def test_validity_fields(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    expired = factory.certificate(supplier, valid_until=today() - timedelta(days=1))
    last_day = factory.certificate(supplier, valid_until=today())
    forever = factory.certificate(supplier, type=CertificateType.SNI, valid_until=None)
    _, headers = factory.login(Role.OFFICER)
    url = f"/api/v1/suppliers/{supplier.id}/certificates"
    items = {c["id"]: c for c in client.get(url, headers=headers).json()["items"]}
    assert (items[expired.id]["is_valid"], items[expired.id]["expires_in_days"]) == (False, -1)
    assert (items[last_day.id]["is_valid"], items[last_day.id]["expires_in_days"]) == (True, 0)
    assert (items[forever.id]["is_valid"], items[forever.id]["expires_in_days"]) == (True, None)
    valid = client.get(url, params={"valid": "true"}, headers=headers).json()
    assert {c["id"] for c in valid["items"]} == {last_day.id, forever.id}
    gone = client.get(url, params={"valid": "false"}, headers=headers).json()
    assert [c["id"] for c in gone["items"]] == [expired.id]


def test_expired_certificate_no_longer_counts(factory: Factory) -> None:
    supplier: Supplier = factory.supplier()
    factory.certificate(supplier, type=CertificateType.HALAL, valid_until=today())
    assert "HALAL" in supplier.valid_certificate_types(today())
    assert "HALAL" not in supplier.valid_certificate_types(today() + timedelta(days=1))


def test_already_expired_or_future_issue_is_refused(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    _, headers = factory.login(Role.ADMIN)
    url = f"/api/v1/suppliers/{supplier.id}/certificates"
    expired = client.post(
        url,
        json=_certificate(valid_until=(today() - timedelta(days=1)).isoformat()),
        headers=headers,
    )
    assert expired.status_code == 422
    assert expired.headers["content-type"].startswith("application/problem+json")
    assert expired.json()["errors"][0]["loc"] == ["body", "valid_until"]
    future = client.post(
        url,
        json=_certificate(issued_on=(today() + timedelta(days=1)).isoformat()),
        headers=headers,
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["loc"] == ["body", "issued_on"]
    bad_type = client.post(url, json=_certificate(type="ISO9001"), headers=headers)
    assert bad_type.status_code == 422
    assert bad_type.json()["errors"][0]["loc"] == ["body", "type"]


def test_duplicate_certificate_conflicts(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    _, headers = factory.login(Role.ADMIN)
    url = f"/api/v1/suppliers/{supplier.id}/certificates"
    assert client.post(url, json=_certificate(), headers=headers).status_code == 201
    again = client.post(url, json=_certificate(), headers=headers)
    assert again.status_code == 409
    assert again.json()["errors"][0]["loc"] == ["body", "number"]


def test_admin_and_owner_remove_others_get_404(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    mine = factory.certificate(supplier)
    theirs = factory.certificate(supplier)
    _, owner = factory.login(Role.SUPPLIER, supplier_id=supplier.id)
    _, admin = factory.login(Role.ADMIN)
    _, other_supplier = factory.login(Role.SUPPLIER)
    _, officer = factory.login(Role.OFFICER)
    _, planner = factory.login(Role.PLANNER)
    for headers in (other_supplier, officer, planner):
        assert client.delete(f"/api/v1/certificates/{mine.id}", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/certificates/{mine.id}", headers=owner).status_code == 204
    assert client.delete(f"/api/v1/certificates/{theirs.id}", headers=admin).status_code == 204
    assert client.delete(f"/api/v1/certificates/{mine.id}", headers=admin).status_code == 404
    listed = client.get(f"/api/v1/suppliers/{supplier.id}/certificates", headers=admin).json()
    assert listed["items"] == []


def test_only_admin_and_owner_add(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    url = f"/api/v1/suppliers/{supplier.id}/certificates"
    for role in (Role.OFFICER, Role.PLANNER, Role.VIEWER, Role.SUPPLIER):
        _, headers = factory.login(role)
        assert client.post(url, json=_certificate(), headers=headers).status_code == 404, role


def test_officer_reads_certificates_of_verified_suppliers_only(
    client: TestClient, factory: Factory
) -> None:
    pending = factory.supplier(status=VerificationStatus.PENDING, certs=["PIRT"])
    verified = factory.supplier(certs=["PIRT"])
    _, headers = factory.login(Role.OFFICER)
    assert (
        client.get(f"/api/v1/suppliers/{pending.id}/certificates", headers=headers).status_code
        == 404
    )
    shown = client.get(f"/api/v1/suppliers/{verified.id}/certificates", headers=headers)
    assert shown.status_code == 200 and shown.json()["total"] == 1
