"""One shipped example end to end on the demo data in the (migrated) test database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from matcher.demo.generate import generate
from matcher.demo.load import load_dataset
from matcher.scenarios.changes import apply_changes
from matcher.scenarios.loader import load_scenario
from matcher.scenarios.runner import load_base, run_on_base

DEMO_DAY = date(2026, 11, 23)
EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios"


def test_koperasi_example_on_the_demo_database(db: Session) -> None:
    load_dataset(db, generate(today=DEMO_DAY))
    scenario = load_scenario(EXAMPLES / "koperasi-merah-putih.yaml")
    base = load_base(scenario, session=db, today=DEMO_DAY)
    assert len(base.needs) > 100 and base.policy.today == DEMO_DAY
    result = run_on_base(scenario, base, time_limit=4)
    assert result.status in ("optimal", "feasible")
    new, old = result.scenario, result.base
    assert new.demand_value == old.demand_value
    changed = apply_changes(base, scenario.changes)
    added = [s for s in changed.suppliers if s.supplier_id in _kmp()]
    assert len(added) == 24 and all(s.is_priority for s in added)
    assert len(changed.offers) == len(base.offers) + 24 * 3
    if new.stages[0]["status"] == old.stages[0]["status"] == "optimal":
        assert new.unmet_value <= old.unmet_value  # more supply never leaves more unmet
    assert all(w["change"] > 0 for w in result.winners)
    assert all(lo["change"] < 0 for lo in result.losers)


def _kmp() -> set[str]:
    return {f"KMP{i:03d}" for i in range(1, 25)}
