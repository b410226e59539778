"""Consistency of the reservation counters: each offer's ``reserved_quantity`` must equal
the units its order lines hold, each agency's ``committed_amount`` the rupiah its orders
hold, and neither may exceed the offer's capacity or the agency's budget. The counters are
changed by conditional UPDATEs (``matcher.orders.reservation``); this recomputes them from
the orders, independently."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from matcher.models import Agency, Offer, Order, OrderLine


@dataclass(frozen=True)
class Difference:
    entity: str  # "offer" or "agency"
    entity_id: int
    code: str
    field: str
    stored: int
    recomputed: int
    limit: int

    @property
    def over_allocated(self) -> bool:
        return max(self.stored, self.recomputed) > self.limit

    @property
    def mismatch(self) -> bool:
        return self.stored != self.recomputed


def find_differences(session: Session) -> list[Difference]:
    held: dict[int, int] = {}
    for offer_id, units in session.execute(
        select(OrderLine.offer_id, func.sum(OrderLine.reserved_quantity)).group_by(
            OrderLine.offer_id
        )
    ):
        held[offer_id] = int(units or 0)
    committed: dict[int, int] = {}
    for agency_id, amount in session.execute(
        select(Order.agency_id, func.sum(Order.committed_amount)).group_by(Order.agency_id)
    ):
        committed[agency_id] = int(amount or 0)
    differences: list[Difference] = []
    for offer_id, code, stored, capacity in session.execute(
        select(Offer.id, Offer.code, Offer.reserved_quantity, Offer.capacity).order_by(Offer.id)
    ):
        difference = Difference(
            "offer", offer_id, code, "reserved_quantity", stored,
            int(held.get(offer_id, 0)), capacity,
        )  # fmt: skip
        if difference.mismatch or difference.over_allocated:
            differences.append(difference)
    for agency_id, code, stored, budget in session.execute(
        select(Agency.id, Agency.code, Agency.committed_amount, Agency.budget).order_by(Agency.id)
    ):
        difference = Difference(
            "agency", agency_id, code, "committed_amount", stored,
            int(committed.get(agency_id, 0)), budget,
        )  # fmt: skip
        if difference.mismatch or difference.over_allocated:
            differences.append(difference)
    return differences


def fix_counters(session: Session, differences: list[Difference]) -> int:
    """Set mismatching counters to the recomputed sums (over-allocation is not "fixed": it
    needs a person to cancel orders). Flushes only; returns the rows changed."""
    changed = 0
    for difference in differences:
        if not difference.mismatch:
            continue
        model = Offer if difference.entity == "offer" else Agency
        session.execute(
            update(model)
            .where(model.id == difference.entity_id)
            .values({difference.field: difference.recomputed})
            .execution_options(synchronize_session=False)
        )
        changed += 1
    session.flush()
    return changed
