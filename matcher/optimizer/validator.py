"""Independent validator: re-checks an allocation against the spec with its own plain
loops, deliberately sharing no code with the optimiser (not ``eligibility``, not the
formulation, not the solvers), and recomputes the three objective values.

Only the input dataclasses and the folder reader are shared."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from matcher.optimizer.model import AllocationLine, Instance


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    need_id: str = ""
    offer_id: str = ""


@dataclass(frozen=True)
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    unmet_value: int = 0
    priority_value: int = 0
    cost: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations


def _priority(instance: Instance, supplier_id: str) -> bool:
    s = instance.supplier_by_id[supplier_id]
    small = s.size_class == "mikro" or s.size_class == "kecil"
    return bool(s.verified and s.is_local and (small or s.is_koperasi))


def validate(instance: Instance, lines: Iterable[AllocationLine]) -> ValidationReport:
    needs = {n.need_id: n for n in instance.needs}
    offers = {o.offer_id: o for o in instance.offers}
    suppliers = {s.supplier_id: s for s in instance.suppliers}
    budgets = {a.agency_id: a.budget for a in instance.agencies}
    today = instance.policy.today
    out: list[Violation] = []
    qty: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        if line.quantity < 0:
            out.append(Violation("NEGATIVE", "jumlah negatif", line.need_id, line.offer_id))
            continue
        if line.need_id not in needs:
            out.append(Violation("UNKNOWN_NEED", "kebutuhan tidak dikenal", line.need_id))
            continue
        if line.offer_id not in offers:
            out.append(Violation("UNKNOWN_OFFER", "penawaran tidak dikenal", "", line.offer_id))
            continue
        qty[(line.need_id, line.offer_id)] += line.quantity
    served: dict[str, int] = defaultdict(int)
    offers_used: dict[str, int] = defaultdict(int)
    sold: dict[str, int] = defaultdict(int)
    spent: dict[str, int] = defaultdict(int)
    supplier_value: dict[str, int] = defaultdict(int)
    priority_value = 0
    cost = 0
    for (need_id, offer_id), q in sorted(qty.items()):
        if q == 0:
            continue
        need = needs[need_id]
        offer = offers[offer_id]
        supplier = suppliers.get(offer.supplier_id)
        where = {"need_id": need_id, "offer_id": offer_id}
        if supplier is None:
            out.append(Violation("UNKNOWN_SUPPLIER", "penyedia tidak dikenal", **where))
            continue
        if not supplier.verified:
            out.append(Violation("UNVERIFIED", "penyedia belum terverifikasi", **where))
        if offer.category != need.category:
            out.append(Violation("CATEGORY", "kategori berbeda", **where))
        for cert in need.required_certs:
            if cert not in supplier.certs:
                out.append(Violation("CERTIFICATE", f"sertifikat {cert} tidak dimiliki", **where))
        if offer.unit_price > need.max_unit_price:
            out.append(Violation("PRICE", "harga di atas HPS", **where))
        if today + timedelta(days=offer.lead_time_days) > need.needed_by:
            out.append(Violation("LEAD_TIME", "tidak sampai sebelum tanggal dibutuhkan", **where))
        if offer.capacity <= 0 or offer.min_order_qty > offer.capacity:
            out.append(Violation("OFFER_CAPACITY", "penawaran tanpa kapasitas cukup", **where))
        if offer.min_order_qty > need.quantity:
            out.append(Violation("MOQ_QUANTITY", "minimal order melebihi kebutuhan", **where))
        if q < offer.min_order_qty:
            out.append(
                Violation("MIN_ORDER", f"{q} < minimal order {offer.min_order_qty}", **where)
            )
        served[need_id] += q
        offers_used[need_id] += 1
        sold[offer_id] += q
        spent[need.agency_id] += q * offer.unit_price
        supplier_value[offer.supplier_id] += q * offer.unit_price
        cost += q * offer.unit_price
        if _priority(instance, offer.supplier_id):
            priority_value += q * need.max_unit_price
    k = instance.policy.max_suppliers_per_need
    unmet = 0
    for need in instance.needs:
        got = served.get(need.need_id, 0)
        if got > need.quantity:
            out.append(Violation("OVER_SUPPLY", f"{got} > {need.quantity}", need.need_id))
        if offers_used.get(need.need_id, 0) > k:
            out.append(
                Violation("K_LIMIT", f"{offers_used[need.need_id]} penyedia > {k}", need.need_id)
            )
        unmet += max(0, need.quantity - got) * need.max_unit_price
    for offer_id, total in sorted(sold.items()):
        if total > offers[offer_id].capacity:
            out.append(
                Violation(
                    "CAPACITY", f"{total} > kapasitas {offers[offer_id].capacity}", "", offer_id
                )
            )
    for agency_id, total in sorted(spent.items()):
        if agency_id not in budgets:
            out.append(Violation("UNKNOWN_AGENCY", f"instansi {agency_id} tidak dikenal"))
        elif total > budgets[agency_id]:
            out.append(Violation("BUDGET", f"{agency_id}: {total} > anggaran {budgets[agency_id]}"))
    cap = instance.policy.max_supplier_value
    if cap is not None:
        for supplier_id, total in sorted(supplier_value.items()):
            if total > cap:
                out.append(Violation("SUPPLIER_CAP", f"{supplier_id}: {total} > batas {cap}"))
    return ValidationReport(out, unmet, priority_value, cost)
