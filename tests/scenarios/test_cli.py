"""The ``matcher scenario`` commands on an instance-folder base (no database)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from matcher.cli.app import app
from matcher.cli.main import _load_commands
from matcher.optimizer.io import write_instance
from tests.scenarios.conftest import tiny

_load_commands()
runner = CliRunner()


def _scenario(tmp_path: Path, body: str) -> Path:
    write_instance(tiny(), tmp_path / "rice")
    path = tmp_path / "s.yaml"
    path.write_text(f"name: Uji\nbase: {{instance: rice}}\nsolve: {{time_limit: 5}}\n{body}")
    return path


def test_bad_file_exits_2_with_line_numbers(tmp_path: Path) -> None:
    path = _scenario(tmp_path, "changes:\n  - type: budget\n    percen: 5\n")
    result = runner.invoke(app, ["scenario", "run", str(path)])
    assert result.exit_code == 2
    assert f"{path}:6:5: changes[0].percen: kolom tidak dikenal" in result.output


def test_run_json_and_table(tmp_path: Path) -> None:
    path = _scenario(tmp_path, "changes:\n  - {type: capacity, suppliers: [L], amount: 40}\n")
    result = runner.invoke(app, ["scenario", "run", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["diff"]["priority_value"] == 40 * 13_000
    assert data["winners"][0]["supplier_id"] == "L"
    table = runner.invoke(app, ["scenario", "run", str(path)])
    assert "Pangsa UMK/koperasi" in table.output and "Pemasok yang naik" in table.output


def test_compare_and_infeasible_target(tmp_path: Path) -> None:
    a = _scenario(tmp_path, "changes:\n  - {type: policy, min_local_share: {share: 0.9}}\n")
    b = tmp_path / "b.yaml"
    b.write_text("name: Tanpa perubahan\nbase: {instance: rice}\nsolve: {time_limit: 5}\n")
    result = runner.invoke(app, ["scenario", "compare", str(a), str(b), "--json"])
    assert result.exit_code == 0, result.output
    columns = json.loads(result.output)["columns"]
    assert [c["name"] for c in columns] == ["Dasar", "Uji", "Tanpa perubahan"]
    assert columns[1]["status"] == "infeasible"
    assert columns[1]["message"] == "target tidak dapat dicapai"
    assert columns[2]["metrics"] == columns[0]["metrics"]


def test_sweep_writes_a_chart(tmp_path: Path) -> None:
    path = _scenario(tmp_path, "")
    out = tmp_path / "curve.svg"
    args = ["scenario", "sweep", str(path), "--from", "0", "--to", "0.8", "--steps", "5"]
    result = runner.invoke(app, [*args, "--executor", "serial", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Sapuan min_local_share" in result.output
    data = json.loads(runner.invoke(app, [*args, "--executor", "serial", "--json"]).output)
    assert [p["kind"] for p in data["points"]] == ["ok", "ok", "ok", "ok", "infeasible"]
    assert out.read_text().lstrip().startswith("<?xml")
    bad = runner.invoke(app, [*args, "--param", "k"])
    assert bad.exit_code == 2


def test_sensitivity_ranks_budgets(tmp_path: Path) -> None:
    path = _scenario(tmp_path, "changes:\n  - {type: budget, amount: -9500000}\n")
    result = runner.invoke(app, ["scenario", "sensitivity", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # Rp500.000 buys 50 of 100 kg; a rupiah more buys 1/10.000 kg worth Rp1,3 of HPS.
    assert data["unmet_value"] == 50 * 13_000
    lever = data["levers"][0]
    assert lever["family"] == "budget" and lever["key"] == "A1"
    assert abs(lever["per_unit"] - 1.3) < 1e-6
    assert lever["estimate"] == 50 * 13_000  # capped at the agency's unmet value
    assert "Rp100 juta" in lever["text"]
