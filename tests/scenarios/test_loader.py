"""Scenario files: located errors (file:line:col: field: message) and the shipped examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.scenarios.loader import ScenarioFileError, load_scenario, parse_scenario
from matcher.scenarios.schema import CHANGE_TYPES

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios"
EXPECTED = {
    "budget-cut-20.yaml",
    "koperasi-merah-putih.yaml",
    "halal-wajib.yaml",
    "target-umk-60.yaml",
    "capacity-shock-rice.yaml",
    "csr-mesin-kemasan.yaml",
}


def errors(text: str) -> list[str]:
    with pytest.raises(ScenarioFileError) as info:
        parse_scenario(text, "s.yaml")
    return info.value.lines()


def test_unknown_field_points_at_the_key() -> None:
    text = "name: x\nchanges:\n  - type: budget\n    percent: -20\n    amunt: 5\n"
    assert errors(text) == ["s.yaml:5:5: changes[0].amunt: kolom tidak dikenal"]


def test_bad_category_points_at_the_value() -> None:
    text = "name: x\nchanges:\n  - type: price\n    categories: [BERASS]\n    percent: 5\n"
    assert errors(text) == ["s.yaml:4:17: changes[0].categories: kategori tidak dikenal: BERASS"]


def test_missing_and_unknown_type_and_range() -> None:
    text = (
        "name: x\n"
        "changes:\n"
        "  - type: bogus\n"
        "  - type: price\n"
        "  - type: policy\n"
        "    min_local_share: {share: 1.5}\n"
    )
    lines = errors(text)
    assert lines[0] == "s.yaml:3:5: changes[0]: jenis perubahan tidak dikenal: 'bogus'"
    assert lines[1] == "s.yaml:4:5: changes[1].percent: wajib diisi"
    assert lines[2] == "s.yaml:6:30: changes[2].min_local_share.share: harus <= 1.0"


def test_cross_field_rule_and_missing_name() -> None:
    lines = errors("changes:\n  - {type: budget, percent: 5, amount: 3}\n")
    assert lines[0] == "s.yaml:1:1: name: wajib diisi"
    assert lines[1] == "s.yaml:2:5: changes[0]: isi tepat satu dari 'percent' atau 'amount'"


def test_yaml_syntax_error_has_a_line() -> None:
    assert errors("name: x\nchanges: [\n")[0].startswith("s.yaml:3:1: YAML tidak valid")
    assert errors("- a\n- b\n") == ["s.yaml:1:1: berkas skenario harus berupa mapping"]


def test_base_forms() -> None:
    assert parse_scenario("name: x\nbase: database\n").base.source == "database"
    base = parse_scenario("name: x\nbase: {instance: ../ex, max_suppliers_per_need: 2}\n").base
    assert (base.source, base.path, base.max_suppliers_per_need) == ("instance", "../ex", 2)
    assert errors("name: x\nbase: {source: instance}\n")[0].startswith("s.yaml:2:7: base: ")


def test_examples_load_and_cover_change_types() -> None:
    files = {p.name for p in EXAMPLES.glob("*.yaml")}
    assert files >= EXPECTED
    used: set[str] = set()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        scenario = load_scenario(path)
        assert scenario.base.source == "database"
        assert scenario.changes
        used |= {c.type for c in scenario.changes}
    assert used <= set(CHANGE_TYPES)
    assert {"budget", "capacity", "add_suppliers", "certificate_rule", "policy", "price"} <= used
