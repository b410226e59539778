"""Offer capacity binds: one need of 100 units, offers of 30 and 50 units."""

from __future__ import annotations

import pytest

from tests.optimizer.helpers import MIP_SOLVERS, instance, need, offer, solved


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_capacity_bound(solver: str) -> None:
    inst = instance(
        [need("N1", quantity=100, max_unit_price=1000)],
        [offer("O1", capacity=30), offer("O2", "S2", capacity=50)],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 20 * 1000
    assert result.stages[0].status == "optimal"


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_capacity_shared_between_needs(solver: str) -> None:
    # 80 units for two needs of 60: HPS 300 vs 100, so the dearer need is filled first.
    inst = instance(
        [need("N1", quantity=60, max_unit_price=300), need("N2", quantity=60, max_unit_price=100)],
        [offer("O1", capacity=80, unit_price=90)],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 40 * 100
    assert result.needs[1].reasons[0].code == "CAPACITY_EXHAUSTED"
