"""``matcher need add`` and ``matcher user add`` end to end on a real database file."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from typer.testing import CliRunner

import matcher.cli.admin
import matcher.cli.needs  # noqa: F401  (registers the commands)
from matcher.cli.app import app
from matcher.clock import today
from matcher.db import unit_of_work
from matcher.models import Agency, Need, User

runner = CliRunner()


def _agency() -> None:
    with unit_of_work() as session:
        session.add(Agency(code="A008", name="Dinas Kesehatan", fiscal_year=2026, budget=10**9))


def test_need_add_applies_category_defaults(cli_database: str) -> None:
    _agency()
    needed_by = (today() + timedelta(days=10)).isoformat()
    result = runner.invoke(
        app,
        [
            "need",
            "add",
            "Nasi kotak pelatihan kader posyandu",
            "--agency",
            "A008",
            "--quantity",
            "120",
            "--hps",
            "30000",
            "--needed-by",
            needed_by,
            "--region",
            "Temas",
            "--category",
            "NASI_KOTAK",
            "--submit",
        ],
    )
    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        need = session.scalars(select(Need)).one()
        assert need.required_certs == ["HALAL", "SLHS"]
        assert need.status.value == "submitted"
        assert need.unit == "porsi"


def test_need_add_bad_input_exits_2_with_message(cli_database: str) -> None:
    _agency()
    result = runner.invoke(
        app,
        [
            "need",
            "add",
            "Beras",
            "--agency",
            "A008",
            "--quantity",
            "10",
            "--hps",
            "14000",
            "--needed-by",
            "kemarin",
            "--region",
            "Temas",
            "--category",
            "BERAS",
        ],
    )
    assert result.exit_code == 2
    assert "tanggal tidak valid" in result.output
    unknown = runner.invoke(
        app,
        [
            "need",
            "add",
            "Beras",
            "--agency",
            "A999",
            "--quantity",
            "10",
            "--hps",
            "14000",
            "--needed-by",
            "2099-01-01",
            "--region",
            "Temas",
            "--category",
            "BERAS",
        ],
    )
    assert unknown.exit_code == 2
    assert "A999" in unknown.output
    with unit_of_work() as session:
        assert session.scalars(select(Need)).all() == []


def test_user_add_reads_password_from_stdin(cli_database: str) -> None:
    _agency()
    result = runner.invoke(
        app,
        [
            "user",
            "add",
            "Pengadaan@Dinkes.go.id",
            "--role",
            "officer",
            "--agency",
            "A008",
            "--password-stdin",
        ],
        input="KataSandi2026\n",
    )
    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        user = session.scalars(select(User)).one()
        assert user.email == "pengadaan@dinkes.go.id"
        assert user.agency_id is not None


def test_user_add_weak_password_and_missing_binding(cli_database: str) -> None:
    weak = runner.invoke(
        app, ["user", "add", "a@b.id", "--role", "admin", "--password-stdin"], input="pendek\n"
    )
    assert weak.exit_code == 2
    assert "Kata sandi terlalu lemah" in weak.output
    unbound = runner.invoke(
        app,
        ["user", "add", "c@d.id", "--role", "officer", "--password-stdin"],
        input="KataSandi2026\n",
    )
    assert unbound.exit_code == 2
    assert "agency_id" in unbound.output


def test_need_add_guesses_category_from_description(cli_database: str) -> None:
    _agency()
    needed_by = (today() + timedelta(days=10)).isoformat()
    result = runner.invoke(
        app,
        [
            "need",
            "add",
            "snek box 150 pax utk bimtek kader",
            "--agency",
            "A008",
            "--quantity",
            "150",
            "--hps",
            "15000",
            "--needed-by",
            needed_by,
            "--region",
            "Temas",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "SNACK" in result.output
    with unit_of_work() as session:
        assert session.scalars(select(Need)).one().category == "SNACK"
