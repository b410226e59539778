"""The main page paths of each role, on the test transaction: officer (need form with field
errors, shortlist, plan approval, order approval, PDF), supplier (accept, deliver, offers,
certificate reminders), admin (verification, complaints, import, dashboard = service)."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.clock import today
from matcher.dashboard.service import Period, compute_dashboard
from matcher.models import (
    CertificateType,
    Complaint,
    ComplaintStatus,
    Need,
    NeedStatus,
    Order,
    OrderStatus,
    Role,
    VerificationStatus,
)
from matcher.money import format_rupiah
from tests.factories import Factory
from tests.orders.helpers import need, pdf_text, plan
from tests.web.conftest import csrf_of, field_errors, log_in


def _status_of(db: Session, order: Order) -> OrderStatus:
    """The order's status as stored now (read again: the page changed it)."""
    db.refresh(order)
    return order.status


def test_need_form_shows_indonesian_field_errors(
    web: TestClient, factory: Factory, db: Session
) -> None:
    officer = factory.user(Role.OFFICER)
    log_in(web, officer)
    form = web.get("/dinas/kebutuhan/baru")
    assert form.status_code == 200
    assert 'data-classify="/api/v1/classify"' in form.text
    assert '<label for="f-description">' in form.text
    token = csrf_of(form.text)
    response = web.post(
        "/dinas/kebutuhan/baru",
        data={
            "csrf_token": token,
            "description": "ok",
            "category": "SNACK",
            "quantity": "0",
            "max_unit_price": "lima ribu",
            "needed_by": "2020-01-01",
            "region": "Sisir",
            "action": "ajukan",
        },
    )
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert errors["description"] == "minimal 3 karakter"
    assert errors["quantity"] == "harus lebih dari 0"
    assert errors["max_unit_price"] == "harus bilangan bulat"
    assert 'aria-invalid="true"' in response.text
    # The service's own rule (date in the past) comes back next to its field too.
    past = web.post(
        "/dinas/kebutuhan/baru",
        data={
            "csrf_token": token,
            "description": "Snack box rapat",
            "category": "SNACK",
            "quantity": "100",
            "max_unit_price": "Rp15.000",
            "needed_by": (today() - timedelta(days=1)).isoformat(),
            "region": "Sisir",
        },
    )
    assert past.status_code == 422
    assert field_errors(past.text)["needed_by"] == "tidak boleh sebelum hari ini"
    assert db.scalar(select(Need).where(Need.agency_id == officer.agency_id)) is None


