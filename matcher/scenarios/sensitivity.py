"""Where an extra rupiah or unit helps most: the LP shadow prices of the stage-1 problem.

For every binding budget, supplier cap and capacity the optimiser reports the LP-relaxation
dual of the stage-1 (unmet value) problem: unmet value removed per extra rupiah of budget or
cap, or per extra unit of capacity. The ranking is by that rate; the estimate for a step
(Rp100 juta of budget, 100 units of capacity) is linear and holds only while the LP basis
does (a larger step may hit another limit first), so it is capped at the unmet value (of the
agency, for a budget)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from matcher.money import format_rupiah
from matcher.optimizer import Allocation, Instance

BUDGET_STEP = 100_000_000  # Rp100 juta
CAPACITY_STEP = 100  # units


@dataclass(frozen=True)
class Lever:
    family: str
    key: str
    label: str
    used: int
    limit: int
    per_unit: float  # unmet value removed per rupiah (budget, cap) or per unit (capacity)
    step: int
    estimate: int  # linear estimate for one step, capped at the unmet value
    text: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def levers(instance: Instance, allocation: Allocation, top: int = 10) -> list[Lever]:
    out: list[Lever] = []
    unmet = allocation.unmet_value
    agency_unmet: dict[str, int] = {}
    for diag in allocation.needs:
        agency = instance.need_by_id[diag.need_id].agency_id
        agency_unmet[agency] = agency_unmet.get(agency, 0) + diag.unmet_value
    for b in allocation.binding:
        if b.shadow_price is None or b.shadow_price <= 1e-9:
            continue
        if b.family == "budget":
            name = instance.agency_by_id[b.key].name if b.key in instance.agency_by_id else b.key
            step = BUDGET_STEP
            estimate = min(agency_unmet.get(b.key, unmet), round(b.shadow_price * step))
            label = f"Anggaran {name} ({b.key})"
            text = (
                f"Tambahan Rp100 juta untuk anggaran {name} mengurangi kebutuhan tak terpenuhi "
                f"sekitar {format_rupiah(estimate)} (perkiraan linear, berlaku selama basis LP "
                "tetap)"
            )
        elif b.family == "supplier_cap":
            step = BUDGET_STEP
            estimate = min(unmet, round(b.shadow_price * step))
            label = f"Batas nilai pemasok {b.key}"
            text = (
                f"Menaikkan batas nilai pemasok {b.key} sebesar Rp100 juta mengurangi kebutuhan "
                f"tak terpenuhi sekitar {format_rupiah(estimate)} (perkiraan linear)"
            )
        elif b.family == "capacity":
            offer = instance.offer_by_id.get(b.key)
            step = CAPACITY_STEP
            estimate = min(unmet, round(b.shadow_price * step))
            unit = offer.unit if offer else "unit"
            who = f"{offer.name} ({offer.supplier_id})" if offer else b.key
            label = f"Kapasitas {who}"
            text = (
                f"Tambahan {step} {unit} kapasitas {who} mengurangi kebutuhan tak terpenuhi "
                f"sekitar {format_rupiah(estimate)} (perkiraan linear)"
            )
        else:
            continue
        out.append(
            Lever(b.family, b.key, label, b.used, b.limit, b.shadow_price, step, estimate, text)
        )
    out.sort(key=lambda lever: (-lever.estimate, -lever.per_unit, lever.family, lever.key))
    return out[:top]
