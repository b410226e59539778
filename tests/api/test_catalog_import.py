"""POST /api/v1/catalog/import and GET /api/v1/catalog/export: admin only, the CLI's
report, size and type limits as problems, zip entries with paths refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.config import get_settings
from matcher.models import Offer, OfferHistory, Role
from tests.catalog.conftest import (
    BATU_SMALL,
    GOOD_OFFER,
    GOOD_SUPPLIER,
    OFFER_HEADER,
    SUPPLIER_HEADER,
)
from tests.factories import Factory

URL = "/api/v1/catalog/import"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _example_zip() -> bytes:
    return _zip(
        {
            name: (BATU_SMALL / name).read_bytes()
            for name in ("suppliers.csv", "offers.csv", "agencies.csv")
        }
    )


def _upload(
    client: TestClient, headers: dict[str, str], name: str, data: bytes
) -> tuple[int, dict[str, object]]:
    response = client.post(URL, files={"file": (name, data)}, headers=headers)
    return response.status_code, response.json()


def test_admin_uploads_zip_then_reimport_is_unchanged(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    status, body = _upload(client, headers, "batu-small.zip", _example_zip())
    assert status == 200, body
    assert body == {"inserted": 216, "updated": 0, "unchanged": 0, "rejected": []}
    status, body = _upload(client, headers, "batu-small.zip", _example_zip())
    assert (status, body["unchanged"]) == (200, 216)


def test_csv_upload_reports_rejected_rows_and_records_history(
    client: TestClient, factory: Factory, db: Session
) -> None:
    user, headers = factory.login(Role.ADMIN)
    _upload(client, headers, "suppliers.csv", f"{SUPPLIER_HEADER}\n{GOOD_SUPPLIER}\n".encode())
    _upload(client, headers, "offers.csv", f"{OFFER_HEADER}\n{GOOD_OFFER}\n".encode())
    changed = GOOD_OFFER.replace("15000", "Rp 16.500")
    bad = "O9,S1,SNACK,Snack,kotak,gratis,5,1,0"
    status, body = _upload(
        client, headers, "offers.csv", f"{OFFER_HEADER}\n{changed}\n{bad}\n".encode()
    )
    assert status == 200
    assert body["updated"] == 1
    assert body["rejected"] == [
        {
            "file": "offers.csv",
            "row": 3,
            "column": "unit_price",
            "reason": "bukan jumlah rupiah bulat: 'gratis'",
        }
    ]
    offer = db.scalars(select(Offer).where(Offer.code == "O1")).one()
    history = db.scalars(select(OfferHistory).where(OfferHistory.offer_id == offer.id)).one()
    assert history.changes == {"unit_price": [15_000, 16_500]}
    assert history.actor_user_id == user.id


def test_xlsx_upload(client: TestClient, factory: Factory) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "suppliers"
    sheet.append(SUPPLIER_HEADER.split(","))
    sheet.append(GOOD_SUPPLIER.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, headers = factory.login(Role.ADMIN)
    status, body = _upload(client, headers, "katalog.xlsx", buffer.getvalue())
    assert (status, body["inserted"]) == (200, 1)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPPLIER, Role.VIEWER])
def test_only_admin_may_import(client: TestClient, factory: Factory, role: Role) -> None:
    _, headers = factory.login(role)
    status, body = _upload(client, headers, "batu-small.zip", _example_zip())
    assert status == 403
    assert body["status"] == 403


def test_anonymous_is_401(client: TestClient) -> None:
    response = client.post(URL, files={"file": ("offers.csv", b"x")})
    assert response.status_code == 401


def test_too_large_is_413(
    client: TestClient, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, headers = factory.login(Role.ADMIN)
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 100)
    response = client.post(URL, files={"file": ("offers.csv", b"x" * 101)}, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("name", ["katalog.pdf", "offers.txt", "katalog", "offers.xls"])
def test_wrong_type_is_415(client: TestClient, factory: Factory, name: str) -> None:
    _, headers = factory.login(Role.ADMIN)
    response = client.post(URL, files={"file": (name, b"abc")}, headers=headers)
    assert response.status_code == 415
    assert response.json()["title"] == "Jenis berkas tidak didukung"


@pytest.mark.parametrize("entry", ["../offers.csv", "sub/offers.csv", "/offers.csv"])
def test_zip_entry_with_path_is_422(client: TestClient, factory: Factory, entry: str) -> None:
    _, headers = factory.login(Role.ADMIN)
    data = _zip({entry: f"{OFFER_HEADER}\n{GOOD_OFFER}\n".encode()})
    status, body = _upload(client, headers, "katalog.zip", data)
    assert status == 422
    assert "tidak diizinkan" in str(body["detail"])


def test_unreadable_upload_is_422_listing_why(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    status, body = _upload(client, headers, "needs.csv", b"need_id\n")
    assert status == 422
    status, body = _upload(client, headers, "offers.csv", b"offer_id,name\nO1,x\n")
    assert status == 422
    errors = body["errors"]
    assert isinstance(errors, list)
    assert {
        "loc": ["offers.csv", 1, "supplier_id"],
        "msg": "kolom wajib tidak ada pada baris judul",
        "type": "value_error",
    } in errors


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_export_download_round_trips(client: TestClient, factory: Factory, fmt: str) -> None:
    _, headers = factory.login(Role.ADMIN)
    _upload(client, headers, "batu-small.zip", _example_zip())
    response = client.get(f"/api/v1/catalog/export?format={fmt}", headers=headers)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    status, body = _upload(client, headers, f"export.{fmt}", response.content)
    assert status == 200
    assert body["inserted"] == 0 and body["updated"] == 0 and body["rejected"] == []
    assert body["unchanged"] >= 216


def test_export_is_admin_only(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.OFFICER)
    assert client.get("/api/v1/catalog/export", headers=headers).status_code == 403
