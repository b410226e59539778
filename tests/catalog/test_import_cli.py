"""``matcher catalog import`` end to end on a real database file: exit status 0/1/2, the
--json report, and one transaction for the whole import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import matcher.cli.catalog  # noqa: F401  (registers the commands)
from matcher.cli.app import app
from matcher.db import unit_of_work
from matcher.models import Offer, Supplier
from tests.catalog.conftest import BATU_SMALL, GOOD_OFFER, GOOD_SUPPLIER, write_catalogue

runner = CliRunner()


def _json(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["catalog", "import", *args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_example_imports_with_status_0_then_unchanged(cli_database: str) -> None:
    code, report = _json(str(BATU_SMALL))
    assert code == 0
    assert report == {"inserted": 216, "updated": 0, "unchanged": 0, "rejected": []}
    code, report = _json(str(BATU_SMALL))
    assert (code, report["unchanged"], report["inserted"]) == (0, 216, 0)


def test_rejected_rows_give_status_1(cli_database: str, tmp_path: Path) -> None:
    folder = write_catalogue(
        tmp_path, suppliers=[GOOD_SUPPLIER], offers=[GOOD_OFFER.replace("15000", "15000,5")]
    )
    code, report = _json(str(folder))
    assert code == 1
    assert report["inserted"] == 1
    assert report["rejected"][0]["file"] == "offers.csv"
    assert report["rejected"][0]["row"] == 2


@pytest.mark.parametrize("name", ["tidak-ada", "kosong", "rusak.xlsx"])
def test_nothing_readable_gives_status_2(cli_database: str, tmp_path: Path, name: str) -> None:
    (tmp_path / "kosong").mkdir()
    (tmp_path / "rusak.xlsx").write_bytes(b"bukan xlsx")
    code, report = _json(str(tmp_path / name))
    assert code == 2
    assert report["inserted"] == 0
    assert report["rejected"][0]["row"] == 0


def test_human_output_lists_rejected_rows(cli_database: str, tmp_path: Path) -> None:
    folder = write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER.replace("mikro", "raksasa")])
    result = runner.invoke(app, ["catalog", "import", str(folder)])
    assert result.exit_code == 1
    assert "Impor katalog" in result.stdout
    assert "size_class" in result.stdout
    assert "kelas usaha tidak dikenal" in result.stdout


def test_unexpected_failure_writes_nothing(
    cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_catalogue(tmp_path, suppliers=[GOOD_SUPPLIER], offers=[GOOD_OFFER])
    assert _json(str(folder))[0] == 0
    changed = write_catalogue(
        tmp_path / "v2",
        suppliers=[GOOD_SUPPLIER, GOOD_SUPPLIER.replace("S1,", "S2,")],
        offers=[GOOD_OFFER.replace("15000", "16000")],
    )

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr("matcher.catalog.importer.apply_changes", broken)
    result = runner.invoke(app, ["catalog", "import", str(changed), "--json"])
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    with unit_of_work() as session:
        # The supplier S2 was inserted before the offer update failed: rolled back with it.
        assert session.scalar(select(func.count()).select_from(Supplier)) == 1
        assert session.scalars(select(Offer.unit_price)).one() == 15_000
