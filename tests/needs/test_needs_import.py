"""needs.csv import: every row rule, idempotent re-import, updates, scoping, CLI and API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import matcher.cli.needs  # noqa: F401  (registers the commands)
from matcher.auth.principal import Principal
from matcher.cli.app import app
from matcher.db import unit_of_work
from matcher.errors import RowErrors
from matcher.models import Need, NeedStatus, Role
from matcher.needs.importer import import_needs, read_table
from tests.factories import Factory

TODAY = date(2026, 11, 23)
SOON = (TODAY + timedelta(days=10)).isoformat()
HEADER = (
    "need_id,agency_id,category,description,quantity,max_unit_price,required_certs,needed_by,region"
)


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _import(db: Session, data: bytes, principal: Principal | None = None):  # type: ignore[no-untyped-def]
    return import_needs(
        db, principal or Principal.system(), read_table("needs.csv", data), today=TODAY
    )


def test_valid_rows_inserted_with_defaults(db: Session, factory: Factory) -> None:
    factory.agency(code="A008")
    report = _import(
        db,
        _csv(
            f"K1,A008,SNACK,Snack rapat,150,15.000,,{SOON},Sisir",
            f"K2,A008,SERAGAM,Seragam PDH,20,Rp 250.000,SNI,{SOON},Temas",
        ),
    )
    assert report.as_dict() == {"inserted": 2, "updated": 0, "unchanged": 0, "rejected": []}
    needs = {n.code: n for n in db.scalars(select(Need))}
    assert needs["K1"].required_certs == ["HALAL", "PIRT"]
    assert needs["K1"].unit == "kotak"
    assert needs["K1"].status == NeedStatus.SUBMITTED
    assert needs["K2"].max_unit_price == 250_000
    assert needs["K2"].required_certs == ["SNI"]


@pytest.mark.parametrize(
    ("row", "column", "reason_part"),
    [
        (f"K1,A999,SNACK,Snack,10,15000,,{SOON},Sisir", "agency_id", "tidak ditemukan"),
        (f"K1,A008,PESAWAT,Snack,10,15000,,{SOON},Sisir", "category", "kategori tidak dikenal"),
        (f"K1,A008,SNACK,Snack,0,15000,,{SOON},Sisir", "quantity", ">= 1"),
        (f"K1,A008,SNACK,Snack,-5,15000,,{SOON},Sisir", "quantity", ">= 1"),
        (f'K1,A008,SNACK,Snack,10,"15000,50",,{SOON},Sisir', "max_unit_price", "rupiah bulat"),
        (f"K1,A008,SNACK,Snack,10,15000,HALAL;ISO,{SOON},Sisir", "required_certs", "tidak dikenal"),
        ("K1,A008,SNACK,Snack,10,15000,,besok,Sisir", "needed_by", "tanggal tidak valid"),
        ("K1,A008,SNACK,Snack,10,15000,,2026-11-01,Sisir", "needed_by", "sudah lewat"),
        (f"K1,A008,BERAS,Beras medium,10,14000,PIRT,{SOON},Sisir", "required_certs", "HALAL"),
        (f"K1,A008,SNACK,,10,15000,,{SOON},Sisir", "description", "wajib diisi"),
    ],
)
def test_bad_rows_rejected_with_column(
    db: Session, factory: Factory, row: str, column: str, reason_part: str
) -> None:
    factory.agency(code="A008")
    report = _import(db, _csv(row))
    assert report.inserted == 0
    assert [(e.file, e.row, e.column) for e in report.rejected] == [("needs.csv", 2, column)]
    assert reason_part in report.rejected[0].reason
    assert report.exit_code == 1
    assert db.scalars(select(Need)).all() == []


def test_duplicate_id_rejects_the_later_row(db: Session, factory: Factory) -> None:
    factory.agency(code="A008")
    report = _import(
        db,
        _csv(
            f"K1,A008,ATK,ATK,5,50000,,{SOON},Sisir", f"K1,A008,ATK,ATK lagi,6,50000,,{SOON},Sisir"
        ),
    )
    assert report.inserted == 1
    assert [(e.row, e.column) for e in report.rejected] == [(3, "need_id")]


def test_missing_column_reads_nothing() -> None:
    with pytest.raises(RowErrors) as caught:
        read_table("needs.csv", b"need_id,agency_id\nK1,A008\n")
    assert {e.column for e in caught.value.errors} >= {"category", "quantity", "needed_by"}


def test_reimport_unchanged_then_update_then_locked(db: Session, factory: Factory) -> None:
    factory.agency(code="A008")
    first = _csv(f"K1,A008,ATK,ATK kantor,5,50000,,{SOON},Sisir")
    assert _import(db, first).inserted == 1
    assert _import(db, first).as_dict()["unchanged"] == 1
    changed = _csv(f"K1,A008,ATK,ATK kantor,8,50000,,{SOON},Sisir")
    assert _import(db, changed).updated == 1
    need = db.scalars(select(Need)).one()
    assert need.quantity == 8
    need.status = NeedStatus.PLANNED
    db.flush()
    locked = _import(db, _csv(f"K1,A008,ATK,ATK kantor,9,50000,,{SOON},Sisir"))
    assert [(e.column, "planned" in e.reason) for e in locked.rejected] == [("need_id", True)]
    assert _import(db, changed).unchanged == 1


def test_officer_imports_only_own_agency(db: Session, factory: Factory) -> None:
    own = factory.agency(code="A008")
    factory.agency(code="A009")
    officer = Principal(user_id=None, role=Role.OFFICER, agency_id=own.id)
    report = _import(
        db,
        _csv(f"K1,A008,ATK,ATK,5,50000,,{SOON},Sisir", f"K2,A009,ATK,ATK,5,50000,,{SOON},Sisir"),
        officer,
    )
    assert report.inserted == 1
    assert [(e.row, e.column) for e in report.rejected] == [(3, "agency_id")]


def test_api_upload(client: TestClient, factory: Factory) -> None:
    officer, headers = factory.login(Role.OFFICER)
    agency_code = officer.agency.code if officer.agency else ""
    data = _csv(
        f"KA1,{agency_code},ATK,ATK,5,50000,,2099-01-01,Sisir",
        "KA2,A999,ATK,ATK,5,50000,,2099-01-01,Sisir",
    )
    response = client.post(
        "/api/v1/needs/import", files={"file": ("needs.csv", data)}, headers=headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["inserted"] == 1
    assert body["rejected"][0]["row"] == 3
    wrong = client.post(
        "/api/v1/needs/import", files={"file": ("needs.xlsx", b"x")}, headers=headers
    )
    assert wrong.status_code == 415
    _, supplier = factory.login(Role.SUPPLIER)
    denied = client.post(
        "/api/v1/needs/import", files={"file": ("needs.csv", data)}, headers=supplier
    )
    assert denied.status_code == 403


def test_cli_exit_codes(cli_database: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work() as session:
        Factory(session).agency(code="A008")
    runner = CliRunner()
    good = tmp_path / "needs.csv"
    good.write_bytes(_csv("K1,A008,ATK,ATK,5,50000,,2099-01-01,Sisir"))
    result = runner.invoke(app, ["need", "import", str(good), "--json"])
    assert result.exit_code == 0, result.output
    assert '"inserted": 1' in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("K2,A008,ATK,ATK,0,50000,,2099-01-01,Sisir"))
    assert runner.invoke(app, ["need", "import", str(bad), "--json"]).exit_code == 1
    unreadable = tmp_path / "empty.csv"
    unreadable.write_bytes(b"")
    assert runner.invoke(app, ["need", "import", str(unreadable)]).exit_code == 2
    assert runner.invoke(app, ["need", "import", str(tmp_path / "missing.csv")]).exit_code == 2
