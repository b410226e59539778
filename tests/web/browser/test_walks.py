"""Browser walks of each role's main path in a real Chromium against a real server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from matcher.clock import today
from matcher.dashboard.service import Period, compute_dashboard
from matcher.db import unit_of_work
from matcher.demo.data import DEMO_PASSWORD
from matcher.demo.load import demo_password_hash
from matcher.models import Order, OrderStatus, Role, Supplier, User, VerificationStatus
from matcher.money import format_rupiah
from tests.orders.helpers import pdf_text
from tests.web.browser.conftest import LAPTOP, PHONE, LiveServer
from web.templating import persen

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

OFFICER = "pengadaan.dinkes@demo.batukota.go.id"
ADMIN = "admin@demo.batukota.go.id"
PLANNER = "perencana@demo.batukota.go.id"
TIMEOUT = 20_000


def _page(browser: Any, server: LiveServer, viewport: dict[str, int]) -> Any:
    context = browser.new_context(
        base_url=server.url, viewport=viewport, locale="id-ID", accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT)
    return context.new_page()


def _log_in(page: Any, email: str) -> None:
    page.goto("/masuk")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/masuk" not in page.url, page.content()[:2000]


def _shoot(page: Any, server: LiveServer, name: str) -> Path:
    path = server.screenshots / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


@pytest.fixture(scope="module")
def officer_order(browser: Any, live_server: LiveServer) -> dict[str, Any]:
    """The officer's walk; later walks use the order it approved."""
    page = _page(browser, live_server, PHONE)
    _log_in(page, OFFICER)
    page.goto("/dinas/kebutuhan/baru")
    page.get_by_label("Uraian kebutuhan").press_sequentially(
        "snek box 120 pax utk rapat koordinasi", delay=15
    )
    suggestion = page.locator("#saran button.suggestion").first
    suggestion.wait_for()
    assert suggestion.get_attribute("data-category") == "SNACK"
    suggestion.click()
    assert page.locator("#f-category").input_value() == "SNACK"
    page.locator("#saran button.fill-quantity").click()
    assert page.locator("#f-quantity").input_value() == "120"
    page.get_by_label("HPS per satuan (Rp)").fill("25.000")
    page.locator("#f-region").select_option("Sisir")
    _shoot(page, live_server, "officer-need-form-phone")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    page.get_by_role("heading", name="Daftar pendek penyedia").wait_for()
    assert page.locator("#shortlist .entry").count() > 0
    assert "Memenuhi syarat" in page.locator("#shortlist .entry").first.inner_text()
    page.get_by_role("button", name="Jalankan rencana").click()
    approve = page.get_by_role("button", name="Setujui semua baris yang diusulkan")
    approve.wait_for(timeout=60_000)  # the page polls, then reloads when the run ends
    approve.click()
    page.wait_for_load_state()
    if "/pesanan?" in page.url:  # several suppliers: several draft orders
        page.locator("main table a").first.click()
    page.get_by_role("button", name="Setujui pesanan").click()
    page.get_by_text("Surat Pesanan dan Bukti Persetujuan terbit").wait_for()
    code = re.search(r"Pesanan (\S+)", page.locator("h1").inner_text())
    assert code
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh Surat Pesanan (PDF)").click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    assert code.group(1) in pdf_text(content)
    _shoot(page, live_server, "officer-order-phone")
    order_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.context.close()
    return {"order_id": order_id, "code": code.group(1)}


def test_officer_need_to_approved_order_with_pdf(officer_order: dict[str, Any]) -> None:
    with unit_of_work() as session:
        order = session.get_one(Order, officer_order["order_id"])
        assert order.status == OrderStatus.APPROVED
        assert order.code == officer_order["code"]


def test_supplier_accepts_the_order(
    browser: Any, live_server: LiveServer, officer_order: dict[str, Any]
) -> None:
    email = "penyedia.uji@demo.umkm.id"
    with unit_of_work() as session:
        order = session.get_one(Order, officer_order["order_id"])
        session.add(
            User(
                email=email,
                full_name="Penyedia uji",
                hashed_password=demo_password_hash(),
                role=Role.SUPPLIER,
                supplier_id=order.supplier_id,
            )
        )
    page = _page(browser, live_server, PHONE)
    _log_in(page, email)
    page.goto("/pesanan")
    page.get_by_role("link", name=officer_order["code"]).click()
    _shoot(page, live_server, "supplier-order-phone")
    page.get_by_role("button", name="Terima pesanan").click()
    page.get_by_text("Silakan siapkan pengiriman").wait_for()
    page.goto("/penyedia/sertifikat")
    page.get_by_role("heading", name=re.compile("^Sertifikat")).first.wait_for()
    page.context.close()
    with unit_of_work() as session:
        assert session.get_one(Order, officer_order["order_id"]).status == OrderStatus.ACCEPTED


def test_admin_verifies_and_dashboard_equals_database(
    browser: Any, live_server: LiveServer, officer_order: dict[str, Any]
) -> None:
    page = _page(browser, live_server, LAPTOP)
    _log_in(page, ADMIN)
    page.goto("/admin/verifikasi")
    card = page.locator("article[id^=penyedia-]").first
    supplier_id = int((card.get_attribute("id") or "").split("-")[1])
    card.get_by_role("button", name=re.compile("^Verifikasi")).click()
    page.get_by_text("diverifikasi").first.wait_for()
    with unit_of_work() as session:
        assert session.get_one(Supplier, supplier_id).status == VerificationStatus.VERIFIED

    page.goto("/admin/dasbor")
    day = today()
    with unit_of_work() as session:
        expected = compute_dashboard(session, Period.year(day.year), today=day)
        assert session.scalar(select(Order.id).where(Order.id == officer_order["order_id"]))
    assert expected.total_spend > 0

    def shown(name: str) -> str:
        return str(page.locator(f"[data-figure={name}]").first.inner_text()).strip()

    assert shown("total_spend") == format_rupiah(expected.total_spend)
    assert shown("umk_share") == persen(expected.umk_share)
    assert shown("local_share") == persen(expected.local_share)
    assert shown("distinct_umk_suppliers") == str(expected.distinct_umk_suppliers)
    rows = page.locator("#tabel-perangkat tbody tr")
    assert rows.count() == len(expected.by_agency)
    assert int(rows.first.locator("[data-spend]").get_attribute("data-spend") or 0) == (
        expected.by_agency[0].spend
    )
    _shoot(page, live_server, "admin-dashboard-laptop")
    page.set_viewport_size(PHONE)
    _shoot(page, live_server, "admin-dashboard-phone")
    page.context.close()


def test_planner_sees_the_plans(
    browser: Any, live_server: LiveServer, officer_order: dict[str, Any]
) -> None:
    page = _page(browser, live_server, PHONE)
    _log_in(page, PLANNER)
    assert page.url.endswith("/perencana")
    assert page.locator("main table a[href^='/rencana/']").count() >= 1
    _shoot(page, live_server, "planner-phone")
    page.context.close()


def test_public_catalogue_without_login(browser: Any, live_server: LiveServer) -> None:
    page = _page(browser, live_server, PHONE)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_role("link", name="Lihat katalog terverifikasi").click()
    page.get_by_label("Kategori").select_option("SNACK")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(r"kategori=SNACK"))
    categories = page.locator("main tbody td[data-label=Kategori]").all_inner_texts()
    assert categories
    assert set(categories) == {"Kue dan snack box"}
    _shoot(page, live_server, "public-catalogue-phone")
    page.set_viewport_size(LAPTOP)
    _shoot(page, live_server, "public-catalogue-laptop")
    page.context.close()
