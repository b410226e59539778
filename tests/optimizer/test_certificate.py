"""Required certificates: an uncertified offer is not eligible, whatever its price."""

from __future__ import annotations

import pytest

from tests.optimizer.helpers import MIP_SOLVERS, instance, need, offer, solved, supplier


@pytest.mark.parametrize("solver", MIP_SOLVERS)
def test_certificate_required(solver: str) -> None:
    inst = instance(
        [need("N1", category="SNACK", quantity=100, required_certs=frozenset({"HALAL", "PIRT"}))],
        [
            offer("O1", "S1", category="SNACK", unit_price=10),
            offer("O2", "S2", category="SNACK", capacity=40),
        ],
        [
            supplier("S1", certs=frozenset({"PIRT"})),
            supplier("S2", certs=frozenset({"HALAL", "PIRT"})),
        ],
    )
    result = solved(inst, solver)
    assert result.unmet_value == 60 * 100
    assert [line.offer_id for line in result.lines] == ["O2"]


def test_no_certified_offer_is_explained() -> None:
    inst = instance(
        [need("N1", category="SNACK", required_certs=frozenset({"HALAL"}))],
        [offer("O1", "S1", category="SNACK")],
        [supplier("S1", certs=frozenset({"PIRT"}))],
    )
    result = solved(inst, "cpsat")
    codes = {r.code: r.detail for r in result.needs[0].reasons}
    assert "NO_ELIGIBLE_OFFER" in codes
    assert "HALAL" in codes["CERTIFICATE_MISSING"]
