"""End to end through the API with role tokens: a need, its plan approved into an order,
approved, accepted, partly delivered, received, paid, closed; a complaint filed with the
order's documents and a photo, reviewed and resolved. Each document's content is checked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.clock import today
from matcher.models import Agency, AuditEntry, Need, NeedStatus, Offer, Role
from tests.factories import Factory
from tests.orders.helpers import pdf_text, plan

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_need_to_closed_order_and_resolved_complaint(
    api: TestClient, factory: Factory, db: Session
) -> None:
    agency = factory.agency(
        name="Dinas Pendidikan", budget=100_000_000, address="Jl. Sultan Agung 1, Kota Batu"
    )
    supplier = factory.supplier(
        name="Koperasi Merah Putih Sisir",
        is_koperasi=True,
        address="Jl. Diponegoro 12",
        bank_name="Bank Jatim",
        bank_account_number="0011223344",
        bank_account_name="Koperasi Merah Putih Sisir",
        certs=["HALAL", "PIRT"],
    )
    offer = factory.offer(supplier, name="Snack box isi 4", unit_price=12_500, capacity=300)
    _, officer_h = factory.login(Role.OFFICER, agency_id=agency.id, full_name="Sri Wahyuni")
    _, supplier_h = factory.login(Role.SUPPLIER, supplier_id=supplier.id)
    _, admin_h = factory.login(Role.ADMIN)

    # 1. The officer records and submits the need.
    need = _ok(
        api.post(
            "/api/v1/needs",
            json={
                "category": "SNACK",
                "description": "Snack box rapat koordinasi guru",
                "quantity": 100,
                "max_unit_price": 15_000,
                "needed_by": (today() + timedelta(days=10)).isoformat(),
                "region": "Sisir",
                "submit": True,
            },
            headers=officer_h,
        ),
        201,
    )
    need_row = db.get(Need, need["id"])
    assert need_row is not None
    # 2. The planner's run proposes the offer for the whole need.
    need_row.status = NeedStatus.PLANNED
    db.commit()
    plan_row = plan(factory, agency, [(need_row, offer, 100)])

    # 3. The officer approves the plan: one draft order.
    approval = _ok(
        api.post(f"/api/v1/plans/{plan_row.id}/approval", json={}, headers=officer_h), 201
    )
    assert approval["approved_line_ids"] == [plan_row.lines[0].id]
    (order,) = approval["orders"]
    assert order["status"] == "draft"
    assert order["total_amount"] == 1_250_000
    assert order["total_in_words"] == "satu juta dua ratus lima puluh ribu rupiah"
    assert order["delivery_place"] == "Jl. Sultan Agung 1, Kota Batu"
    order_id = order["id"]
    # The supplier does not see drafts.
    assert api.get(f"/api/v1/orders/{order_id}", headers=supplier_h).status_code == 404

    # 4. Approval reserves capacity and budget and issues two documents.
    order = _ok(api.post(f"/api/v1/orders/{order_id}/approve", headers=officer_h))
    assert order["status"] == "approved"
    assert order["flags"] == []
    assert {d["kind"] for d in order["documents"]} == {"surat_pesanan", "persetujuan"}
    db.expire_all()
    assert db.get(Offer, offer.id).reserved_quantity == 100  # type: ignore[union-attr]
    assert db.get(Agency, agency.id).committed_amount == 1_250_000  # type: ignore[union-attr]
    assert db.get(Need, need["id"]).status == NeedStatus.ORDERED  # type: ignore[union-attr]

    sp = api.get(f"/api/v1/orders/{order_id}/documents/surat_pesanan", headers=supplier_h)
    assert sp.status_code == 200
    assert sp.headers["content-type"] == "application/pdf"
    assert sp.headers["x-document-integrity"] == "ok"
    text = pdf_text(sp.content)
    for expected in (
        "SURAT PESANAN",
        "PEMERINTAH KOTA BATU",
        "DINAS PENDIDIKAN",
        "Koperasi Merah Putih Sisir",
        f"NIB: {supplier.nib}",
        "Jl. Diponegoro 12",
        "Snack box isi 4",
        "Rp12.500",
        "Rp1.250.000",
        "Satu juta dua ratus lima puluh ribu rupiah",
        "Tempat pengiriman: Jl. Sultan Agung 1, Kota Batu",
        f"Nomor: SP/{order['code']}",
    ):
        assert expected in text, expected
    codes = {d["kind"]: d["verification_code"] for d in order["documents"]}
    assert f"Kode verifikasi: {codes['surat_pesanan']}" in text
    persetujuan = pdf_text(
        api.get(f"/api/v1/orders/{order_id}/documents/persetujuan", headers=officer_h).content
    )
    assert "BUKTI PERSETUJUAN PEMESANAN" in persetujuan
    assert "oleh Sri Wahyuni" in persetujuan
    assert codes["persetujuan"] in persetujuan

    # 5. The supplier accepts and delivers 90 of 100; the officer confirms 90 received.
    assert (
        _ok(api.post(f"/api/v1/orders/{order_id}/accept", headers=supplier_h))["status"]
        == "accepted"
    )
    line_id = order["lines"][0]["id"]
    delivered = _ok(
        api.post(
            f"/api/v1/orders/{order_id}/deliver",
            json={"lines": [{"line_id": line_id, "quantity": 90}], "note": "Kurang 10 kotak"},
            headers=supplier_h,
        )
    )
    assert delivered["status"] == "delivered"
    received = _ok(api.post(f"/api/v1/orders/{order_id}/receive", json={}, headers=officer_h))
    assert received["lines"][0]["quantity_received"] == 90
    bast = pdf_text(
        api.get(f"/api/v1/orders/{order_id}/documents/pengiriman", headers=officer_h).content
    )
    for expected in (
        "BUKTI PENGIRIMAN / BERITA ACARA SERAH TERIMA",
        "Total nilai diterima",
        "Rp1.125.000",
        "Satu juta seratus dua puluh lima ribu rupiah",
        "Catatan: Kurang 10 kotak",
        "oleh Sri Wahyuni",
    ):
        assert expected in bast, expected

    # 6. Payment (idempotent) and closing.
    payment = {"payment_date": today().isoformat(), "payment_reference": "SP2D-2026-0042"}
    paid = _ok(
        api.post(
            f"/api/v1/orders/{order_id}/pay",
            json=payment,
            headers={**officer_h, "Idempotency-Key": "bayar-42"},
        )
    )
    assert paid["status"] == "paid"
    assert paid["paid_amount"] == 1_125_000
    bp = pdf_text(
        api.get(f"/api/v1/orders/{order_id}/documents/pembayaran", headers=supplier_h).content
    )
    for expected in (
        "BUKTI PEMBAYARAN",
        "Referensi pembayaran: SP2D-2026-0042",
        "Jumlah dibayar: Rp1.125.000",
        "Satu juta seratus dua puluh lima ribu rupiah",
        "Rekening penyedia: Bank Jatim / 0011223344 / Koperasi Merah Putih Sisir",
    ):
        assert expected in bp, expected
    closed = _ok(api.post(f"/api/v1/orders/{order_id}/close", headers=officer_h))
    assert closed["status"] == "closed"
    db.expire_all()
    # The 10 undelivered units and the unpaid Rp125.000 are released.
    assert db.get(Offer, offer.id).reserved_quantity == 90  # type: ignore[union-attr]
    assert db.get(Agency, agency.id).committed_amount == 1_125_000  # type: ignore[union-attr]
    assert db.get(Need, need["id"]).status == NeedStatus.FULFILLED  # type: ignore[union-attr]

    # 7. The agency files a complaint with the documents and a photo; admin resolves it.
    complaint = _ok(
        api.post(
            "/api/v1/complaints",
            json={
                "order_id": order_id,
                "subject": "Kemasan rusak",
                "description": "Sepuluh kotak tidak dikirim dan lima kotak penyok",
            },
            headers=officer_h,
        ),
        201,
    )
    all_codes = {d["verification_code"] for d in closed["documents"]}
    assert set(complaint["document_refs"]) == all_codes
    assert len(all_codes) == 4
    photo = _ok(
        api.post(
            f"/api/v1/complaints/{complaint['id']}/photos",
            files={"file": ("kemasan.png", PNG, "image/png")},
            headers=officer_h,
        ),
        201,
    )
    assert photo["content_type"] == "image/png"
    image = api.get(f"/api/v1/complaints/{complaint['id']}/photos/{photo['id']}", headers=admin_h)
    assert image.content == PNG
    # The supplier sees the complaint; only admin handles it.
    assert api.get(f"/api/v1/complaints/{complaint['id']}", headers=supplier_h).status_code == 200
    assert (
        api.post(f"/api/v1/complaints/{complaint['id']}/review", headers=officer_h).status_code
        == 403
    )
    assert (
        _ok(api.post(f"/api/v1/complaints/{complaint['id']}/review", headers=admin_h))["status"]
        == "in_review"
    )
    resolved = _ok(
        api.post(
            f"/api/v1/complaints/{complaint['id']}/resolve",
            json={"resolution": "Penyedia mengganti lima kotak; pembayaran sesuai BAST"},
            headers=admin_h,
        )
    )
    assert resolved["status"] == "resolved"
    assert len(resolved["attachments"]) == 1

    # 8. Printed codes verify publicly; every step is in the audit log.
    check = _ok(api.get(f"/api/v1/documents/verify/{codes['surat_pesanan']}"))
    assert check["valid"] and check["matches_current_data"]
    assert check["order_code"] == order["code"]
    actions = [
        (e.actor_role, e.action)
        for e in db.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "order", AuditEntry.entity_id == order_id)
            .order_by(AuditEntry.id)
        )
    ]
    assert actions[0] == ("officer", "insert")
    roles = [role for role, _ in actions]
    assert "supplier" in roles and "officer" in roles
    audit = _ok(
        api.get(
            "/api/v1/audit",
            params={"entity": "complaint", "entity_id": complaint["id"]},
            headers=admin_h,
        )
    )
    assert [e["actor_role"] for e in audit["items"]][::-1][:1] == ["officer"]
    assert any(
        op["path"] == "/status" and op["value"] == "resolved"
        for e in audit["items"]
        for op in e["patch"]
    )
