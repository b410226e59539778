"""Eligibility and candidates for order lines, through THE eligibility rules of
``matcher.optimizer.eligibility`` (on the optimiser's view of the rows, built by
``matcher.planning.instance``). The catalogue side the planning instance filters on before
(an offer must be verified and active) is checked here as well.

``next_candidate`` picks who gets a declined quantity: the first eligible offer of the need's
shortlist (``matcher.shortlist.service``: priority suppliers, price, distance, delivery
record and rotation) that can take the whole quantity."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy.orm import Session

from matcher.models import Need, Offer, Supplier, VerificationStatus
from matcher.planning.instance import available_capacity


def ineligibility_messages(need: Need, offer: Offer, today: date) -> list[str]:
    """Why ``offer`` cannot serve ``need`` (empty: eligible), in Bahasa Indonesia."""
    from matcher.optimizer.eligibility import ineligibility_reasons
    from matcher.planning.instance import need_to_model, offer_to_model, supplier_to_model

    messages: list[str] = []
    if offer.status != VerificationStatus.VERIFIED or not offer.active:
        messages.append("penawaran belum terverifikasi atau tidak aktif")
    reasons = ineligibility_reasons(
        need_to_model(need), offer_to_model(offer), supplier_to_model(offer.supplier, today), today
    )
    messages += [reason.message for reason in reasons]
    return messages


def is_priority(supplier: Supplier, today: date) -> bool:
    """THE priority rule of the optimiser: verified, local, micro/small or koperasi."""
    from matcher.planning.instance import supplier_to_model

    return bool(supplier_to_model(supplier, today).is_priority)


def _fits(offer: Offer, quantity: int) -> bool:
    return available_capacity(offer) >= quantity and offer.min_order_qty <= quantity


def next_candidate(
    session: Session,
    need: Need,
    quantity: int,
    *,
    exclude_supplier_ids: Collection[int],
    today: date,
) -> Offer | None:
    """The best-ranked eligible offer on the need's shortlist, from a supplier not excluded,
    able to take the whole ``quantity`` from the capacity it has left."""
    from matcher.shortlist.service import shortlist_for_need

    for entry in shortlist_for_need(session, need, today=today).entries:
        if not entry.eligible or entry.supplier_id in exclude_supplier_ids:
            continue
        offer = session.get(Offer, entry.offer_id)
        if offer is not None and _fits(offer, quantity):
            return offer
    return None
