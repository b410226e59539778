"""Why a need is (partly) unmet, and which budgets, caps and capacities bind.

Per need, the reasons are stable codes with an Indonesian detail:
NO_OFFER_IN_CATEGORY, NO_ELIGIBLE_OFFER with the eligibility reasons summarised
(CERTIFICATE_MISSING with the certificates, PRICE_ABOVE_HPS with the cheapest price,
LEAD_TIME_TOO_LONG, UNVERIFIED, MIN_ORDER_ABOVE_QUANTITY), CAPACITY_EXHAUSTED,
AGENCY_BUDGET_BINDING, SUPPLIER_CAP_BINDING, K_LIMIT_REACHED, MIN_ORDER_TOO_LARGE and
TRADE_OFF (capacity and money were left, but using them elsewhere was worth more).

Shadow prices come from the LP relaxation of the stage-1 problem: for a budget or cap, the
unmet value (rupiah) one more rupiah of it would remove; for a capacity, per unit."""

from __future__ import annotations

from collections import Counter

import numpy as np

from matcher.catalog.taxonomy import CERTIFICATE_TYPES
from matcher.optimizer.eligibility import ReasonCode, ineligibility_reasons
from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import BindingConstraint, Instance, NeedDiagnostic, NeedReason
from matcher.optimizer.relaxation import Duals
from matcher.optimizer.solvers.base import IntArray


