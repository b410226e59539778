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


def test_supplier_adds_own_certificate_it_counts_once_verified(
    client: TestClient, factory: Factory
) -> None:
    supplier = factory.supplier()
    _, headers = factory.login(Role.SUPPLIER, supplier_id=supplier.id)
    url = f"/api/v1/suppliers/{supplier.id}/certificates"
    response = client.post(url, json=_certificate(), headers=headers)
    assert response.status_code == 201, response.text
    certificate = response.json()
    assert certificate["is_valid"] is True
    assert certificate["expires_in_days"] == 30
    assert certificate["supplier_id"] == supplier.id
    assert (certificate["status"], certificate["counts"]) == ("pending", False)
    factory.session.refresh(supplier, ["certificates"])
    assert "HALAL" not in supplier.valid_certificate_types(today())
    listed = client.get(url, headers=headers).json()
    assert [c["id"] for c in listed["items"]] == [certificate["id"]]
    assert listed["total"] == 1

    # The supplier cannot verify its own certificate; the tim pengelola can.
    action = f"/api/v1/certificates/{certificate['id']}/verification"
    refused = client.post(action, json={"action": "verify"}, headers=headers)
    assert refused.status_code == 403
    _, admin = factory.login(Role.ADMIN)
    queue = client.get("/api/v1/certificates", headers=admin).json()
    assert certificate["id"] in [c["id"] for c in queue["items"]]
    verified = client.post(action, json={"action": "verify"}, headers=admin)
    assert verified.status_code == 200, verified.text
    assert verified.json()["entity_type"] == "certificate"
    factory.session.refresh(supplier, ["certificates"])
    assert "HALAL" in supplier.valid_certificate_types(today())
    after = client.get(url, headers=headers).json()["items"][0]
    assert (after["status"], after["counts"]) == ("verified", True)
    again = client.post(action, json={"action": "verify"}, headers=admin)
    assert again.status_code == 409
    assert again.json()["current_state"] == "verified"
    history = client.get(action, headers=headers).json()
    assert [(e["from_status"], e["to_status"]) for e in history] == [
        (None, "pending"),
        ("pending", "verified"),
    ]
    queue = client.get("/api/v1/certificates", headers=admin).json()
    assert certificate["id"] not in [c["id"] for c in queue["items"]]


def test_rejecting_a_certificate_needs_a_reason(client: TestClient, factory: Factory) -> None:
    supplier = factory.supplier()
    certificate = factory.certificate(supplier, status=VerificationStatus.PENDING)
    _, admin = factory.login(Role.ADMIN)
    action = f"/api/v1/certificates/{certificate.id}/verification"
    missing = client.post(action, json={"action": "reject"}, headers=admin)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"] == ["body", "reason"]
    rejected = client.post(
        action,
        json={"action": "reject", "reason": "Nomor tidak terdaftar di BPJPH"},
        headers=admin,
    )
    assert rejected.status_code == 200
    read = client.get(f"/api/v1/suppliers/{supplier.id}/certificates", headers=admin).json()
    assert read["items"][0]["status"] == "rejected"
    assert read["items"][0]["status_reason"] == "Nomor tidak terdaftar di BPJPH"
    assert read["items"][0]["counts"] is False


def test_certificate_recorded_by_the_tim_pengelola_counts_at_once(
    client: TestClient, factory: Factory
) -> None:
    supplier = factory.supplier()
    _, admin = factory.login(Role.ADMIN)
    url = f"/api/v1/suppliers/{supplier.id}/certificates"
    response = client.post(url, json=_certificate(), headers=admin)
    assert (response.json()["status"], response.json()["counts"]) == ("verified", True)


def test_other_supplier_cannot_see_or_act_on_a_certificate(
    client: TestClient, factory: Factory
) -> None:
    owner = factory.supplier()
    certificate = factory.certificate(owner, status=VerificationStatus.PENDING)
    _, other = factory.login(Role.SUPPLIER, supplier_id=factory.supplier().id)
    action = f"/api/v1/certificates/{certificate.id}/verification"
    assert client.get(action, headers=other).status_code == 404
    assert client.post(action, json={"action": "verify"}, headers=other).status_code == 404
    assert client.get("/api/v1/certificates", headers=other).status_code == 403


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
