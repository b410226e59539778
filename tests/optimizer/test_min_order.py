"""Minimum order: two needs of 7, one offer of 8 units with a minimum order of 5."""

from __future__ import annotations

import pytest

from tests.optimizer.helpers import MIP_SOLVERS, instance, need, offer, quantities, solved


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_min_order_blocks_split(solver: str) -> None:
    # 7 + 1 would fill 8 units, but 1 < 5: only one need can be served.
    inst = instance(
        [need("N1", quantity=7), need("N2", quantity=7)],
        [offer("O1", capacity=8, min_order_qty=5)],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 7 * 100
    assert sorted(quantities(result).values()) == [7]


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_min_order_or_nothing(solver: str) -> None:
    # Need of 12: O1 has 10 (moq 1) and O2 moq 5: 10 + 2 is not allowed, 7 + 5 is.
    inst = instance(
        [need("N1", quantity=12)],
        [offer("O1", capacity=10), offer("O2", "S2", capacity=50, min_order_qty=5, unit_price=99)],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 0
    assert all(q >= 5 for (_, o), q in quantities(result).items() if o == "O2")
