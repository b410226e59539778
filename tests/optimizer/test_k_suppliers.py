"""At most k offers per need."""

from __future__ import annotations

import pytest

from tests.optimizer.helpers import MIP_SOLVERS, instance, need, offer, solved


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_k_limit(solver: str) -> None:
    inst = instance(
        [need("N1", quantity=90)],
        [offer("O1", capacity=30), offer("O2", "S2", capacity=30), offer("O3", "S3", capacity=20)],
        k=2,
    )
    result = solved(inst, solver)
    assert result.unmet_value == 30 * 100
    assert len(result.lines) == 2
    assert {r.code for r in result.needs[0].reasons} >= {"K_LIMIT_REACHED"}


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_k_limit_picks_largest(solver: str) -> None:
    inst = instance(
        [need("N1", quantity=100)],
        [
            offer("O1", capacity=10),
            offer("O2", "S2", capacity=45),
            offer("O3", "S3", capacity=40),
            offer("O4", "S4", capacity=20),
        ],
        k=2,
    )
    assert solved(inst, solver).unmet_value == 15 * 100
