"""Eligibility of an offer for a need: THE single source of truth (spec section
"Eligibility of an offer o for a need n"). The optimiser, the supplier shortlist and the
what-if scenarios call this module; the independent validator deliberately does not.

- :func:`ineligibility_reasons` explains one (need, offer) pair as typed reasons;
- :func:`is_eligible` is the boolean form;
- :func:`eligible_pairs` builds every eligible pair of an instance, vectorised per category.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from matcher.catalog.taxonomy import CERTIFICATE_TYPES
from matcher.optimizer.model import Instance, Need, Offer, Supplier

IntArray = npt.NDArray[np.int64]


class ReasonCode(enum.StrEnum):
    UNVERIFIED = "UNVERIFIED"
    CATEGORY_MISMATCH = "CATEGORY_MISMATCH"
    CERTIFICATE_MISSING = "CERTIFICATE_MISSING"
    PRICE_ABOVE_HPS = "PRICE_ABOVE_HPS"
    LEAD_TIME_TOO_LONG = "LEAD_TIME_TOO_LONG"
    MIN_ORDER_ABOVE_QUANTITY = "MIN_ORDER_ABOVE_QUANTITY"
    MIN_ORDER_ABOVE_CAPACITY = "MIN_ORDER_ABOVE_CAPACITY"
    NO_CAPACITY = "NO_CAPACITY"


_LABELS: dict[ReasonCode, str] = {
    ReasonCode.UNVERIFIED: "penyedia belum terverifikasi",
    ReasonCode.CATEGORY_MISMATCH: "kategori berbeda",
    ReasonCode.CERTIFICATE_MISSING: "sertifikat kurang",
    ReasonCode.PRICE_ABOVE_HPS: "harga di atas HPS",
    ReasonCode.LEAD_TIME_TOO_LONG: "waktu kirim terlalu lama",
    ReasonCode.MIN_ORDER_ABOVE_QUANTITY: "minimal order melebihi kebutuhan",
    ReasonCode.MIN_ORDER_ABOVE_CAPACITY: "minimal order melebihi kapasitas",
    ReasonCode.NO_CAPACITY: "kapasitas habis (0)",
}


@dataclass(frozen=True)
class Ineligibility:
    """One reason an offer cannot serve a need.

    ``amount`` carries the reason's number: rupiah above HPS, days late, units of minimum
    order above quantity/capacity; ``certs`` the missing certificates."""

    code: ReasonCode
    amount: int = 0
    certs: frozenset[str] = frozenset()

    @property
    def message(self) -> str:
        label = _LABELS[self.code]
        if self.code is ReasonCode.CERTIFICATE_MISSING:
            return f"{label}: {', '.join(c for c in CERTIFICATE_TYPES if c in self.certs)}"
        if self.code is ReasonCode.PRICE_ABOVE_HPS:
            return f"{label} sebesar Rp{self.amount:,}".replace(",", ".")
        if self.code is ReasonCode.LEAD_TIME_TOO_LONG:
            return f"{label}: terlambat {self.amount} hari"
        if self.code in (ReasonCode.MIN_ORDER_ABOVE_QUANTITY, ReasonCode.MIN_ORDER_ABOVE_CAPACITY):
            return f"{label} sebanyak {self.amount}"
        return label


def ineligibility_reasons(
    need: Need, offer: Offer, supplier: Supplier, today: date
) -> list[Ineligibility]:
    """Every reason ``offer`` (of ``supplier``) cannot serve ``need``; empty = eligible."""
    reasons: list[Ineligibility] = []
    if not supplier.verified:
        reasons.append(Ineligibility(ReasonCode.UNVERIFIED))
    if offer.category != need.category:
        reasons.append(Ineligibility(ReasonCode.CATEGORY_MISMATCH))
    missing = need.required_certs - supplier.certs
    if missing:
        reasons.append(Ineligibility(ReasonCode.CERTIFICATE_MISSING, certs=frozenset(missing)))
    if offer.unit_price > need.max_unit_price:
        reasons.append(
            Ineligibility(ReasonCode.PRICE_ABOVE_HPS, amount=offer.unit_price - need.max_unit_price)
        )
    arrival = today + timedelta(days=offer.lead_time_days)
    if arrival > need.needed_by:
        reasons.append(
            Ineligibility(ReasonCode.LEAD_TIME_TOO_LONG, amount=(arrival - need.needed_by).days)
        )
    if offer.capacity <= 0:
        reasons.append(Ineligibility(ReasonCode.NO_CAPACITY))
    if offer.min_order_qty > need.quantity:
        reasons.append(
            Ineligibility(
                ReasonCode.MIN_ORDER_ABOVE_QUANTITY, amount=offer.min_order_qty - need.quantity
            )
        )
    if offer.capacity > 0 and offer.min_order_qty > offer.capacity:
        reasons.append(
            Ineligibility(
                ReasonCode.MIN_ORDER_ABOVE_CAPACITY, amount=offer.min_order_qty - offer.capacity
            )
        )
    return reasons


def is_eligible(need: Need, offer: Offer, supplier: Supplier, today: date) -> bool:
    return not ineligibility_reasons(need, offer, supplier, today)


def _cert_mask(certs: frozenset[str]) -> int:
    mask = 0
    for i, code in enumerate(CERTIFICATE_TYPES):
        if code in certs:
            mask |= 1 << i
    return mask


@dataclass(frozen=True)
class EligiblePairs:
    """All eligible (need, offer) pairs of an instance as index arrays into
    ``instance.needs`` and ``instance.offers``, sorted by need index then offer index."""

    need: IntArray
    offer: IntArray

    def __len__(self) -> int:
        return int(self.need.shape[0])


def eligible_pairs(instance: Instance) -> EligiblePairs:
    """Every eligible pair, vectorised per category (offers are indexed by category, so the
    work is sum over categories of needs x offers of that category, in numpy)."""
    today = instance.policy.today
    suppliers = instance.supplier_by_id
    offer_index = {o.offer_id: i for i, o in enumerate(instance.offers)}
    by_category: dict[str, tuple[IntArray, IntArray, IntArray, IntArray, IntArray]] = {}
    for category, offers in instance.offers_by_category.items():
        usable = [
            o
            for o in offers
            if o.supplier_id in suppliers
            and suppliers[o.supplier_id].verified
            and o.capacity > 0
            and o.min_order_qty <= o.capacity
        ]
        by_category[category] = (
            np.array([offer_index[o.offer_id] for o in usable], dtype=np.int64),
            np.array([o.unit_price for o in usable], dtype=np.int64),
            np.array([o.lead_time_days for o in usable], dtype=np.int64),
            np.array([o.min_order_qty for o in usable], dtype=np.int64),
            np.array([_cert_mask(suppliers[o.supplier_id].certs) for o in usable], dtype=np.int64),
        )
    need_parts: list[IntArray] = []
    offer_parts: list[IntArray] = []
    for n_idx, need in enumerate(instance.needs):
        arrays = by_category.get(need.category)
        if arrays is None or arrays[0].size == 0:
            continue
        idx, price, lead, moq, certs = arrays
        required = _cert_mask(need.required_certs)
        max_lead = (need.needed_by - today).days
        mask = (
            (price <= need.max_unit_price)
            & (lead <= max_lead)
            & (moq <= need.quantity)
            & ((certs & required) == required)
        )
        chosen = np.sort(idx[mask])
        if chosen.size:
            offer_parts.append(chosen)
            need_parts.append(np.full(chosen.size, n_idx, dtype=np.int64))
    if not need_parts:
        empty = np.zeros(0, dtype=np.int64)
        return EligiblePairs(empty, empty.copy())
    return EligiblePairs(np.concatenate(need_parts), np.concatenate(offer_parts))