def _rp(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def _no_eligible_reasons(inst: Instance, need_index: int) -> list[NeedReason]:
    need = inst.needs[need_index]
    offers = inst.offers_by_category.get(need.category, ())
    if not offers:
        return [NeedReason("NO_OFFER_IN_CATEGORY", f"tidak ada penawaran kategori {need.category}")]
    counts: Counter[ReasonCode] = Counter()
    missing: set[str] = set()
    cheapest: int | None = None
    days_late: int | None = None
    for offer in offers:
        supplier = inst.supplier_by_id.get(offer.supplier_id)
        if supplier is None:
            continue
        reasons = ineligibility_reasons(need, offer, supplier, inst.policy.today)
        for reason in reasons:
            counts[reason.code] += 1
            if reason.code is ReasonCode.CERTIFICATE_MISSING:
                missing |= reason.certs
            if reason.code is ReasonCode.LEAD_TIME_TOO_LONG:
                days_late = reason.amount if days_late is None else min(days_late, reason.amount)
        if supplier.verified:
            cheapest = offer.unit_price if cheapest is None else min(cheapest, offer.unit_price)
    out = [NeedReason("NO_ELIGIBLE_OFFER", f"{len(offers)} penawaran, tidak ada yang memenuhi")]
    if counts[ReasonCode.CERTIFICATE_MISSING]:
        certs = ", ".join(c for c in CERTIFICATE_TYPES if c in missing)
        out.append(NeedReason("CERTIFICATE_MISSING", f"sertifikat kurang: {certs}"))
    if counts[ReasonCode.PRICE_ABOVE_HPS] and cheapest is not None:
        out.append(
            NeedReason(
                "PRICE_ABOVE_HPS",
                f"harga termurah {_rp(cheapest)} vs HPS {_rp(need.max_unit_price)}",
            )
        )
    if counts[ReasonCode.LEAD_TIME_TOO_LONG]:
        out.append(NeedReason("LEAD_TIME_TOO_LONG", f"paling cepat terlambat {days_late} hari"))
    if counts[ReasonCode.UNVERIFIED]:
        out.append(
            NeedReason(
                "UNVERIFIED", f"{counts[ReasonCode.UNVERIFIED]} penyedia belum terverifikasi"
            )
        )
    if counts[ReasonCode.MIN_ORDER_ABOVE_QUANTITY]:
        out.append(NeedReason("MIN_ORDER_ABOVE_QUANTITY", "minimal order melebihi kebutuhan"))
    return out


def _dual(duals: Duals | None, family: str, index: int) -> float | None:
    if duals is None:
        return None
    values = {
        "budget": duals.budget,
        "supplier_cap": duals.supplier_cap,
        "capacity": duals.capacity,
    }
    return float(values[family][index])


def diagnose(
    inst: Instance, pairs: PairData, x: IntArray, duals: Duals | None
) -> tuple[tuple[NeedDiagnostic, ...], tuple[BindingConstraint, ...]]:
    """Per-need reasons and binding rows for the allocation ``x`` (over ``pairs``); shadow
    prices from the stage-1 relaxation's multipliers ``duals`` when given."""
    k = inst.policy.max_suppliers_per_need
    sold = np.bincount(pairs.offer, weights=x, minlength=len(inst.offers)).astype(np.int64)
    spend = x * pairs.price
    spent = np.bincount(pairs.agency, weights=spend, minlength=len(inst.agencies)).astype(np.int64)
    sup_value = np.bincount(pairs.supplier, weights=spend, minlength=len(inst.suppliers)).astype(
        np.int64
    )
    served = np.bincount(pairs.need, weights=x, minlength=len(inst.needs)).astype(np.int64)
    used = np.bincount(pairs.need, weights=(x > 0), minlength=len(inst.needs)).astype(np.int64)
    cap_res = np.array([o.capacity for o in inst.offers], dtype=np.int64) - sold
    budget = np.array([a.budget for a in inst.agencies], dtype=np.int64)
    budget_res = budget - spent
    cap_value = inst.policy.max_supplier_value
    starts = np.searchsorted(pairs.need, np.arange(len(inst.needs) + 1))
    needs_out: list[NeedDiagnostic] = []
    for n, need in enumerate(inst.needs):
        a, b = int(starts[n]), int(starts[n + 1])
        short = need.quantity - int(served[n])
        reasons: list[NeedReason] = []
        if b == a:
            reasons = _no_eligible_reasons(inst, n)
        elif short > 0:
            cand = np.arange(a, b)
            free = cand[(x[cand] == 0) | (cap_res[pairs.offer[cand]] > 0)]
            res = cap_res[pairs.offer[free]] + 0
            if not (res >= np.minimum(pairs.moq[free], 1)).any() or res.max(initial=0) <= 0:
                reasons.append(
                    NeedReason(
                        "CAPACITY_EXHAUSTED", "kapasitas penawaran habis untuk kebutuhan lain"
                    )
                )
            with_cap = free[cap_res[pairs.offer[free]] > 0]
            ag = int(pairs.agency[a])
            if with_cap.size and budget_res[ag] < int(pairs.price[with_cap].min()):
                reasons.append(
                    NeedReason(
                        "AGENCY_BUDGET_BINDING",
                        f"sisa anggaran {need.agency_id} {_rp(int(budget_res[ag]))}",
                    )
                )
            if cap_value is not None and with_cap.size:
                room = cap_value - sup_value[pairs.supplier[with_cap]]
                if (room < pairs.price[with_cap]).all():
                    reasons.append(
                        NeedReason("SUPPLIER_CAP_BINDING", "batas nilai per penyedia tercapai")
                    )
            if int(used[n]) >= k:
                reasons.append(NeedReason("K_LIMIT_REACHED", f"sudah {k} penyedia (batas k)"))
            if with_cap.size and (pairs.moq[with_cap] > short).all():
                reasons.append(
                    NeedReason("MIN_ORDER_TOO_LARGE", "sisa kebutuhan di bawah minimal order")
                )
            if not reasons:
                reasons.append(
                    NeedReason("TRADE_OFF", "sumber daya lebih bernilai untuk kebutuhan lain")
                )
        needs_out.append(
            NeedDiagnostic(
                need.need_id,
                need.quantity,
                int(served[n]),
                short * need.max_unit_price,
                b - a,
                tuple(reasons),
            )
        )
    binding: list[BindingConstraint] = []
    agency_pairs = np.bincount(pairs.agency, minlength=len(inst.agencies))
    min_price = np.full(len(inst.agencies), np.iinfo(np.int64).max, dtype=np.int64)
    if len(pairs):
        np.minimum.at(min_price, pairs.agency, pairs.price)
    for i, agency in enumerate(inst.agencies):
        if agency_pairs[i] and budget_res[i] < min_price[i]:
            binding.append(
                BindingConstraint(
                    "budget",
                    agency.agency_id,
                    int(spent[i]),
                    agency.budget,
                    _dual(duals, "budget", i),
                )
            )
    if cap_value is not None:
        sup_min_price = np.full(len(inst.suppliers), np.iinfo(np.int64).max, dtype=np.int64)
        if len(pairs):
            np.minimum.at(sup_min_price, pairs.supplier, pairs.price)
        for i, supplier in enumerate(inst.suppliers):
            if sup_value[i] and cap_value - sup_value[i] < sup_min_price[i]:
                binding.append(
                    BindingConstraint(
                        "supplier_cap",
                        supplier.supplier_id,
                        int(sup_value[i]),
                        cap_value,
                        _dual(duals, "supplier_cap", i),
                    )
                )
    for i, offer in enumerate(inst.offers):
        if sold[i] and sold[i] >= offer.capacity:
            binding.append(
                BindingConstraint(
                    "capacity",
                    offer.offer_id,
                    int(sold[i]),
                    offer.capacity,
                    _dual(duals, "capacity", i),
                )
            )
    return tuple(needs_out), tuple(binding)
