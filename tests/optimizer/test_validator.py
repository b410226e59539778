"""The independent validator catches each kind of violation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matcher.optimizer import Agency, AllocationLine, validate
from tests.optimizer.helpers import TODAY, instance, need, offer, supplier


def _codes(inst_lines: list[AllocationLine], **kw: object) -> set[str]:
    inst = instance(
        [
            need(
                "N1",
                quantity=50,
                required_certs=frozenset({"HALAL"}),
                needed_by=TODAY + timedelta(days=3),
            ),
            need("N2", quantity=50),
        ],
        [
            offer("O1", "S1", capacity=40, min_order_qty=10),
            offer("O2", "S2", unit_price=150),
            offer("O3", "S3", lead_time_days=9),
            offer("O4", "S4", category="CETAK"),
            offer("O5", "S5"),
        ],
        [
            supplier("S1", certs=frozenset({"HALAL"})),
            supplier("S2", certs=frozenset({"HALAL"})),
            supplier("S3", certs=frozenset({"HALAL"})),
            supplier("S4", certs=frozenset({"HALAL"}), verified=False),
            supplier("S5"),
        ],
        [Agency("A1", "Dinas", 5_000)],
        k=1,
        cap=2_000,
    )
    return {v.code for v in validate(inst, inst_lines).violations}


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([AllocationLine("N1", "O1", 5)], "MIN_ORDER"),
        ([AllocationLine("N1", "O2", 10)], "PRICE"),
        ([AllocationLine("N1", "O3", 10)], "LEAD_TIME"),
        ([AllocationLine("N1", "O4", 10)], "CATEGORY"),
        ([AllocationLine("N1", "O4", 10)], "UNVERIFIED"),
        ([AllocationLine("N1", "O5", 10)], "CERTIFICATE"),
        ([AllocationLine("N2", "O1", 45)], "CAPACITY"),
        ([AllocationLine("N2", "O5", 50), AllocationLine("N1", "O1", 10)], "BUDGET"),
        ([AllocationLine("N2", "O1", 21)], "SUPPLIER_CAP"),
        ([AllocationLine("N2", "O1", 10), AllocationLine("N2", "O5", 1)], "K_LIMIT"),
        ([AllocationLine("N2", "O5", 51)], "OVER_SUPPLY"),
        ([AllocationLine("N9", "O5", 1)], "UNKNOWN_NEED"),
    ],
)
def test_violation_found(lines: list[AllocationLine], code: str) -> None:
    assert code in _codes(lines)


def test_valid_allocation_values() -> None:
    inst = instance(
        [need("N1", quantity=10, max_unit_price=120)],
        [offer("O1", "S1", unit_price=100)],
        [supplier("S1", size_class="mikro")],
    )
    report = validate(inst, [AllocationLine("N1", "O1", 4)])
    assert report.ok
    assert (report.unmet_value, report.priority_value, report.cost) == (6 * 120, 4 * 120, 400)
