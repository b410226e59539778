"""``matcher solve`` and ``matcher validate`` end to end on the shared example."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from matcher.cli.app import app
from matcher.cli.main import _load_commands
from tests.optimizer.test_io import EXAMPLE

_load_commands()
runner = CliRunner()


def test_solve_json_and_validate(tmp_path: Path) -> None:
    out = tmp_path / "allocation.csv"
    result = runner.invoke(
        app, ["solve", str(EXAMPLE), "--out", str(out), "--time-limit", "20", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {
        "unmet_value",
        "priority_value",
        "cost",
        "stages",
        "needs",
        "eligible_pairs",
    }
    assert [s["name"] for s in data["stages"]] == ["unmet", "priority", "cost"]
    assert all(s["status"] in {"optimal", "feasible"} for s in data["stages"])
    assert data["eligible_pairs"] == 165
    checked = runner.invoke(app, ["validate", str(EXAMPLE), str(out), "--json"])
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert report["ok"]
    assert (report["unmet_value"], report["priority_value"], report["cost"]) == (
        data["unmet_value"],
        data["priority_value"],
        data["cost"],
    )


def test_bad_folder_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "inst"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "offers.csv").read_text(encoding="utf-8").splitlines()
    text[4] = text[4].replace("SNACK", "ROKET")
    (folder / "offers.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["solve", str(folder), "--out", str(tmp_path / "a.csv")])
    assert result.exit_code == 2
    assert "offers.csv baris 5 kolom category" in result.stderr


def test_validate_rejects_broken_allocation(tmp_path: Path) -> None:
    path = tmp_path / "allocation.csv"
    path.write_text("need_id,offer_id,quantity\nN00002,O000001,5\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(EXAMPLE), str(path)])
    assert result.exit_code == 1
    assert "CATEGORY" in result.stderr
