"""Stages 2 and 3, and that they never worsen earlier stages."""

from __future__ import annotations

import pytest

from matcher.optimizer import Agency
from tests.optimizer.helpers import MIP_SOLVERS, instance, need, offer, quantities, solved, supplier


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_priority_then_cost(solver: str) -> None:
    # Demand 100 can be met fully either way. Priority supplier S1 (mikro, local) has 60 at 95;
    # S2 (besar) has 100 at 80 and S3 (besar) 100 at 70: 60 from S1, the rest from S3.
    inst = instance(
        [need("N1", quantity=100)],
        [
            offer("O1", "S1", capacity=60, unit_price=95),
            offer("O2", "S2", unit_price=80),
            offer("O3", "S3", unit_price=70),
        ],
        [supplier("S1", size_class="mikro"), supplier("S2"), supplier("S3")],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 0
    assert result.priority_value == 60 * 100
    assert result.cost == 60 * 95 + 40 * 70
    assert quantities(result) == {("N1", "O1"): 60, ("N1", "O3"): 40}
    assert [s.status for s in result.stages] == ["optimal"] * 3


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_priority_never_costs_demand(solver: str) -> None:
    # Priority S1 is dearer (100) and the budget (8000) binds: buying from it would leave more
    # unmet, so stage 1 wins and the priority value is what is left.
    inst = instance(
        [need("N1", quantity=100)],
        [offer("O1", "S1", unit_price=100), offer("O2", "S2", unit_price=80)],
        [supplier("S1", is_koperasi=True), supplier("S2", is_local=False)],
        [Agency("A1", "Dinas", 8_000)],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 0
    assert result.priority_value == 0
    assert result.cost == 8_000


def test_priority_rule() -> None:
    assert supplier("S", size_class="mikro").is_priority
    assert supplier("S", is_koperasi=True).is_priority
    assert not supplier("S", size_class="menengah").is_priority
    assert not supplier("S", size_class="mikro", is_local=False).is_priority
    assert not supplier("S", size_class="kecil", verified=False).is_priority


def test_greedy_is_valid_and_not_better_than_optimum() -> None:
    inst = instance(
        [need("N1", quantity=90), need("N2", quantity=50, max_unit_price=90)],
        [offer("O1", capacity=30), offer("O2", "S2", capacity=60), offer("O3", "S3", capacity=40)],
        k=2,
    )
    greedy = solved(inst, "greedy")
    best = solved(inst, "cpsat")
    assert best.unmet_value <= greedy.unmet_value


def test_empty_instance() -> None:
    inst = instance([need("N1", category="CETAK")], [offer("O1")])
    result = solved(inst, "cpsat")
    assert result.unmet_value == 100 * 100
    assert result.lines == ()
    assert result.needs[0].reasons[0].code == "NO_OFFER_IN_CATEGORY"
