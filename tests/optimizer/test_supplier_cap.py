"""Rupiah cap per supplier over the plan."""

from __future__ import annotations

import pytest

from tests.optimizer.helpers import MIP_SOLVERS, instance, need, offer, solved


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_supplier_cap_bound(solver: str) -> None:
    # S1 may sell 5000 rupiah = 50 units over its two offers; S2 has 20 units.
    inst = instance(
        [need("N1", quantity=100), need("N2", quantity=10)],
        [offer("O1", capacity=100), offer("O2", capacity=100), offer("O3", "S2", capacity=20)],
        cap=5_000,
    )
    result = solved(inst, solver)
    assert result.unmet_value == (110 - 70) * 100
    assert any(b.family == "supplier_cap" and b.key == "S1" for b in result.binding)
