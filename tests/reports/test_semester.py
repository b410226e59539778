"""The semester report on the hand-computed scene: XLSX read back with openpyxl, PDF text,
the API download and the CLI."""

from __future__ import annotations

import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from matcher.dashboard.service import Period
from matcher.models import Complaint, Role
from matcher.reports.semester import Report, build_report, write_pdf, write_xlsx
from tests.dashboard.scene import TODAY, Scene, at, build_scene
from tests.factories import Factory
from tests.orders.helpers import pdf_text


@pytest.fixture
def scene(db: Session, factory: Factory) -> Scene:
    scene = build_scene(db, factory)
    db.add(
        Complaint(
            code="ADU-T-01",
            order_id=scene.orders["O2"].id,
            supplier_id=scene.s1.id,
            agency_id=scene.dik.id,
            filed_by_role=Role.OFFICER,
            subject="Snack box kurang 10 kotak",
            description="Diterima 40 dari 50",
            created_at=at(date(2026, 3, 7)),
        )
    )
    db.commit()
    return scene


@pytest.fixture
def report(db: Session, scene: Scene) -> Report:
    return build_report(db, Period.semester(2026, 1), today=TODAY)


def test_xlsx_sheets_and_values(report: Report) -> None:
    book = load_workbook(io.BytesIO(write_xlsx(report)))
    assert book.sheetnames == [
        "Ringkasan",
        "Perangkat Daerah",
        "Kategori",
        "Kecamatan",
        "Kelas Usaha",
        "Bulanan",
        "Penyedia",
        "Pengaduan",
        "Kebutuhan Tak Terpenuhi",
        "Pembayaran",
        "Integritas",
        "Sertifikat",
    ]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=5, values_only=True)}
    assert summary["Belanja terealisasi (Rp)"] == 80_000_000  # 79,8 M + O12 (1 May)
    assert summary["Belanja ke UMK dan koperasi (Rp)"] == 78_400_000
    assert summary["Porsi UMK dan koperasi"] == 78_400_000 / 80_000_000
    assert summary["Target porsi UMK dan koperasi"] == 0.4
    assert summary["Jumlah pesanan"] == 11
    assert summary["Pengaduan"] == 1
    # Shares go through the file's decimal text: compare them to 12 digits.
    agencies = [
        tuple(round(v, 12) if isinstance(v, float) else v for v in row)
        for row in book["Perangkat Daerah"].iter_rows(min_row=2, values_only=True)
    ]
    assert agencies == [
        (
            "UJI-KES",
            "Dinas Kesehatan Uji",
            71_800_000,
            70_200_000,
            round(70_200_000 / 71_800_000, 12),
            1_800_000,
            round(1_800_000 / 71_800_000, 12),
            4,
        ),
        (
            "UJI-DIK",
            "Dinas Pendidikan Uji",
            8_200_000,
            8_200_000,
            1.0,
            5_400_000,
            round(5_400_000 / 8_200_000, 12),
            7,
        ),
    ]
    months = [row[:3] for row in book["Bulanan"].iter_rows(min_row=2, values_only=True)]
    assert months[2:5] == [
        ("2026-03", "Maret 2026", 5_000_000),
        ("2026-04", "April 2026", 74_800_000),
        ("2026-05", "Mei 2026", 200_000),
    ]
    assert len(book["Bulanan"]._charts) == 2
    assert len(book["Perangkat Daerah"]._charts) == 1
    complaints = list(book["Pengaduan"].iter_rows(min_row=2, values_only=True))
    assert [(c[0], c[2], c[6]) for c in complaints] == [
        ("ADU-T-01", "SP-T-02", "Snack box kurang 10 kotak")
    ]
    unmet = [
        row[0] for row in book["Kebutuhan Tak Terpenuhi"].iter_rows(min_row=2, values_only=True)
    ]
    assert unmet[0] == "NASI_KOTAK"
    kinds = [row[0] for row in book["Integritas"].iter_rows(min_row=2, values_only=True)]
    assert kinds == ["rotation", "split", "price"]


def test_xlsx_guards_formula_like_names(report: Report) -> None:
    book = load_workbook(io.BytesIO(write_xlsx(report)))
    names = [row[1] for row in book["Penyedia"].iter_rows(min_row=2, values_only=True)]
    assert "'=PT Tiga Besar" in names
    assert "=PT Tiga Besar" not in names
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value[:1] in "=+@"), (sheet.title, value)


def test_pdf_has_the_expected_text(report: Report) -> None:
    content = write_pdf(report, compress=False)
    text = pdf_text(content)
    assert "LAPORAN PASAR SISTEMIK SEMESTER I 2026" in text
    assert "Periode 1 Januari 2026 s.d. 30 Juni 2026" in text
    assert "Rp80.000.000" in text
    assert "98,0%" in text  # UMK share 78,4 / 80
    for heading in (
        "Belanja per perangkat daerah",
        "Penyedia yang menerima pesanan",
        "Pengaduan",
        "Kebutuhan yang belum dapat dilayani penyedia lokal",
        "Kecepatan pembayaran",
        "Catatan integritas",
    ):
        assert heading in text
    assert "Snack box kurang 10 kotak" in text
    assert "=PT Tiga Besar" in text
    assert "tidak ada penyedia lokal terverifikasi" in text
    assert "UMKM Satu" in text
    assert content.count(b"/Subtype /Image") >= 2  # monthly and agency charts


def test_api_download_roles(client: TestClient, factory: Factory, scene: Scene) -> None:
    _, viewer = factory.login(Role.VIEWER)
    response = client.get(
        "/api/v1/reports/semester",
        params={"year": 2026, "half": 1, "format": "xlsx"},
        headers=viewer,
    )
    assert response.status_code == 200, response.text
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="laporan-pasar-sistemik-2026-01-01-2026-06-30.xlsx"'
    )
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Ringkasan"
    pdf = client.get(
        "/api/v1/reports/semester",
        params={"year": 2026, "half": 1, "format": "pdf"},
        headers=viewer,
    )
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    _, officer = factory.login(Role.OFFICER, agency_id=scene.dik.id)
    assert (
        client.get(
            "/api/v1/reports/semester", params={"year": 2026, "half": 1}, headers=officer
        ).status_code
        == 403
    )
    _, admin = factory.login(Role.ADMIN)
    assert (
        client.get(
            "/api/v1/reports/semester", params={"year": 2026, "half": 3}, headers=admin
        ).status_code
        == 422
    )
    assert (
        client.get(
            "/api/v1/reports/semester",
            params={"year": 2026, "half": 1, "format": "doc"},
            headers=admin,
        ).status_code
        == 422
    )
