"""``matcher classify`` end to end: JSON Lines and table output, --file, errors, train."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import matcher.cli.classify  # noqa: F401  (registers the commands)
from matcher.classifier.model import ARTEFACT_STEM, default_artefact_dir
from matcher.cli.app import app

runner = CliRunner()


def _lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_classify_texts_json() -> None:
    result = runner.invoke(
        app, ["classify", "snek box 150 pax utk bimtek", "kertas HVS A4 20 rim", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = _lines(result.stdout)
    assert [row["text"] for row in rows] == ["snek box 150 pax utk bimtek", "kertas HVS A4 20 rim"]
    first = rows[0]
    assert set(first) == {"text", "top", "quantity"}
    top = first["top"]
    assert isinstance(top, list) and len(top) == 3
    assert top[0]["category"] == "SNACK"
    assert set(top[0]) == {"category", "probability"}
    probabilities = [entry["probability"] for entry in top]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) <= 1.0
    assert first["quantity"] == {"value": 150, "unit": "porsi", "raw": "150 pax"}
    assert rows[1]["top"][0]["category"] == "ATK"
    assert rows[1]["quantity"] == {"value": 20, "unit": "rim", "raw": "20 rim"}


def test_classify_file_json(tmp_path: Path) -> None:
    source = tmp_path / "texts.txt"
    source.write_text(
        "cetak brosur 2.000 lembar\n\n  batik tulis 3 kodi  \nwedang jahe 100 gelas\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["classify", "--file", str(source), "--json"])
    assert result.exit_code == 0, result.output
    rows = _lines(result.stdout)
    assert [row["text"] for row in rows] == [
        "cetak brosur 2.000 lembar",
        "batik tulis 3 kodi",
        "wedang jahe 100 gelas",
    ]
    assert [row["top"][0]["category"] for row in rows] == ["CETAK", "BATIK", "MINUMAN"]
    assert rows[0]["quantity"] == {"value": 2000, "unit": "lembar", "raw": "2.000 lembar"}


def test_classify_stdin() -> None:
    result = runner.invoke(
        app, ["classify", "--file", "-", "--json"], input="nasi kotak 100 porsi\n"
    )
    assert result.exit_code == 0, result.output
    assert _lines(result.stdout)[0]["top"][0]["category"] == "NASI_KOTAK"


def test_classify_table_in_bahasa_indonesia() -> None:
    result = runner.invoke(app, ["classify", "snek box 150 pax utk bimtek"])
    assert result.exit_code == 0, result.output
    assert "Saran kategori kebutuhan" in result.stdout
    assert "Kue dan snack box" in result.stdout
    assert "150 porsi" in result.stdout


def test_explicit_predict_subcommand_and_top_option() -> None:
    result = runner.invoke(app, ["classify", "predict", "--top", "1", "--json", "beras 2 ton"])
    assert result.exit_code == 0, result.output
    row = _lines(result.stdout)[0]
    assert [entry["category"] for entry in row["top"]] == ["BERAS"]
    assert row["quantity"] == {"value": 2000, "unit": "kg", "raw": "2 ton"}


def test_literal_word_train_after_double_dash() -> None:
    result = runner.invoke(app, ["classify", "--json", "--", "train"])
    assert result.exit_code == 0, result.output
    assert _lines(result.stdout)[0]["text"] == "train"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["classify"], "tidak ada teks"),
        (["classify", "--json"], "tidak ada teks"),
        (["classify", "--file", "/nonexistent/texts.txt"], "berkas tidak ditemukan"),
        (["classify", "   "], "teks kosong"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_empty_file_exits_2(tmp_path: Path) -> None:
    source = tmp_path / "empty.txt"
    source.write_text("\n  \n", encoding="utf-8")
    result = runner.invoke(app, ["classify", "--file", str(source)])
    assert result.exit_code == 2
    assert "berkas kosong" in result.stderr


def test_train_writes_artefact_to_output_dir(tmp_path: Path) -> None:
    shipped = (default_artefact_dir() / f"{ARTEFACT_STEM}.joblib").stat().st_mtime_ns
    result = runner.invoke(
        app, ["classify", "train", "--per-category", "50", "--output-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Akurasi top-1" in result.stdout
    metadata = json.loads((tmp_path / f"{ARTEFACT_STEM}.json").read_text(encoding="utf-8"))
    assert metadata["corpus_size"] == 16 * 50
    assert metadata["heldout_size"] >= 250
    assert 0.0 < metadata["heldout_top1"] <= metadata["heldout_top3"] <= 1.0
    assert (tmp_path / f"{ARTEFACT_STEM}.joblib").is_file()
    assert (default_artefact_dir() / f"{ARTEFACT_STEM}.joblib").stat().st_mtime_ns == shipped
