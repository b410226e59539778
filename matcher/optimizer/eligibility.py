"""Eligibility of an offer for a need: THE single source of truth (spec section
"Eligibility of an offer o for a need n"). The optimiser, the supplier shortlist and the
what-if scenarios call this module; the independent validator deliberately does not.

- :func:`ineligibility_reasons` explains one (need, offer) pair as typed reasons;
- :func:`is_eligible` is the boolean form;
- :func:`eligible_mask` is the same rule vectorised over the offers of one category;
- :func:`eligible_pairs` builds every eligible pair of an instance with it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from matcher.catalog.taxonomy import CERTIFICATE_TYPES
from matcher.optimizer.model import Instance, Need, Offer, Supplier

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class ReasonCode(enum.StrEnum):
    UNVERIFIED = "UNVERIFIED"
    CATEGORY_MISMATCH = "CATEGORY_MISMATCH"
    CERTIFICATE_MISSING = "CERTIFICATE_MISSING"
    PRICE_ABOVE_HPS = "PRICE_ABOVE_HPS"
    LEAD_TIME_TOO_LONG = "LEAD_TIME_TOO_LONG"
    MIN_ORDER_ABOVE_QUANTITY = "MIN_ORDER_ABOVE_QUANTITY"
    MIN_ORDER_ABOVE_CAPACITY = "MIN_ORDER_ABOVE_CAPACITY"
    NO_CAPACITY = "NO_CAPACITY"
    # Not part of the pair rule: the state of a planning round (shortlists of planned needs).
    SUPPLIER_CAP_REACHED = "SUPPLIER_CAP_REACHED"


_LABELS: dict[ReasonCode, str] = {
    ReasonCode.UNVERIFIED: "penyedia belum terverifikasi",
    ReasonCode.CATEGORY_MISMATCH: "kategori berbeda",
    ReasonCode.CERTIFICATE_MISSING: "sertifikat kurang",
    ReasonCode.PRICE_ABOVE_HPS: "harga di atas HPS",
    ReasonCode.LEAD_TIME_TOO_LONG: "waktu kirim terlalu lama",
    ReasonCode.MIN_ORDER_ABOVE_QUANTITY: "minimal order melebihi kebutuhan",
    ReasonCode.MIN_ORDER_ABOVE_CAPACITY: "minimal order melebihi kapasitas",
    ReasonCode.NO_CAPACITY: "kapasitas habis (0)",
    ReasonCode.SUPPLIER_CAP_REACHED: "batas nilai per penyedia dalam rencana tercapai",
}


@dataclass(frozen=True)
class Ineligibility:
    """One reason an offer cannot serve a need.

    ``amount`` carries the reason's number: rupiah above HPS, days late, units of minimum
    order above quantity/capacity, rupiah left under a supplier cap; ``certs`` the missing
    certificates."""

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
        if self.code is ReasonCode.SUPPLIER_CAP_REACHED:
            return f"{label} (sisa Rp{self.amount:,})".replace(",", ".")
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


@dataclass(frozen=True)
class OfferColumns:
    """What eligibility reads of a set of offers, one array entry per offer, for the
    vectorised form of the rule: the optimiser's pair building and the shortlist's ranking of
    a whole category."""

    supplier_verified: BoolArray
    unit_price: IntArray
    lead_time_days: IntArray
    min_order_qty: IntArray
    capacity: IntArray
    # The supplier's valid certificates as bits of ``CERTIFICATE_TYPES``.
    cert_bits: IntArray

    def __len__(self) -> int:
        return int(self.unit_price.shape[0])

    @classmethod
    def of(cls, offers: Sequence[Offer], suppliers: Mapping[str, Supplier]) -> OfferColumns:
        """Columns of ``offers``; every offer's supplier must be in ``suppliers``."""
        owners = [suppliers[o.supplier_id] for o in offers]
        return cls(
            supplier_verified=np.array([s.verified for s in owners], dtype=np.bool_),
            unit_price=np.array([o.unit_price for o in offers], dtype=np.int64),
            lead_time_days=np.array([o.lead_time_days for o in offers], dtype=np.int64),
            min_order_qty=np.array([o.min_order_qty for o in offers], dtype=np.int64),
            capacity=np.array([o.capacity for o in offers], dtype=np.int64),
            cert_bits=np.array([cert_bits(s.certs) for s in owners], dtype=np.int64),
        )

    def subset(self, index: IntArray) -> OfferColumns:
        return OfferColumns(
            self.supplier_verified[index],
            self.unit_price[index],
            self.lead_time_days[index],
            self.min_order_qty[index],
            self.capacity[index],
            self.cert_bits[index],
        )


def cert_bits(certs: Iterable[str]) -> int:
    """A set of certificate codes as bits of ``CERTIFICATE_TYPES`` (unknown codes: no bit)."""
    held = set(certs)
    mask = 0
    for i, code in enumerate(CERTIFICATE_TYPES):
        if code in held:
            mask |= 1 << i
    return mask


def usable_offers(columns: OfferColumns) -> BoolArray:
    """The need-independent half of the rule: verified supplier, capacity left, and a
    minimum order the capacity can hold."""
    return (
        columns.supplier_verified
        & (columns.capacity > 0)
        & (columns.min_order_qty <= columns.capacity)
    )


def fitting_offers(need: Need, columns: OfferColumns, today: date) -> BoolArray:
    """The need-dependent half of the rule, for offers of the need's category: price within
    HPS, delivery by the needed-by date, minimum order within the quantity, every required
    certificate held."""
    required = cert_bits(need.required_certs)
    holds_certs: BoolArray = (columns.cert_bits & required) == required
    return (
        (columns.unit_price <= need.max_unit_price)
        & (columns.lead_time_days <= (need.needed_by - today).days)
        & (columns.min_order_qty <= need.quantity)
        & holds_certs
    )


def eligible_mask(need: Need, columns: OfferColumns, today: date) -> BoolArray:
    """The rule of :func:`ineligibility_reasons`, vectorised over offers of the need's
    category: ``mask[i]`` is true exactly when that function finds no reason for offer i."""
    return usable_offers(columns) & fitting_offers(need, columns, today)


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
    by_category: dict[str, tuple[IntArray, OfferColumns]] = {}
    for category, offers in instance.offers_by_category.items():
        known = [o for o in offers if o.supplier_id in suppliers]
        columns = OfferColumns.of(known, suppliers)
        usable = np.flatnonzero(usable_offers(columns))
        index = np.array([offer_index[o.offer_id] for o in known], dtype=np.int64)
        by_category[category] = (index[usable], columns.subset(usable))
    need_parts: list[IntArray] = []
    offer_parts: list[IntArray] = []
    for n_idx, need in enumerate(instance.needs):
        found = by_category.get(need.category)
        if found is None or len(found[1]) == 0:
            continue
        index, columns = found
        chosen = np.sort(index[fitting_offers(need, columns, today)])
        if chosen.size:
            offer_parts.append(chosen)
            need_parts.append(np.full(chosen.size, n_idx, dtype=np.int64))
    if not need_parts:
        empty = np.zeros(0, dtype=np.int64)
        return EligiblePairs(empty, empty.copy())
    return EligiblePairs(np.concatenate(need_parts), np.concatenate(offer_parts))