def test_officer_creates_need_and_sees_explained_shortlist(
    web: TestClient, factory: Factory, db: Session
) -> None:
    officer = factory.user(Role.OFFICER)
    good = factory.supplier(name="Snack Sisir Uji", certs=["HALAL", "PIRT"])
    factory.offer(good, name="Snack box isi 3", unit_price=14_000, capacity=300)
    expensive = factory.supplier(name="Snack Mahal Uji", certs=["HALAL", "PIRT"])
    factory.offer(expensive, name="Snack box premium", unit_price=40_000)
    log_in(web, officer)
    token = csrf_of(web.get("/dinas/kebutuhan/baru").text)
    created = web.post(
        "/dinas/kebutuhan/baru",
        data={
            "csrf_token": token,
            "description": "Snack box rapat koordinasi 150 kotak",
            "category": "SNACK",
            "quantity": "150",
            "max_unit_price": "Rp15.000",
            "needed_by": (today() + timedelta(days=10)).isoformat(),
            "region": "Sisir",
            "action": "ajukan",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    stored = db.scalar(select(Need).where(Need.agency_id == officer.agency_id))
    assert stored is not None
    assert stored.status == NeedStatus.SUBMITTED
    assert stored.max_unit_price == 15_000
    assert created.headers["location"] == f"/dinas/kebutuhan/{stored.id}"
    page = web.get(created.headers["location"])
    assert page.status_code == 200
    html = page.text
    assert "Daftar pendek penyedia" in html
    assert "Jalankan rencana" in html
    first, second = html.index("Snack Sisir Uji"), html.index("Snack Mahal Uji")
    assert first < second  # eligible first
    assert "Memenuhi syarat" in html and "Tidak memenuhi syarat" in html
    assert "Rincian skor" in html
    only = web.get(created.headers["location"], params={"memenuhi": "true"})
    assert "Snack Mahal Uji" not in only.text


def test_officer_approves_plan_then_order_and_downloads_pdf(
    web: TestClient, factory: Factory, db: Session
) -> None:
    agency = factory.agency(address="Jl. Panglima Sudirman 507")
    supplier = factory.supplier(name="UMKM Snack Sisir", bank_name="Bank Jatim")
    offer = factory.offer(supplier, unit_price=12_000)
    wanted = need(factory, agency, quantity=100)
    stored_plan = plan(factory, agency, [(wanted, offer, 100)])
    officer = factory.user(Role.OFFICER, agency_id=agency.id)
    log_in(web, officer)

    plan_page = web.get(f"/rencana/{stored_plan.id}")
    assert plan_page.status_code == 200
    assert "Setujui semua baris yang diusulkan" in plan_page.text
    assert format_rupiah(1_200_000) in plan_page.text
    approved = web.post(
        f"/rencana/{stored_plan.id}/setujui",
        data={"csrf_token": csrf_of(plan_page.text), "action": "semua"},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    order = db.scalar(select(Order).where(Order.plan_id == stored_plan.id))
    assert order is not None and order.status == OrderStatus.DRAFT
    assert approved.headers["location"] == f"/pesanan/{order.id}"

    detail = web.get(f"/pesanan/{order.id}")
    assert "Setujui pesanan" in detail.text
    assert "satu juta dua ratus ribu rupiah" in detail.text
    done = web.post(f"/pesanan/{order.id}/setujui", data={"csrf_token": csrf_of(detail.text)})
    assert done.status_code == 200
    assert "disetujui" in done.text
    assert _status_of(db, order) == OrderStatus.APPROVED
    link = re.search(r'href="(/pesanan/\d+/dokumen/surat_pesanan)"', done.text)
    assert link
    pdf = web.get(link.group(1))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert order.code in pdf_text(pdf.content)

    # Another agency's officer cannot see the order.
    log_in(web, factory.user(Role.OFFICER))
    assert web.get(f"/pesanan/{order.id}").status_code == 404


def test_supplier_accepts_and_delivers_and_keeps_catalogue(
    web: TestClient, factory: Factory, db: Session
) -> None:
    agency = factory.agency()
    supplier = factory.supplier(name="Kripik Bu Uji")
    offer = factory.offer(supplier, name="Kripik apel", unit_price=10_000, capacity=400)
    factory.certificate(
        supplier,
        type=CertificateType.PIRT,
        number="P-LAMA",
        valid_until=today() - timedelta(days=3),
    )
    factory.certificate(
        supplier,
        type=CertificateType.HALAL,
        number="H-SEGERA",
        valid_until=today() + timedelta(days=20),
    )
    wanted = need(factory, agency, quantity=50)
    stored_plan = plan(factory, agency, [(wanted, offer, 50)])
    admin = factory.user(Role.ADMIN)
    log_in(web, admin)
    page = web.get(f"/rencana/{stored_plan.id}")
    web.post(f"/rencana/{stored_plan.id}/setujui", data={"csrf_token": csrf_of(page.text)})
    order = db.scalar(select(Order).where(Order.plan_id == stored_plan.id))
    assert order is not None
    detail = web.get(f"/pesanan/{order.id}")
    web.post(f"/pesanan/{order.id}/setujui", data={"csrf_token": csrf_of(detail.text)})

    log_in(web, factory.user(Role.SUPPLIER, supplier_id=supplier.id))
    home = web.get("/penyedia")
    assert "Pengingat sertifikat" in home.text
    assert "Kedaluwarsa 3 hari lalu" in home.text
    assert "Kedaluwarsa dalam 20 hari" in home.text
    orders = web.get("/pesanan")
    assert order.code in orders.text
    detail = web.get(f"/pesanan/{order.id}")
    assert "Terima pesanan" in detail.text
    web.post(f"/pesanan/{order.id}/terima", data={"csrf_token": csrf_of(detail.text)})
    db.refresh(order)
    assert order.status == OrderStatus.ACCEPTED
    detail = web.get(f"/pesanan/{order.id}")
    line = order.lines[0]
    web.post(
        f"/pesanan/{order.id}/kirim",
        data={"csrf_token": csrf_of(detail.text), f"qty_{line.id}": "45", "note": "sisa menyusul"},
    )
    db.refresh(line)
    assert _status_of(db, order) == OrderStatus.DELIVERED
    assert line.quantity_delivered == 45

    offers = web.get("/penyedia/penawaran")
    assert "Kripik apel" in offers.text
    bad = web.post(
        f"/penyedia/penawaran/{offer.id}",
        data={
            "csrf_token": csrf_of(offers.text),
            "unit_price": "-5",
            "capacity": "400",
            "min_order_qty": "10",
            "lead_time_days": "1",
            "active": "1",
        },
    )
    assert bad.status_code == 422
    assert "harus lebih dari 0" in bad.text
    good = web.post(
        f"/penyedia/penawaran/{offer.id}",
        data={
            "csrf_token": csrf_of(offers.text),
            "unit_price": "Rp11.000",
            "capacity": "400",
            "min_order_qty": "10",
            "lead_time_days": "1",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    db.refresh(offer)
    assert (offer.unit_price, offer.active) == (11_000, False)

    certs = web.get("/penyedia/sertifikat")
    added = web.post(
        "/penyedia/sertifikat",
        data={
            "csrf_token": csrf_of(certs.text),
            "type": "PIRT",
            "number": "P-BARU",
            "valid_until": (today() + timedelta(days=900)).isoformat(),
        },
        follow_redirects=True,
    )
    assert "P-BARU" in added.text
    assert "Menunggu verifikasi tim pengelola" in added.text
    # Another supplier's offer reads as absent.
    other = factory.offer(factory.supplier())
    assert (
        web.post(
            f"/penyedia/penawaran/{other.id}",
            data={"csrf_token": csrf_of(certs.text), "unit_price": "1"},
        ).status_code
        == 404
    )


def test_admin_verifies_handles_complaints_and_sees_dashboard(
    web: TestClient, factory: Factory, db: Session
) -> None:
    pending = factory.supplier(name="Koperasi Menunggu Uji", status=VerificationStatus.PENDING)
    log_in(web, factory.user(Role.ADMIN))
    queue = web.get("/admin/verifikasi")
    assert "Koperasi Menunggu Uji" in queue.text
    token = csrf_of(queue.text)
    refused = web.post(
        f"/admin/verifikasi/penyedia/{pending.id}",
        data={"csrf_token": token, "action": "reject"},
        follow_redirects=True,
    )
    assert "Alasan wajib diisi" in refused.text
    web.post(
        f"/admin/verifikasi/penyedia/{pending.id}", data={"csrf_token": token, "action": "verify"}
    )
    db.refresh(pending)
    assert pending.status == VerificationStatus.VERIFIED

    # A certificate a supplier uploaded waits in the same queue.
    uploaded = factory.certificate(
        factory.supplier(name="UMKM Sertifikat Baru"),
        type=CertificateType.HALAL,
        number="ID-HALAL-UJI-1",
        status=VerificationStatus.PENDING,
    )
    queue = web.get("/admin/verifikasi")
    assert "ID-HALAL-UJI-1" in queue.text
    assert "1</span> sertifikat menunggu verifikasi" in web.get("/admin").text
    done = web.post(
        f"/admin/verifikasi/sertifikat/{uploaded.id}",
        data={"csrf_token": csrf_of(queue.text), "action": "verify"},
        follow_redirects=True,
    )
    assert "Sertifikat HALAL ID-HALAL-UJI-1 diverifikasi." in done.text
    db.refresh(uploaded)
    assert uploaded.status == VerificationStatus.VERIFIED

    # A complaint filed by the agency on an approved order.
    agency = factory.agency()
    supplier = factory.supplier()
    offer = factory.offer(supplier)
    stored_plan = plan(factory, agency, [(need(factory, agency, quantity=20), offer, 20)])
    page = web.get(f"/rencana/{stored_plan.id}")
    web.post(f"/rencana/{stored_plan.id}/setujui", data={"csrf_token": csrf_of(page.text)})
    order = db.scalar(select(Order).where(Order.plan_id == stored_plan.id))
    assert order is not None
    web.post(f"/pesanan/{order.id}/setujui", data={"csrf_token": token})
    officer = factory.user(Role.OFFICER, agency_id=agency.id)
    log_in(web, officer)
    detail = web.get(f"/pesanan/{order.id}")
    filed = web.post(
        f"/pesanan/{order.id}/pengaduan",
        data={
            "csrf_token": csrf_of(detail.text),
            "subject": "Kemasan rusak",
            "description": "Sepuluh kotak penyok",
        },
    )
    complaint = db.scalar(select(Complaint).where(Complaint.order_id == order.id))
    assert complaint is not None, re.findall(r"role=\"(?:status|alert)\"[^>]*>([^<]+)", filed.text)

    log_in(web, factory.user(Role.ADMIN))
    complaints = web.get("/admin/pengaduan")
    assert "Kemasan rusak" in complaints.text
    web.post(
        f"/admin/pengaduan/{complaint.id}",
        data={
            "csrf_token": csrf_of(complaints.text),
            "action": "resolve",
            "resolution": "Diganti penyedia",
        },
    )
    db.refresh(complaint)
    assert complaint.status == ComplaintStatus.RESOLVED

    day = today()
    dashboard = web.get("/admin/dasbor")
    assert dashboard.status_code == 200
    expected = compute_dashboard(db, Period.year(day.year), today=day)
    assert expected.total_spend == order.total_amount
    shown = re.search(r'data-figure="total_spend">([^<]+)<', dashboard.text)
    assert shown and shown.group(1) == format_rupiah(expected.total_spend)
    assert "<svg" in dashboard.text
    assert "/admin/laporan" in dashboard.text
    report = web.get(
        "/admin/laporan",
        params={"year": day.year, "half": 1 if day.month <= 6 else 2, "format": "pdf"},
    )
    assert report.status_code == 200
    assert report.content.startswith(b"%PDF-")


def test_admin_import_form_reports_rows(web: TestClient, factory: Factory) -> None:
    log_in(web, factory.user(Role.ADMIN))
    page = web.get("/admin/impor")
    assert '<input id="f-file" name="file" type="file"' in page.text
    response = web.post(
        "/admin/impor",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("suppliers.csv", b"code,name\nX1,Nama\n", "text/csv")},
    )
    assert "Hasil impor" in response.text or "notice error" in response.text
    missing = web.post("/admin/impor", data={"csrf_token": csrf_of(page.text)})
    assert missing.status_code == 422


def test_planner_sees_plans_and_dashboard(web: TestClient, factory: Factory) -> None:
    agency = factory.agency()
    offer = factory.offer()
    stored_plan = plan(factory, agency, [(need(factory, agency), offer, 10)])
    log_in(web, factory.user(Role.PLANNER))
    home = web.get("/perencana")
    assert home.status_code == 200
    assert f"/rencana/{stored_plan.id}" in home.text
    detail = web.get(f"/rencana/{stored_plan.id}")
    assert detail.status_code == 200
    assert "Setujui semua" not in detail.text  # planners read, officers approve
    assert web.get("/admin/dasbor").status_code == 200
    assert (
        web.post(
            f"/rencana/{stored_plan.id}/setujui", data={"csrf_token": csrf_of(home.text)}
        ).status_code
        == 403
    )
