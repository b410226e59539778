"""Rupiah cap per supplier over the plan."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matcher.optimizer import Agency
from matcher.optimizer.formulation import pair_data
from matcher.optimizer.relaxation import relax
from tests.optimizer.helpers import MIP_SOLVERS, instance, need, offer, solved, supplier


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


def test_pair_bound_is_what_the_cap_and_budget_can_pay() -> None:
    # O1 costs 100: the cap pays 30 units, the agency's budget 25; O2 costs 400: the cap
    # pays 7, the budget 6.
    inst = instance(
        [need("N1", quantity=100)],
        [offer("O1", capacity=100), offer("O2", "S2", unit_price=400, capacity=100)],
        [supplier("S1"), supplier("S2")],
        [Agency("A1", "Dinas A1", 2_500)],
        cap=3_000,
    )
    inst = replace(inst, needs=(replace(inst.needs[0], max_unit_price=500),))
    pd = pair_data(inst)
    assert pd.ub.tolist() == [25, 6]


def test_capped_bound_tightens_the_lp_relaxation() -> None:
    # One slot (k = 1), two offers that could each cover the need, but the cap lets each
    # supplier sell only 3 units. With the pair bound at min(quantity, capacity) = 10 the LP
    # could buy 3 + 3 units at 0.3 + 0.3 of the slot; with the bound at 3 it buys 3: the
    # integer optimum, so the LP bound is exact here.
    inst = instance(
        [need("N1", quantity=10)],
        [offer("O1", capacity=10), offer("O2", "S2", capacity=10)],
        cap=300,
        k=1,
    )
    pd = pair_data(inst)
    result = relax(inst, pd, pd.hps, "max", [])
    assert result.converged
    assert result.bound == pytest.approx(3 * 100)
    assert solved(inst, "highs").unmet_value == 7 * 100
