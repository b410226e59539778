"""Documents: deterministic bytes, stored hash, tamper flag, verification codes. Complaints:
photo limits and roles."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matcher.models import AuditEntry, DocumentKind, Order, OrderDocument, Role, Supplier
from matcher.orders import documents
from tests.factories import Factory
from tests.orders.helpers import Scene, draft_order, pdf_text, scene

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _approved(api: TestClient, db: Session, s: Scene) -> Order:
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    assert api.post(f"/api/v1/orders/{order.id}/approve", headers=s.officer_headers).is_success
    db.expire_all()
    refreshed = db.get(Order, order.id)
    assert refreshed is not None
    return refreshed


def test_documents_are_deterministic_and_match_their_hash(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory)
    order = _approved(api, db, s)
    stored = db.scalar(
        select(OrderDocument).where(
            OrderDocument.order_id == order.id, OrderDocument.kind == DocumentKind.SURAT_PESANAN
        )
    )
    assert stored is not None
    again = documents.build(db, order, DocumentKind.SURAT_PESANAN)
    assert again.content == stored.content
    assert again.sha256 == stored.sha256
    assert len(stored.verification_code) == 12
    text = pdf_text(stored.content)
    assert "Terbilang: Satu juta lima ratus ribu rupiah" in text
    assert stored.content[:8] == b"%PDF-1.3" or stored.content.startswith(b"%PDF-")


def test_tampered_document_is_served_from_storage_and_flagged(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory)
    order = _approved(api, db, s)
    url = f"/api/v1/orders/{order.id}/documents/persetujuan"
    original = api.get(url, headers=s.officer_headers)
    assert original.headers["x-document-integrity"] == "ok"
    # The supplier's name changes behind the issued document.
    db.execute(update(Supplier).where(Supplier.id == s.supplier.id).values(name="Nama Lain"))
    db.commit()
    flagged = api.get(url, headers=s.officer_headers)
    assert flagged.headers["x-document-integrity"] == "mismatch"
    assert flagged.content == original.content
    alarm = db.scalar(select(AuditEntry).where(AuditEntry.action == "integrity_mismatch"))
    assert alarm is not None and alarm.entity == "order_document"
    code = original.headers["x-verification-code"]
    check = api.get(f"/api/v1/documents/verify/{code}").json()
    assert check["valid"] is True and check["matches_current_data"] is False
    assert api.get("/api/v1/documents/verify/AAAAAAAAAAAA").status_code == 404


def test_document_not_issued_yet_is_404(api: TestClient, factory: Factory, db: Session) -> None:
    s = scene(factory)
    order = _approved(api, db, s)
    response = api.get(f"/api/v1/orders/{order.id}/documents/pembayaran", headers=s.officer_headers)
    assert response.status_code == 404


def test_complaint_rules(api: TestClient, factory: Factory, db: Session) -> None:
    s = scene(factory)
    order = _approved(api, db, s)
    draft = draft_order(db, s.agency, s.offer, s.need, 5)
    body = {"order_id": order.id, "subject": "Terlambat", "description": "Belum dikirim"}
    _, stranger = factory.login(Role.OFFICER)
    assert api.post("/api/v1/complaints", json=body, headers=stranger).status_code == 404
    assert api.post("/api/v1/complaints", json=body, headers=s.admin_headers).status_code == 403
    on_draft = api.post(
        "/api/v1/complaints", json={**body, "order_id": draft.id}, headers=s.officer_headers
    )
    assert on_draft.status_code == 409
    wrong_ref = api.post(
        "/api/v1/complaints", json={**body, "document_refs": ["ZZZZ"]}, headers=s.supplier_headers
    )
    assert wrong_ref.status_code == 422
    complaint = api.post("/api/v1/complaints", json=body, headers=s.supplier_headers).json()
    assert complaint["filed_by_role"] == "supplier"
    assert len(complaint["document_refs"]) == 2
    photos = f"/api/v1/complaints/{complaint['id']}/photos"
    not_image = api.post(
        photos, files={"file": ("a.png", b"GIF89a....", "image/png")}, headers=s.supplier_headers
    )
    assert not_image.status_code == 415
    liar = api.post(
        photos, files={"file": ("a.png", JPEG, "image/png")}, headers=s.supplier_headers
    )
    assert liar.status_code == 415
    # Only the filer (or admin) attaches.
    ok = api.post(photos, files={"file": ("a.jpg", JPEG, "image/jpeg")}, headers=s.supplier_headers)
    assert ok.status_code == 201
    other = api.post(
        photos, files={"file": ("b.jpg", JPEG, "image/jpeg")}, headers=s.officer_headers
    )
    assert other.status_code == 403
    no_text = api.post(
        f"/api/v1/complaints/{complaint['id']}/reject", json={}, headers=s.admin_headers
    )
    assert no_text.status_code == 422
    rejected = api.post(
        f"/api/v1/complaints/{complaint['id']}/reject",
        json={"resolution": "Pesanan masih dalam jadwal"},
        headers=s.admin_headers,
    )
    assert rejected.json()["status"] == "rejected"
    again = api.post(f"/api/v1/complaints/{complaint['id']}/review", headers=s.admin_headers)
    assert again.status_code == 409 and again.json()["current_state"] == "rejected"


def test_photo_size_limit(
    api: TestClient, factory: Factory, db: Session, monkeypatch: object
) -> None:
    from matcher.config import get_settings

    s = scene(factory)
    order = _approved(api, db, s)
    complaint = api.post(
        "/api/v1/complaints",
        json={"order_id": order.id, "subject": "Rusak", "description": "Kemasan rusak"},
        headers=s.officer_headers,
    ).json()
    settings = get_settings()
    limit = settings.max_upload_bytes
    settings.max_upload_bytes = 1024
    try:
        big = api.post(
            f"/api/v1/complaints/{complaint['id']}/photos",
            files={"file": ("big.jpg", JPEG + b"\x00" * 2048, "image/jpeg")},
            headers=s.officer_headers,
        )
    finally:
        settings.max_upload_bytes = limit
    assert big.status_code == 413
