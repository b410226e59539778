"""Procurement thresholds and split detection, Idempotency-Key, and the append-only audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from api.idempotency import request_hash
from matcher.models import AuditEntry, IdempotencyRecord, Role
from tests.factories import Factory
from tests.orders.helpers import draft_order, need, scene


def _approve(api: TestClient, order_id: int, headers: dict[str, str]) -> dict[str, object]:
    response = api.post(f"/api/v1/orders/{order_id}/approve", headers=headers)
    assert response.status_code in (200, 422), response.text
    return dict(response.json())


def test_above_direct_procurement_limit_is_blocked(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory, capacity=20_000, budget=1_000_000_000)
    order = draft_order(db, s.agency, s.offer, s.need, 13_400)  # Rp201.000.000
    response = api.post(f"/api/v1/orders/{order.id}/approve", headers=s.officer_headers)
    assert response.status_code == 422
    assert "batas pengadaan langsung Rp200.000.000" in response.json()["detail"]


def test_above_online_shop_limit_is_flagged(api: TestClient, factory: Factory, db: Session) -> None:
    s = scene(factory, capacity=20_000)
    order = draft_order(db, s.agency, s.offer, s.need, 3_400)  # Rp51.000.000
    body = _approve(api, order.id, s.officer_headers)
    assert [f["code"] for f in body["flags"]] == ["online_shop_limit"]  # type: ignore[attr-defined]
    persetujuan = api.get(
        f"/api/v1/orders/{order.id}/documents/persetujuan", headers=s.officer_headers
    )
    from tests.orders.helpers import pdf_text

    assert "Catatan kepatuhan" in pdf_text(persetujuan.content)


def test_splitting_a_need_into_orders_under_the_threshold_is_flagged(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory, capacity=20_000)
    first = draft_order(db, s.agency, s.offer, s.need, 3_000)  # Rp45.000.000
    second = draft_order(db, s.agency, s.offer, s.need, 1_000)  # Rp15.000.000
    assert _approve(api, first.id, s.officer_headers)["flags"] == []
    flags = _approve(api, second.id, s.officer_headers)["flags"]
    assert [f["code"] for f in flags] == ["split_suspected"]  # type: ignore[attr-defined]
    assert first.code in flags[0]["message"]  # type: ignore[index]
    # Another category from the same supplier does not count.
    other_need = need(factory, s.agency, category="ATK", unit="rim")
    atk = factory.offer(s.supplier, category="ATK", unit="rim", unit_price=50_000)
    third = draft_order(db, s.agency, atk, other_need, 20)
    assert _approve(api, third.id, s.officer_headers)["flags"] == []


def test_idempotent_approval_replays_and_rejects_other_requests(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory)
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    headers = {**s.officer_headers, "Idempotency-Key": "setuju-1"}
    first = api.post(f"/api/v1/orders/{order.id}/approve", headers=headers)
    assert first.status_code == 200
    replay = api.post(f"/api/v1/orders/{order.id}/approve", headers=headers)
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert replay.headers["idempotent-replayed"] == "true"
    # Without the key the same request is a real second approval: a 409.
    assert (
        api.post(f"/api/v1/orders/{order.id}/approve", headers=s.officer_headers).status_code == 409
    )
    other = draft_order(db, s.agency, s.offer, s.need, 10)
    reused = api.post(f"/api/v1/orders/{other.id}/approve", headers=headers)
    assert reused.status_code == 422
    assert "Idempotency-Key" in reused.json()["detail"]


def test_idempotent_payment_different_body_is_422_and_in_progress_is_409(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory)
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    for action, who in (("approve", s.officer_headers), ("accept", s.supplier_headers)):
        assert api.post(f"/api/v1/orders/{order.id}/{action}", headers=who).status_code == 200
    api.post(f"/api/v1/orders/{order.id}/deliver", json={}, headers=s.supplier_headers)
    api.post(f"/api/v1/orders/{order.id}/receive", json={}, headers=s.officer_headers)
    headers = {**s.officer_headers, "Idempotency-Key": "bayar-1"}
    body = {"payment_date": "2030-01-02", "payment_reference": "SP2D-1"}
    url = f"/api/v1/orders/{order.id}/pay"
    assert api.post(url, json=body, headers=headers).status_code == 200
    changed = api.post(url, json={**body, "payment_reference": "SP2D-2"}, headers=headers)
    assert changed.status_code == 422
    # A first request still in progress (its record is there, not completed): 409.
    officer_id = db.scalar(
        select(IdempotencyRecord.user_id).where(IdempotencyRecord.key == "bayar-1")
    )
    db.add(
        IdempotencyRecord(
            user_id=officer_id,
            key="bayar-2",
            method="POST",
            path=url,
            request_hash=request_hash("POST", url, body),
            completed=False,
        )
    )
    db.commit()
    busy = api.post(url, json=body, headers={**s.officer_headers, "Idempotency-Key": "bayar-2"})
    assert busy.status_code == 409
    assert "sedang diproses" in busy.json()["detail"]


def test_failed_idempotent_request_can_be_retried_with_the_same_key(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory, capacity=50)
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    headers = {**s.officer_headers, "Idempotency-Key": "coba-lagi"}
    assert api.post(f"/api/v1/orders/{order.id}/approve", headers=headers).status_code == 409
    assert db.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == "coba-lagi")) is None
    db.execute(text("UPDATE offer SET capacity = 500 WHERE id = :id"), {"id": s.offer.id})
    db.commit()
    assert api.post(f"/api/v1/orders/{order.id}/approve", headers=headers).status_code == 200


def test_audit_records_who_changed_what_and_admin_reads_it(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory)
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    api.post(f"/api/v1/orders/{order.id}/approve", headers=s.officer_headers)
    entries = api.get(
        "/api/v1/audit",
        params={"entity": "order", "entity_id": order.id, "action": "update"},
        headers=s.admin_headers,
    ).json()["items"]
    approval = next(
        e
        for e in entries
        if {"op": "replace", "path": "/status", "value": "approved"} in e["patch"]
    )
    assert approval["actor_role"] == "officer"
    assert approval["before"]["status"] == "draft"
    reservations = api.get(
        "/api/v1/audit",
        params={"entity": "offer", "entity_id": s.offer.id, "action": "reserve"},
        headers=s.admin_headers,
    ).json()
    assert reservations["total"] == 1
    assert reservations["items"][0]["patch"][0]["path"] in ("/reserved_quantity", "/order")
    assert api.get("/api/v1/audit", headers=s.officer_headers).status_code == 403
    by_actor = api.get(
        "/api/v1/audit",
        params={"actor": approval["actor_email"], "since": "2000-01-01T00:00:00Z"},
        headers=s.admin_headers,
    ).json()
    assert by_actor["total"] >= 1
    assert all(e["actor_email"] == approval["actor_email"] for e in by_actor["items"])


def test_audit_entries_cannot_be_changed_through_the_api_or_the_database(
    api: TestClient, factory: Factory, db: Session
) -> None:
    _, admin = factory.login(Role.ADMIN)
    supplier = factory.supplier()
    entry = db.scalar(
        select(AuditEntry).where(
            AuditEntry.entity == "supplier", AuditEntry.entity_id == supplier.id
        )
    )
    assert entry is not None and entry.action == "insert"
    for method in ("DELETE", "PATCH", "PUT"):
        response = api.request(method, f"/api/v1/audit/{entry.id}", headers=admin, json={})
        assert response.status_code == 405, method
    assert api.delete("/api/v1/audit", headers=admin).status_code == 405
    for statement in (
        "UPDATE audit_entry SET action = 'forged' WHERE id = :id",
        "DELETE FROM audit_entry WHERE id = :id",
    ):
        savepoint = db.begin_nested()
        with pytest.raises(DatabaseError, match="append-only"):
            db.execute(text(statement), {"id": entry.id})
        savepoint.rollback()
    db.expire_all()
    assert db.get(AuditEntry, entry.id).action == "insert"  # type: ignore[union-attr]


def _aged_record(db: Session, user_key: str, *, completed: bool, age: timedelta) -> None:
    """Push a user's record with ``user_key`` back in time (or plant an unfinished one)."""
    record = db.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == user_key))
    assert record is not None
    record.created_at = record.created_at - age
    record.completed = completed
    db.commit()


