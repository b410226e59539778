"""Instance folder reading: errors name file, spreadsheet row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matcher.errors import RowErrors
from matcher.optimizer import AllocationLine, read_allocation, read_instance, write_allocation

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "batu-small"
if not EXAMPLE.is_dir():
    EXAMPLE = Path("/work/shared/examples/batu-small")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "inst"
    shutil.copytree(EXAMPLE, target)
    return target


def _edit(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_reads_example(folder: Path) -> None:
    inst = read_instance(folder)
    assert len(inst.needs) == 40
    assert len(inst.offers) == 105
    assert inst.policy.max_suppliers_per_need == 3


def _errors(folder: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(RowErrors) as info:
        read_instance(folder)
    return [(e.file, e.row, e.column) for e in info.value.errors]


def test_negative_quantity_and_bad_date(folder: Path) -> None:
    _edit(folder / "needs.csv", 3, ",584,", ",-5,")
    _edit(folder / "needs.csv", 4, "2026-02-17", "2026-02-31")
    assert _errors(folder) == [("needs.csv", 3, "quantity"), ("needs.csv", 4, "needed_by")]


def test_unknown_category(folder: Path) -> None:
    _edit(folder / "offers.csv", 2, "TAS_SEPATU", "SEPATU_RODA")
    assert _errors(folder) == [("offers.csv", 2, "category")]


def test_missing_file_and_column(folder: Path) -> None:
    (folder / "agencies.csv").unlink()
    text = (folder / "suppliers.csv").read_text(encoding="utf-8")
    (folder / "suppliers.csv").write_text(
        text.replace(",verified,", ",checked,", 1), encoding="utf-8"
    )
    errors = _errors(folder)
    assert ("suppliers.csv", 1, "verified") in errors
    assert ("agencies.csv", 0, "-") in errors


def test_bad_policy(folder: Path) -> None:
    (folder / "policy.json").write_text('{"today": "2026-13-01"}', encoding="utf-8")
    assert _errors(folder) == [("policy.json", 1, "today")]


def test_allocation_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "allocation.csv"
    write_allocation(
        path,
        [
            AllocationLine("N2", "O1", 3),
            AllocationLine("N1", "O2", 0),
            AllocationLine("N1", "O1", 2),
        ],
    )
    assert read_allocation(path) == [AllocationLine("N1", "O1", 2), AllocationLine("N2", "O1", 3)]
    path.write_text("need_id,offer_id,quantity\nN1,O1,x\n", encoding="utf-8")
    with pytest.raises(RowErrors) as info:
        read_allocation(path)
    assert (info.value.errors[0].row, info.value.errors[0].column) == (2, "quantity")
