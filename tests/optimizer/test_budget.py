"""Agency budget binds: cheapest units first, unmet value from what the money cannot buy."""

from __future__ import annotations

import pytest

from matcher.optimizer import Agency
from tests.optimizer.helpers import MIP_SOLVERS, instance, need, offer, solved


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_budget_bound(solver: str) -> None:
    # 40 000 rupiah buys 80 units at 500 (O1, cap 80) -> 20 units short at HPS 1000.
    inst = instance(
        [need("N1", quantity=100, max_unit_price=1000)],
        [offer("O1", unit_price=500, capacity=80), offer("O2", "S2", unit_price=800)],
        agencies=[Agency("A1", "Dinas", 40_000)],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 20 * 1000
    assert result.cost == 40_000
    assert result.stages[0].status == "optimal"
    assert any(b.family == "budget" and b.key == "A1" for b in result.binding)
    assert "AGENCY_BUDGET_BINDING" in {r.code for r in result.needs[0].reasons}


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_budget_couples_categories(solver: str) -> None:
    # One budget for rice (HPS 100, price 50) and printing (HPS 30, price 10): per rupiah the
    # printing is worth 3, rice 2, so all 100 sheets (1000) then 80 kg of rice (4000).
    inst = instance(
        [
            need("N1", quantity=100, max_unit_price=100),
            need("N2", category="CETAK", quantity=100, max_unit_price=30),
        ],
        [offer("O1", unit_price=50), offer("O2", "S2", category="CETAK", unit_price=10)],
        agencies=[Agency("A1", "Dinas", 5_000)],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 20 * 100
    binding = [b for b in result.binding if b.family == "budget"]
    assert binding
    # One more rupiah buys 1/50 kg of rice worth 100: shadow price 2.
    assert binding[0].shadow_price == pytest.approx(2.0)
