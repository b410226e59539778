"""Race-free reservation of offer capacity and agency budget.

Each reservation is one conditional UPDATE that checks and changes the counter in the same
statement (``... SET reserved_quantity = reserved_quantity + :q WHERE id = :id AND
reserved_quantity + :q <= capacity``): two transactions can never both pass the check on the
same stale value, on SQLite (one writer at a time) or PostgreSQL (the second UPDATE waits for
the row lock and re-evaluates its WHERE clause on the committed row). No rows updated means
not enough left: a 409 naming what remains. Releases are the inverse UPDATEs.

These statements bypass the ORM unit of work, so each one adds its own audit entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matcher import audit
from matcher.errors import Conflict
from matcher.models import Agency, Offer
from matcher.money import format_rupiah


class InsufficientCapacity(Conflict):
    title = "Kapasitas tidak cukup"


class InsufficientBudget(Conflict):
    title = "Anggaran tidak cukup"


def _expire(session: Session, model: type[Any], row_id: int, attribute: str) -> None:
    """Loaded copies of the row no longer hold the current counter."""
    instance = session.identity_map.get(session.identity_key(model, row_id))
    if instance is not None:
        session.expire(instance, [attribute])


def reserve_capacity(session: Session, offer_id: int, quantity: int, *, order_code: str) -> int:
    """Hold ``quantity`` units of an offer; returns the units reserved afterwards."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    new = session.scalar(
        update(Offer)
        .where(Offer.id == offer_id, Offer.reserved_quantity + quantity <= Offer.capacity)
        .values(reserved_quantity=Offer.reserved_quantity + quantity)
        .returning(Offer.reserved_quantity)
        .execution_options(synchronize_session=False)
    )
    if new is None:
        row = session.execute(
            select(
                Offer.code, Offer.name, Offer.unit, Offer.capacity, Offer.reserved_quantity
            ).where(Offer.id == offer_id)
        ).one()
        remaining = max(0, row.capacity - row.reserved_quantity)
        raise InsufficientCapacity(
            f"Kapasitas tidak cukup: penawaran {row.code} ({row.name}) tersisa {remaining} "
            f"{row.unit}, diminta {quantity} {row.unit}",
            extra={"remaining": str(remaining)},
        )
    _expire(session, Offer, offer_id, "reserved_quantity")
    audit.record(
        session,
        "offer",
        offer_id,
        "reserve",
        before={"reserved_quantity": new - quantity},
        after={"reserved_quantity": new, "order": order_code},
    )
    return int(new)


def release_capacity(session: Session, offer_id: int, quantity: int, *, order_code: str) -> int:
    """Give back ``quantity`` units held by an order; returns the units reserved afterwards."""
    if quantity <= 0:
        return -1
    new = session.scalar(
        update(Offer)
        .where(Offer.id == offer_id, Offer.reserved_quantity >= quantity)
        .values(reserved_quantity=Offer.reserved_quantity - quantity)
        .returning(Offer.reserved_quantity)
        .execution_options(synchronize_session=False)
    )
    if new is None:
        raise Conflict(
            f"Reservasi penawaran {offer_id} lebih kecil dari {quantity}; data tidak konsisten"
        )
    _expire(session, Offer, offer_id, "reserved_quantity")
    audit.record(
        session,
        "offer",
        offer_id,
        "release",
        before={"reserved_quantity": new + quantity},
        after={"reserved_quantity": new, "order": order_code},
    )
    return int(new)


def commit_budget(session: Session, agency_id: int, amount: int, *, order_code: str) -> int:
    """Commit ``amount`` rupiah of an agency's budget; returns the committed total."""
    if amount <= 0:
        return -1
    new = session.scalar(
        update(Agency)
        .where(Agency.id == agency_id, Agency.committed_amount + amount <= Agency.budget)
        .values(committed_amount=Agency.committed_amount + amount)
        .returning(Agency.committed_amount)
        .execution_options(synchronize_session=False)
    )
    if new is None:
        row = session.execute(
            select(Agency.name, Agency.budget, Agency.committed_amount).where(
                Agency.id == agency_id
            )
        ).one()
        remaining = max(0, row.budget - row.committed_amount)
        raise InsufficientBudget(
            f"Anggaran tidak cukup: {row.name} tersisa {format_rupiah(remaining)}, "
            f"pesanan senilai {format_rupiah(amount)}",
            extra={"remaining": str(remaining)},
        )
    _expire(session, Agency, agency_id, "committed_amount")
    audit.record(
        session,
        "agency",
        agency_id,
        "commit_budget",
        before={"committed_amount": new - amount},
        after={"committed_amount": new, "order": order_code},
    )
    return int(new)


def release_budget(session: Session, agency_id: int, amount: int, *, order_code: str) -> int:
    if amount <= 0:
        return -1
    new = session.scalar(
        update(Agency)
        .where(Agency.id == agency_id, Agency.committed_amount >= amount)
        .values(committed_amount=Agency.committed_amount - amount)
        .returning(Agency.committed_amount)
        .execution_options(synchronize_session=False)
    )
    if new is None:
        raise Conflict(
            f"Komitmen anggaran {agency_id} lebih kecil dari {amount}; data tidak konsisten"
        )
    _expire(session, Agency, agency_id, "committed_amount")
    audit.record(
        session,
        "agency",
        agency_id,
        "release_budget",
        before={"committed_amount": new + amount},
        after={"committed_amount": new, "order": order_code},
    )
    return int(new)
