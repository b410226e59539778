"""Upserting: the shared example, idempotent re-import, updates with offer history and
verification events, certificates, xlsx/zip sources and the formula-injection guard."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.catalog.importer import ImportReport, import_catalogue
from matcher.catalog.tabular import read_bytes, read_path
from matcher.errors import RowErrors
from matcher.models import (
    Agency,
    CertificateType,
    ChangeSource,
    Offer,
    OfferHistory,
    Supplier,
    VerifiableEntity,
    VerificationEvent,
    VerificationStatus,
)
from tests.catalog.conftest import (
    AGENCY_HEADER,
    BATU_SMALL,
    GOOD_OFFER,
    GOOD_SUPPLIER,
    OFFER_HEADER,
    SUPPLIER_HEADER,
    write_catalogue,
)
from tests.factories import Factory


def _import(db: Session, path: Path) -> ImportReport:
    return import_catalogue(db, read_path(path))


def _events(db: Session, entity_type: VerifiableEntity, entity_id: int) -> list[VerificationEvent]:
    return list(
        db.scalars(
            select(VerificationEvent)
            .where(
                VerificationEvent.entity_type == entity_type,
                VerificationEvent.entity_id == entity_id,
            )
            .order_by(VerificationEvent.id)
        )
    )


def _copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "batu-small"
    shutil.copytree(BATU_SMALL, folder)
    return folder


def test_shared_example_imports_and_reimports_unchanged(db: Session, tmp_path: Path) -> None:
    folder = _copy_example(tmp_path)
    first = _import(db, folder)
    assert first.rejected == []
    assert (first.inserted, first.updated, first.unchanged) == (80 + 105 + 31, 0, 0)
    assert first.exit_code == 0
    s2 = db.scalars(select(Supplier).where(Supplier.code == "S00002")).one()
    assert s2.status == VerificationStatus.VERIFIED
    assert sorted(c.type.value for c in s2.certificates) == ["HALAL", "PIRT", "SLHS"]
    s1 = db.scalars(select(Supplier).where(Supplier.code == "S00001")).one()
    assert s1.status == VerificationStatus.PENDING
    offer = db.scalars(select(Offer).where(Offer.code == "O000002")).one()
    assert (offer.supplier_id, offer.unit_price, offer.status) == (
        s1.id,
        12_900,
        VerificationStatus.VERIFIED,
    )
    events = _events(db, VerifiableEntity.OFFER, offer.id)
    assert [(e.from_status, e.to_status, e.reason) for e in events] == [
        (None, VerificationStatus.VERIFIED, "impor katalog")
    ]

    second = _import(db, folder)
    assert second.as_dict() == {"inserted": 0, "updated": 0, "unchanged": 216, "rejected": []}
    assert db.scalars(select(OfferHistory).where(OfferHistory.offer_id == offer.id)).all() == []


def test_price_change_updates_offer_and_records_history(db: Session, tmp_path: Path) -> None:
    folder = _copy_example(tmp_path)
    _import(db, folder)
    offers = folder / "offers.csv"
    text = offers.read_text(encoding="utf-8")
    assert "O000002,S00001,BERAS,Beras S00001,kg,12900,240,10,10" in text
    offers.write_text(
        text.replace(
            "O000002,S00001,BERAS,Beras S00001,kg,12900,240,10,10",
            'O000002,S00001,BERAS,Beras S00001,kg,"Rp 13.500",300,10,10',
        ),
        encoding="utf-8",
    )
    report = _import(db, folder)
    assert report.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 215, "rejected": []}
    offer = db.scalars(select(Offer).where(Offer.code == "O000002")).one()
    db.refresh(offer)
    assert (offer.unit_price, offer.capacity) == (13_500, 300)
    history = db.scalars(select(OfferHistory).where(OfferHistory.offer_id == offer.id)).all()
    assert len(history) == 1
    assert history[0].source == ChangeSource.IMPORT
    assert history[0].changes == {"unit_price": [12_900, 13_500], "capacity": [240, 300]}
    assert offer.status == VerificationStatus.VERIFIED
    # And the same file again changes nothing more.
    assert _import(db, folder).unchanged == 216


def test_verified_column_moves_only_between_pending_and_verified(
    db: Session, tmp_path: Path, factory: Factory
) -> None:
    pending = factory.supplier(code="SP", status=VerificationStatus.PENDING)
    verified = factory.supplier(code="SV", status=VerificationStatus.VERIFIED)
    suspended = factory.supplier(code="SS", status=VerificationStatus.SUSPENDED)
    rejected = factory.supplier(code="SR", status=VerificationStatus.REJECTED)

    def line(supplier: Supplier, flag: str) -> str:
        return f"{supplier.code},{supplier.name},{supplier.nib},mikro,false,Sisir,Batu,true,{flag},"

    folder = write_catalogue(
        tmp_path,
        suppliers=[
            line(pending, "ya"),
            line(verified, "tidak"),
            line(suspended, "true"),
            line(rejected, "true"),
        ],
    )
    report = _import(db, folder)
    assert (report.updated, report.unchanged) == (2, 2)
    for supplier in (pending, verified, suspended, rejected):
        db.refresh(supplier)
    assert pending.status == VerificationStatus.VERIFIED
    assert verified.status == VerificationStatus.PENDING
    assert suspended.status == VerificationStatus.SUSPENDED
    assert rejected.status == VerificationStatus.REJECTED
    events = _events(db, VerifiableEntity.SUPPLIER, pending.id)
    assert [(e.from_status, e.to_status, e.reason) for e in events] == [
        (VerificationStatus.PENDING, VerificationStatus.VERIFIED, "impor katalog")
    ]
    assert _events(db, VerifiableEntity.SUPPLIER, suspended.id) == []


def test_new_supplier_status_is_recorded(db: Session, tmp_path: Path) -> None:
    _import(
        db,
        write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER.replace(",true,HALAL", ",false,HALAL")]),
    )
    supplier = db.scalars(select(Supplier).where(Supplier.code == "S1")).one()
    assert supplier.status == VerificationStatus.PENDING
    events = _events(db, VerifiableEntity.SUPPLIER, supplier.id)
    assert [(e.from_status, e.to_status, e.reason) for e in events] == [
        (None, VerificationStatus.PENDING, "impor katalog")
    ]


def test_supplier_field_change_is_an_update(db: Session, tmp_path: Path) -> None:
    _import(db, write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER]))
    report = _import(
        db, write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER.replace("mikro", "kecil")])
    )
    assert (report.updated, report.unchanged) == (1, 0)
    supplier = db.scalars(select(Supplier).where(Supplier.code == "S1")).one()
    db.refresh(supplier)
    assert supplier.size_class.value == "kecil"


def test_certificates_added_and_only_imported_ones_removed(
    db: Session, tmp_path: Path, factory: Factory
) -> None:
    supplier = factory.supplier(code="SC", certs=["BPOM"])
    base = f"SC,{supplier.name},{supplier.nib},mikro,false,Sisir,Batu,true,true,"
    report = _import(db, write_catalogue(tmp_path, suppliers=[base + "BPOM;HALAL;PIRT"]))
    assert report.updated == 1
    db.expire_all()
    assert sorted(c.type.value for c in supplier.certificates) == ["BPOM", "HALAL", "PIRT"]

    # HALAL dropped from the file: removed (the import created it); BPOM too, but it was
    # entered with its real number, so it stays.
    report = _import(db, write_catalogue(tmp_path, suppliers=[base + "PIRT"]))
    assert report.updated == 1
    db.expire_all()
    assert sorted(c.type.value for c in supplier.certificates) == ["BPOM", "PIRT"]
    bpom = next(c for c in supplier.certificates if c.type == CertificateType.BPOM)
    assert not bpom.number.startswith("IMPOR-")

    # Nothing left that an import may remove or add: unchanged.
    assert _import(db, write_catalogue(tmp_path, suppliers=[base + "PIRT"])).unchanged == 1


def test_offer_cannot_move_to_another_supplier(
    db: Session, tmp_path: Path, factory: Factory
) -> None:
    owner = factory.supplier(code="OWN")
    factory.offer(owner, code="OX")
    folder = write_catalogue(
        tmp_path, suppliers=[GOOD_SUPPLIER], offers=[GOOD_OFFER.replace("O1,S1", "OX,S1")]
    )
    report = _import(db, folder)
    assert [(e.file, e.row, e.column) for e in report.rejected] == [
        ("offers.csv", 2, "supplier_id")
    ]
    assert "milik penyedia OWN" in report.rejected[0].reason


def test_agency_update_keeps_fiscal_year_without_column(
    db: Session, tmp_path: Path, factory: Factory
) -> None:
    agency = factory.agency(code="AG1", fiscal_year=2025, budget=1_000)
    folder = write_catalogue(tmp_path, agencies=["AG1,Dinas Baru,2.000", "AG2,Dinas Dua,0"])
    report = _import(db, folder)
    assert (report.inserted, report.updated) == (1, 1)
    db.refresh(agency)
    assert (agency.name, agency.budget, agency.fiscal_year) == ("Dinas Baru", 2_000, 2025)
    new = db.scalars(select(Agency).where(Agency.code == "AG2")).one()
    assert new.fiscal_year >= 2026


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_workbook_with_typed_cells(db: Session, tmp_path: Path) -> None:
    data = _workbook(
        {
            "Petunjuk": [["Isi lembar suppliers dan offers"]],
            "suppliers": [
                SUPPLIER_HEADER.split(","),
                ["S1", "Usaha Satu", 9120000000001, "mikro", True, "Sisir", "Batu", "ya", 1, None],
            ],
            "Offers": [
                OFFER_HEADER.split(","),
                ["O1", "S1", "snack", "Snack box", "kotak", 15000, 500, 10, 2],
                [None, None, None, None, None, None, None, None, None],
                ["O2", "S1", "SNACK", "Snack besar", "kotak", 15000.5, 500, 10, 2],
            ],
        }
    )
    path = tmp_path / "katalog.xlsx"
    path.write_bytes(data)
    report = _import(db, path)
    assert report.as_dict() == {
        "inserted": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": [
            {
                "file": "Offers",
                "row": 4,
                "column": "unit_price",
                "reason": "bukan jumlah rupiah bulat: '15000.5'",
            }
        ],
    }
    offer = db.scalars(select(Offer).where(Offer.code == "O1")).one()
    assert (offer.category, offer.unit_price) == ("SNACK", 15_000)
    assert _import(db, path).unchanged == 2


def test_damaged_xlsx_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 bukan buku kerja")
    with pytest.raises(RowErrors) as raised:
        read_path(path)
    assert raised.value.errors[0].row == 0


def test_formula_guard_is_stripped_on_import(db: Session, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path,
        suppliers=["S1,'=HYPERLINK(1),9120000000001,mikro,true,Sisir,'-,true,true,"],
    )
    assert _import(db, folder).rejected == []
    supplier = db.scalars(select(Supplier).where(Supplier.code == "S1")).one()
    assert (supplier.name, supplier.kecamatan) == ("=HYPERLINK(1)", "-")


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_zip_of_csvs(db: Session) -> None:
    data = _zip(
        {
            "suppliers.csv": f"{SUPPLIER_HEADER}\n{GOOD_SUPPLIER}\n",
            "offers.csv": f"{OFFER_HEADER}\n{GOOD_OFFER}\n",
            "agencies.csv": f"{AGENCY_HEADER}\nA1,Dinas,1000\n",
            "policy.json": "{}",
        }
    )
    report = import_catalogue(db, read_bytes("katalog.zip", data))
    assert (report.inserted, report.rejected) == (3, [])


@pytest.mark.parametrize(
    "name", ["../suppliers.csv", "data/offers.csv", "/etc/suppliers.csv", "..\\offers.csv"]
)
def test_zip_entries_with_paths_are_refused(name: str) -> None:
    with pytest.raises(RowErrors) as raised:
        read_bytes("katalog.zip", _zip({name: f"{OFFER_HEADER}\n{GOOD_OFFER}\n"}))
    assert "tidak diizinkan" in raised.value.errors[0].reason


def test_non_utf8_csv_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "suppliers.csv").write_bytes(
        (SUPPLIER_HEADER + "\nS1,Usaha Kopi Robusta Ngaglik \xe9,").encode("latin-1")
    )
    with pytest.raises(RowErrors) as raised:
        read_path(tmp_path)
    assert "UTF-8" in raised.value.errors[0].reason


def test_bulk_inserted_rows_read_back_with_their_types(db: Session, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    _import(db, write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER], offers=[GOOD_OFFER]))
    offer = db.scalars(select(Offer).where(Offer.code == "O1")).one()
    created = offer.created_at.replace(tzinfo=offer.created_at.tzinfo or UTC)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)
    assert (offer.active, offer.version, offer.status) == (True, 1, VerificationStatus.VERIFIED)
    assert offer.supplier.size_class.value == "mikro"
    assert offer.supplier.is_koperasi is True


def test_import_leaves_one_audit_entry(db: Session, tmp_path: Path) -> None:
    from matcher.models.orders import AuditEntry

    _import(db, write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER], offers=[GOOD_OFFER, "bad"]))
    entries = db.scalars(select(AuditEntry).where(AuditEntry.entity == "catalog_import")).all()
    assert len(entries) == 1
    assert entries[0].action == "import"
    assert {"op": "add", "path": "/inserted", "value": 2} in entries[0].patch
