"""One bad row per import rule: the report names file, spreadsheet row, column and reason,
the good row beside it is imported and the bad one is never written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.catalog.importer import ImportReport, import_catalogue
from matcher.catalog.tabular import read_path
from matcher.models import Agency, Offer, Supplier
from tests.catalog.conftest import (
    AGENCY_HEADER,
    GOOD_OFFER,
    GOOD_SUPPLIER,
    OFFER_HEADER,
    write_catalogue,
)
from tests.factories import Factory


def _import(db: Session, folder: Path) -> ImportReport:
    return import_catalogue(db, read_path(folder))


def _only_error(report: ImportReport) -> tuple[str, int, str, str]:
    assert len(report.rejected) == 1, report.rejected
    error = report.rejected[0]
    return error.file, error.row, error.column, error.reason


def _supplier(**fields: str) -> str:
    values = {
        "supplier_id": "S2",
        "name": "Usaha Dua",
        "nib": "9120000000002",
        "size_class": "kecil",
        "is_koperasi": "false",
        "region": "Temas",
        "kecamatan": "Batu",
        "is_local": "true",
        "verified": "true",
        "certs": "",
    }
    values.update(fields)
    return ",".join(values.values())


def _offer(**fields: str) -> str:
    values = {
        "offer_id": "O2",
        "supplier_id": "S1",
        "category": "BERAS",
        "name": "Beras premium",
        "unit": "kg",
        "unit_price": "12900",
        "capacity": "240",
        "min_order_qty": "10",
        "lead_time_days": "3",
    }
    values.update(fields)
    return ",".join(values.values())


SUPPLIER_RULES = [
    pytest.param({"name": ""}, "name", "wajib diisi", id="required-name"),
    pytest.param({"supplier_id": ""}, "supplier_id", "wajib diisi", id="required-id"),
    pytest.param({"nib": "912000000000"}, "nib", "13 digit", id="nib-12-digits"),
    pytest.param({"nib": "91200000000AB"}, "nib", "13 digit", id="nib-letters"),
    pytest.param({"size_class": "sedang"}, "size_class", "kelas usaha", id="size-class"),
    pytest.param({"is_koperasi": "mungkin"}, "is_koperasi", "boolean", id="bool-koperasi"),
    pytest.param({"is_local": "2"}, "is_local", "boolean", id="bool-local"),
    pytest.param({"verified": ""}, "verified", "wajib diisi", id="required-verified"),
    pytest.param({"certs": "HALAL;ISO9001"}, "certs", "sertifikat tidak dikenal", id="certs"),
    pytest.param({"region": "x" * 121}, "region", "terlalu panjang", id="region-length"),
]


@pytest.mark.parametrize(("fields", "column", "reason"), SUPPLIER_RULES)
def test_bad_supplier_row_is_rejected(
    db: Session, tmp_path: Path, fields: dict[str, str], column: str, reason: str
) -> None:
    report = _import(db, write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER, _supplier(**fields)]))
    file, row, got_column, got_reason = _only_error(report)
    assert (file, row, got_column) == ("suppliers.csv", 3, column)
    assert reason in got_reason
    assert report.inserted == 1
    assert report.exit_code == 1
    codes = set(db.scalars(select(Supplier.code).where(Supplier.code.in_(["S1", "S2"]))))
    assert codes == {"S1"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"is_koperasi": "YA", "is_local": "Tidak", "verified": "1"}, (True, False, True)),
        ({"is_koperasi": "TRUE", "is_local": "0", "verified": "false"}, (True, False, False)),
        ({"is_koperasi": "tidak", "is_local": "ya", "verified": "Ya"}, (False, True, True)),
    ],
)
def test_booleans_in_any_spelling_and_case(
    db: Session, tmp_path: Path, fields: dict[str, str], expected: tuple[bool, bool, bool]
) -> None:
    report = _import(db, write_catalogue(tmp_path, suppliers=[_supplier(**fields)]))
    assert report.rejected == []
    supplier = db.scalars(select(Supplier).where(Supplier.code == "S2")).one()
    assert (supplier.is_koperasi, supplier.is_local, supplier.is_verified) == expected


def test_certificates_any_case_with_spaces(db: Session, tmp_path: Path) -> None:
    report = _import(
        db, write_catalogue(tmp_path, suppliers=[_supplier(certs=" halal ; Pirt;s n i")])
    )
    assert report.rejected == []
    supplier = db.scalars(select(Supplier).where(Supplier.code == "S2")).one()
    assert sorted(c.type.value for c in supplier.certificates) == ["HALAL", "PIRT", "SNI"]
    assert {c.number for c in supplier.certificates} == {"IMPOR-HALAL", "IMPOR-PIRT", "IMPOR-SNI"}
    assert all(c.valid_until is None for c in supplier.certificates)


OFFER_RULES = [
    pytest.param({"name": ""}, "name", "wajib diisi", id="required-name"),
    pytest.param({"unit": " "}, "unit", "wajib diisi", id="required-unit"),
    pytest.param({"unit_price": '"15000,50"'}, "unit_price", "rupiah bulat", id="price-decimal"),
    pytest.param({"unit_price": "15000.5"}, "unit_price", "rupiah bulat", id="price-dot-decimal"),
    pytest.param({"unit_price": "lima ribu"}, "unit_price", "rupiah bulat", id="price-text"),
    pytest.param({"unit_price": "-15000"}, "unit_price", "rupiah bulat", id="price-negative"),
    pytest.param({"unit_price": "0"}, "unit_price", "lebih dari 0", id="price-zero"),
    pytest.param({"unit_price": '"15,000"'}, "unit_price", "rupiah bulat", id="price-comma"),
    pytest.param({"unit_price": "1.50.000"}, "unit_price", "rupiah bulat", id="price-bad-group"),
    pytest.param({"capacity": "-1"}, "capacity", ">= 0", id="capacity-negative"),
    pytest.param({"capacity": "12.5"}, "capacity", "bilangan bulat", id="capacity-decimal"),
    pytest.param({"min_order_qty": "0"}, "min_order_qty", ">= 1", id="min-order-zero"),
    pytest.param(
        {"capacity": "20", "min_order_qty": "25"}, "min_order_qty", "melebihi", id="min-over-cap"
    ),
    pytest.param({"lead_time_days": "-2"}, "lead_time_days", ">= 0", id="lead-time-negative"),
    pytest.param({"category": "MAKANAN"}, "category", "kategori tidak dikenal", id="category"),
    pytest.param({"supplier_id": "S404"}, "supplier_id", "S404 tidak ada", id="unknown-supplier"),
]


@pytest.mark.parametrize(("fields", "column", "reason"), OFFER_RULES)
def test_bad_offer_row_is_rejected(
    db: Session, tmp_path: Path, fields: dict[str, str], column: str, reason: str
) -> None:
    folder = write_catalogue(
        tmp_path, suppliers=[GOOD_SUPPLIER], offers=[GOOD_OFFER, _offer(**fields)]
    )
    report = _import(db, folder)
    file, row, got_column, got_reason = _only_error(report)
    assert (file, row, got_column) == ("offers.csv", 3, column)
    assert reason in got_reason
    assert report.as_dict()["rejected"] == [
        {"file": "offers.csv", "row": 3, "column": column, "reason": got_reason}
    ]
    assert (report.inserted, report.exit_code) == (2, 1)
    assert set(db.scalars(select(Offer.code).where(Offer.code.in_(["O1", "O2"])))) == {"O1"}


@pytest.mark.parametrize(
    ("text", "amount"),
    [("15000", 15_000), ("15.000", 15_000), ("Rp15.000", 15_000), ("Rp 15.000", 15_000)],
)
def test_indonesian_price_formats(db: Session, tmp_path: Path, text: str, amount: int) -> None:
    folder = write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER], offers=[_offer(unit_price=text)])
    assert _import(db, folder).rejected == []
    assert db.scalars(select(Offer.unit_price).where(Offer.code == "O2")).one() == amount


def test_zero_capacity_is_a_sold_out_offer(db: Session, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path, suppliers=[GOOD_SUPPLIER], offers=[_offer(capacity="0", min_order_qty="5")]
    )
    assert _import(db, folder).rejected == []


def test_all_errors_of_a_row_are_reported(db: Session, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path,
        suppliers=[GOOD_SUPPLIER],
        offers=[_offer(unit_price="murah", lead_time_days="-1")],
    )
    report = _import(db, folder)
    assert [(e.row, e.column) for e in report.rejected] == [
        (2, "unit_price"),
        (2, "lead_time_days"),
    ]
    assert report.rejected_rows == 1


def test_offer_of_supplier_in_database(db: Session, tmp_path: Path, factory: Factory) -> None:
    supplier = factory.supplier(code="DB-S1")
    folder = write_catalogue(tmp_path, offers=[_offer(supplier_id="DB-S1")])
    report = _import(db, folder)
    assert (report.inserted, report.rejected) == (1, [])
    offer = db.scalars(select(Offer).where(Offer.code == "O2")).one()
    assert offer.supplier_id == supplier.id


def test_repeated_id_rejects_the_later_row(db: Session, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path,
        suppliers=[GOOD_SUPPLIER],
        offers=[GOOD_OFFER, _offer(), _offer(name="Beras lagi")],
    )
    report = _import(db, folder)
    assert _only_error(report) == (
        "offers.csv",
        4,
        "offer_id",
        "offer_id O2 sudah dipakai di baris 3",
    )
    offer = db.scalars(select(Offer).where(Offer.code == "O2")).one()
    assert offer.name == "Beras premium"


def test_repeated_supplier_id_keeps_its_offers(db: Session, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path,
        suppliers=[GOOD_SUPPLIER, GOOD_SUPPLIER.replace("Usaha Satu", "Usaha Kembar")],
        offers=[GOOD_OFFER],
    )
    report = _import(db, folder)
    assert _only_error(report)[:3] == ("suppliers.csv", 3, "supplier_id")
    assert report.inserted == 2


def test_offers_of_a_rejected_supplier_are_rejected_with_its_reason(
    db: Session, tmp_path: Path
) -> None:
    folder = write_catalogue(
        tmp_path,
        suppliers=[GOOD_SUPPLIER, _supplier(nib="123")],
        offers=[GOOD_OFFER, _offer(supplier_id="S2"), _offer(offer_id="O3", supplier_id="S2")],
    )
    report = _import(db, folder)
    assert [(e.file, e.row, e.column) for e in report.rejected] == [
        ("suppliers.csv", 3, "nib"),
        ("offers.csv", 3, "supplier_id"),
        ("offers.csv", 4, "supplier_id"),
    ]
    reason = report.rejected[1].reason
    assert "S2 ditolak" in reason
    assert "suppliers.csv baris 3" in reason
    assert "NIB harus 13 digit" in reason
    assert report.inserted == 2
    assert (
        db.scalar(select(func.count()).select_from(Offer).where(Offer.supplier.has(code="S2"))) == 0
    )


def test_missing_column_makes_the_file_unreadable(db: Session, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path,
        suppliers=[GOOD_SUPPLIER],
        offers=["O1,S1,SNACK,Snack,kotak,15000,500,10"],
        offer_header=OFFER_HEADER.replace(",lead_time_days", ""),
    )
    report = _import(db, folder)
    assert _only_error(report) == (
        "offers.csv",
        1,
        "lead_time_days",
        "kolom wajib tidak ada pada baris judul",
    )
    assert (report.inserted, report.exit_code) == (1, 1)


def test_extra_columns_are_ignored_and_header_is_case_insensitive(
    db: Session, tmp_path: Path
) -> None:
    folder = write_catalogue(
        tmp_path,
        suppliers=[GOOD_SUPPLIER + ",Jl. Diponegoro 1,0812"],
        supplier_header="Supplier_ID,Name,NIB,size_class,is_koperasi,region,kecamatan,is_local,"
        "verified,certs,address,phone",
    )
    assert _import(db, folder).as_dict() == {
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
    }


def test_row_with_more_cells_than_header_is_rejected(db: Session, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path,
        suppliers=[GOOD_SUPPLIER],
        offers=["O1,S1,SNACK,Snack,kotak,15,000,500,10,2"],
    )
    file, row, column, reason = _only_error(_import(db, folder))
    assert (file, row, column) == ("offers.csv", 2, "")
    assert "lebih banyak" in reason


def test_agency_rules(db: Session, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path,
        agencies=[
            "A1,Dinas Satu,Rp 68.892.000,2026",
            "A2,Dinas Dua,0,",
            "A3,Dinas Tiga,banyak,2026",
            "A4,Dinas Empat,1000,1990",
            "A5,,1000,2026",
        ],
        agency_header=AGENCY_HEADER + ",fiscal_year",
    )
    report = _import(db, folder)
    assert [(e.row, e.column) for e in report.rejected] == [
        (4, "budget"),
        (5, "fiscal_year"),
        (6, "name"),
    ]
    agencies = {a.code: a for a in db.scalars(select(Agency).where(Agency.code.in_(["A1", "A2"])))}
    assert agencies["A1"].budget == 68_892_000
    assert agencies["A2"].budget == 0
    assert agencies["A1"].fiscal_year == 2026


def test_invalid_rows_leave_no_trace(db: Session, tmp_path: Path) -> None:
    before = db.scalar(select(func.count()).select_from(Supplier))
    folder = write_catalogue(
        tmp_path, suppliers=[_supplier(nib="1")], offers=[_offer(supplier_id="S2")]
    )
    report = _import(db, folder)
    assert report.inserted == 0
    assert db.scalar(select(func.count()).select_from(Supplier)) == before
