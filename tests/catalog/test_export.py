"""Catalogue export: the spec's columns only, the formula-injection guard, what is resolved
on the export day, and export -> import changing nothing."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import matcher.cli.catalog  # noqa: F401  (registers the commands)
from matcher.catalog.export import export_catalogue
from matcher.catalog.importer import import_catalogue
from matcher.catalog.tabular import COLUMNS, KINDS, guard, read_path, unguard
from matcher.cli.app import app
from matcher.models import CertificateType, VerificationStatus
from tests.catalog.conftest import BATU_SMALL
from tests.factories import Factory

TODAY = date(2026, 1, 5)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("value", "guarded"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+62 812", "'+62 812"),
        ("-5+3", "'-5+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("-", "-"),
        ("Usaha Biasa", "Usaha Biasa"),
        ("", ""),
    ],
)
def test_guard_and_unguard(value: str, guarded: str) -> None:
    assert guard(value) == guarded
    assert unguard(guard(value)) == value


def test_export_writes_spec_columns_guarded_and_resolved_today(
    db: Session, tmp_path: Path, factory: Factory
) -> None:
    supplier = factory.supplier(code="ZZ-S1", name="=cmd|' /C calc'!A0", kecamatan="-")
    factory.certificate(supplier, type=CertificateType.HALAL, valid_until=date(2025, 12, 31))
    factory.certificate(supplier, type=CertificateType.PIRT, valid_until=None)
    factory.certificate(supplier, type=CertificateType.SLHS, valid_until=date(2027, 1, 1))
    factory.offer(supplier, code="ZZ-O1", name="@Snack", unit_price=15_000)
    factory.offer(supplier, code="ZZ-O2", status=VerificationStatus.PENDING)
    factory.offer(supplier, code="ZZ-O3", active=False)
    factory.agency(code="ZZ-A1", name="+Dinas", budget=0)

    written = export_catalogue(db, tmp_path / "out", today=TODAY)
    assert set(written) == {"suppliers.csv", "offers.csv", "agencies.csv"}
    for kind in KINDS:
        columns = COLUMNS[kind]
        header = (tmp_path / "out" / f"{kind}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(columns)

    suppliers = {r["supplier_id"]: r for r in _rows(tmp_path / "out" / "suppliers.csv")}
    row = suppliers["ZZ-S1"]
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["kecamatan"] == "-"
    assert row["certs"] == "PIRT;SLHS"  # HALAL expired before the export day
    assert (row["verified"], row["is_local"], row["is_koperasi"]) == ("true", "true", "false")

    offers = {r["offer_id"]: r for r in _rows(tmp_path / "out" / "offers.csv")}
    assert "ZZ-O2" not in offers and "ZZ-O3" not in offers
    assert offers["ZZ-O1"]["name"] == "'@Snack"
    assert offers["ZZ-O1"]["unit_price"] == "15000"
    agencies = {r["agency_id"]: r for r in _rows(tmp_path / "out" / "agencies.csv")}
    assert agencies["ZZ-A1"] == {"agency_id": "ZZ-A1", "name": "'+Dinas", "budget": "0"}

    # Importing the export back changes nothing, the guard is stripped again.
    report = import_catalogue(db, read_path(tmp_path / "out"), today=TODAY)
    assert report.rejected == []
    assert (report.inserted, report.updated) == (0, 0)


def test_example_round_trips_through_xlsx(db: Session, tmp_path: Path) -> None:
    assert import_catalogue(db, read_path(BATU_SMALL)).rejected == []
    path = tmp_path / "katalog.xlsx"
    export_catalogue(db, path, today=TODAY)
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["suppliers", "offers", "agencies"]
    offers = list(workbook["offers"].iter_rows(values_only=True))
    workbook.close()
    assert offers[0] == COLUMNS["offers"]
    first = next(row for row in offers if row[0] == "O000001")
    assert first == (
        "O000001",
        "S00001",
        "TAS_SEPATU",
        "Tas_Sepatu S00001",
        "pcs",
        148900,
        74,
        1,
        7,
    )
    report = import_catalogue(db, read_path(path), today=TODAY)
    assert (report.inserted, report.updated, report.rejected) == (0, 0, [])
    assert report.unchanged >= 216


def test_cli_export_then_import_unchanged(cli_database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["catalog", "import", str(BATU_SMALL)]).exit_code == 0
    out = tmp_path / "ekspor"
    result = runner.invoke(app, ["catalog", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert "offers.csv 105 baris" in result.stdout
    source = {r["offer_id"]: r for r in _rows(BATU_SMALL / "offers.csv")}
    exported = {r["offer_id"]: r for r in _rows(out / "offers.csv")}
    assert exported == source
    result = runner.invoke(app, ["catalog", "import", str(out), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "inserted": 0,
        "updated": 0,
        "unchanged": 216,
        "rejected": [],
    }
    zipped = runner.invoke(app, ["catalog", "export", str(tmp_path / "katalog.zip")])
    assert zipped.exit_code == 0
    assert (tmp_path / "katalog.zip").stat().st_size > 0
