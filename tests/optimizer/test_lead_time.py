"""Lead time: today + lead_time_days must not be after needed_by (equal is on time)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.optimizer.helpers import MIP_SOLVERS, TODAY, instance, need, offer, solved


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_lead_time(solver: str) -> None:
    inst = instance(
        [need("N1", quantity=50, needed_by=TODAY + timedelta(days=5))],
        [
            offer("O1", lead_time_days=6, unit_price=10),
            offer("O2", "S2", lead_time_days=5, capacity=30),
        ],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 20 * 100
    assert [line.offer_id for line in result.lines] == ["O2"]


def test_lead_time_explained() -> None:
    inst = instance(
        [need("N1", needed_by=TODAY + timedelta(days=2))], [offer("O1", lead_time_days=5)]
    )
    reasons = {r.code: r.detail for r in solved(inst, "cpsat").needs[0].reasons}
    assert "terlambat 3 hari" in reasons["LEAD_TIME_TOO_LONG"]