def test_abandoned_first_request_does_not_block_its_key_forever(
    api: TestClient, factory: Factory, db: Session
) -> None:
    """The process died between claiming the key and answering: after the stale limit the
    retry goes through instead of hearing "sedang diproses" for ever."""
    s = scene(factory)
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    url = f"/api/v1/orders/{order.id}/approve"
    me = api.get("/api/v1/auth/me", headers=s.officer_headers).json()
    db.add(
        IdempotencyRecord(
            user_id=me["id"],
            key="mati-tengah-jalan",
            method="POST",
            path=url,
            request_hash=request_hash("POST", url, None),
            completed=False,
        )
    )
    db.commit()
    headers = {**s.officer_headers, "Idempotency-Key": "mati-tengah-jalan"}
    assert api.post(url, headers=headers).status_code == 409  # still fresh: in progress
    _aged_record(db, "mati-tengah-jalan", completed=False, age=timedelta(minutes=6))
    retried = api.post(url, headers=headers)
    assert retried.status_code == 200, retried.text
    assert "idempotent-replayed" not in retried.headers


def test_keys_are_free_again_after_the_retention_period(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory)
    first_order = draft_order(db, s.agency, s.offer, s.need, 10)
    second_order = draft_order(db, s.agency, s.offer, s.need, 20)
    headers = {**s.officer_headers, "Idempotency-Key": "harian-1"}
    first_url = f"/api/v1/orders/{first_order.id}/approve"
    assert api.post(first_url, headers=headers).status_code == 200
    second_url = f"/api/v1/orders/{second_order.id}/approve"
    assert api.post(second_url, headers=headers).status_code == 422  # key in use
    _aged_record(db, "harian-1", completed=True, age=timedelta(hours=25))
    assert api.post(second_url, headers=headers).status_code == 200
    rows = db.scalars(select(IdempotencyRecord).where(IdempotencyRecord.key == "harian-1")).all()
    assert [r.path for r in rows] == [second_url]
