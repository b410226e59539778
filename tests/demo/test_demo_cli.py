"""``matcher demo`` end to end on a real database file, and the instance export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

import matcher.cli.admin
import matcher.cli.demo  # noqa: F401  (registers the commands; several make a group)
from matcher import parsing
from matcher.cli.app import app
from matcher.db import unit_of_work
from matcher.demo.data import DEMO_PASSWORD, DEMO_USERS
from matcher.models import Agency, Supplier
from matcher.optimizer.io import AGENCY_COLUMNS, NEED_COLUMNS, OFFER_COLUMNS, SUPPLIER_COLUMNS

runner = CliRunner()


def _suppliers() -> int:
    with unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Supplier)) or 0


def test_if_empty_loads_once_then_does_nothing(demo_database: str) -> None:
    first = runner.invoke(app, ["demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "dimuat" in first.output
    loaded = _suppliers()
    assert loaded > 200
    second = runner.invoke(app, ["demo", "--if-empty"])
    assert second.exit_code == 0, second.output
    assert "tidak dimuat" in second.output
    assert _suppliers() == loaded


def test_load_into_non_empty_database_exits_2(demo_database: str) -> None:
    with unit_of_work() as session:
        session.add(Agency(code="A001", name="Sekretariat Daerah", fiscal_year=2026, budget=1))
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 2
    assert "sudah berisi data" in result.output
    assert _suppliers() == 0


def test_print_logins_lists_every_demo_account(demo_database: str) -> None:
    empty = runner.invoke(app, ["demo", "--print-logins"])
    assert empty.exit_code == 0 and "belum dimuat" in empty.output
    result = runner.invoke(app, ["demo", "--if-empty", "--print-logins"])
    assert result.exit_code == 0, result.output
    for user in DEMO_USERS:
        assert user.email in result.output
    assert DEMO_PASSWORD in result.output
    assert "Dinas Kesehatan" in result.output
    assert "Koperasi Merah Putih Desa Pandanrejo" in result.output
    assert "http://" in result.output


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_instance_out_writes_the_spec_format(tmp_path: Path) -> None:
    out = tmp_path / "batu-demo"
    result = runner.invoke(app, ["demo", "--instance-out", str(out), "--seed", "7"])
    assert result.exit_code == 0, result.output
    columns, suppliers = _rows(out / "suppliers.csv")
    assert tuple(columns) == SUPPLIER_COLUMNS
    supplier_ids = {row["supplier_id"] for row in suppliers}
    for row in suppliers:
        parsing.parse_nib(row["nib"])
        parsing.parse_size_class(row["size_class"])
        parsing.parse_certs(row["certs"])
        for flag in ("is_koperasi", "is_local", "verified"):
            parsing.parse_bool(row[flag])
    columns, offers = _rows(out / "offers.csv")
    assert tuple(columns) == OFFER_COLUMNS
    assert len(offers) > 300
    for row in offers:
        assert row["supplier_id"] in supplier_ids
        parsing.parse_category(row["category"])
        parsing.parse_rupiah(row["unit_price"])
        assert int(row["min_order_qty"]) <= int(row["capacity"])
    columns, agencies = _rows(out / "agencies.csv")
    assert tuple(columns) == AGENCY_COLUMNS and len(agencies) == 31
    agency_ids = {row["agency_id"] for row in agencies}
    columns, needs = _rows(out / "needs.csv")
    assert tuple(columns) == NEED_COLUMNS
    assert len(needs) >= 200
    for row in needs:
        assert row["agency_id"] in agency_ids
        parsing.parse_category(row["category"])
        parsing.parse_certs(row["required_certs"])
        parsing.parse_date(row["needed_by"])
        parsing.parse_rupiah(row["max_unit_price"])
    policy = json.loads((out / "policy.json").read_text(encoding="utf-8"))
    assert set(policy) == {"today", "max_suppliers_per_need", "max_supplier_value"}
    parsing.parse_date(policy["today"])


def test_instance_export_reads_back_with_the_optimiser_reader(tmp_path: Path) -> None:
    from matcher.demo.generate import generate
    from matcher.demo.instance import to_instance
    from matcher.optimizer.io import read_instance

    dataset = generate(2026)
    result = runner.invoke(app, ["demo", "--instance-out", str(tmp_path / "inst")])
    assert result.exit_code == 0, result.output
    assert read_instance(tmp_path / "inst") == to_instance(dataset)
