"""Offer services: create, update with history, list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from matcher.auth.principal import Principal
from matcher.catalog.repository import OfferRepository, SupplierRepository
from matcher.catalog.schemas import OfferCreate, OfferUpdate
from matcher.catalog.verification import record_initial_status
from matcher.errors import Conflict, FieldError, InvalidInput, NotFound
from matcher.models import ChangeSource, Offer, OfferHistory, Supplier, VerificationStatus
from matcher.models.enums import SizeClass

# Fields whose changes are kept in the offer's history.
TRACKED_FIELDS: tuple[str, ...] = (
    "category",
    "name",
    "unit",
    "unit_price",
    "capacity",
    "min_order_qty",
    "lead_time_days",
    "description",
    "photo_url",
    "active",
)


def apply_changes(
    session: Session,
    offer: Offer,
    values: dict[str, Any],
    *,
    source: ChangeSource,
    actor_user_id: int | None,
) -> dict[str, list[Any]]:
    """Set the given fields; append one history entry with ``{field: [old, new]}`` for those
    that really changed. Returns the changes (empty when nothing changed)."""
    changes: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(offer, name)
        if old != new:
            changes[name] = [old, new]
            setattr(offer, name, new)
    if changes:
        tracked = {k: v for k, v in changes.items() if k in TRACKED_FIELDS}
        if tracked:
            session.add(
                OfferHistory(
                    offer_id=offer.id, source=source, actor_user_id=actor_user_id, changes=tracked
                )
            )
    return changes


def check_min_order(offer: Offer) -> None:
    if offer.capacity > 0 and offer.min_order_qty > offer.capacity:
        raise InvalidInput(
            "min_order_qty tidak boleh melebihi capacity",
            errors=[FieldError(("body", "min_order_qty"), "melebihi capacity")],
        )


def create_offer(session: Session, principal: Principal, data: OfferCreate) -> Offer:
    """A new offer is pending until the tim pengelola verifies it. A supplier the principal
    may not write to reads as absent (404 naming ``supplier_id``)."""
    try:
        supplier: Supplier = SupplierRepository(session).get_writable(principal, data.supplier_id)
    except NotFound as exc:
        raise NotFound(
            exc.detail, errors=[FieldError(("body", "supplier_id"), "tidak ditemukan")]
        ) from None
    if session.scalar(select(Offer.id).where(Offer.code == data.code)) is not None:
        raise Conflict(
            f"Kode penawaran {data.code} sudah dipakai",
            errors=[FieldError(("body", "code"), "sudah dipakai")],
        )
    offer = Offer(**data.model_dump(), status=VerificationStatus.PENDING)
    offer.supplier = supplier
    session.add(offer)
    session.flush()
    record_initial_status(session, principal, offer, "didaftarkan")
    return offer


def update_offer(session: Session, principal: Principal, offer_id: int, data: OfferUpdate) -> Offer:
    offer = OfferRepository(session).get_writable(principal, offer_id)
    values = data.model_dump(exclude_unset=True)
    for name in (
        "name",
        "unit",
        "unit_price",
        "capacity",
        "min_order_qty",
        "lead_time_days",
        "active",
    ):
        if name in values and values[name] is None:
            raise InvalidInput(
                f"{name} tidak boleh kosong",
                errors=[FieldError(("body", name), "tidak boleh kosong")],
            )
    apply_changes(session, offer, values, source=ChangeSource.API, actor_user_id=principal.user_id)
    check_min_order(offer)
    session.flush()
    return offer


def list_statement(
    session: Session,
    principal: Principal,
    *,
    category: str | None = None,
    supplier_id: int | None = None,
    status: VerificationStatus | None = None,
    active: bool | None = None,
    kecamatan: str | None = None,
) -> Select[Offer]:
    statement = OfferRepository(session).readable(principal)
    if category:
        statement = statement.where(Offer.category == category.upper())
    if supplier_id is not None:
        statement = statement.where(Offer.supplier_id == supplier_id)
    if status is not None:
        statement = statement.where(Offer.status == status)
    if active is not None:
        statement = statement.where(Offer.active.is_(active))
    if kecamatan:
        statement = statement.where(Supplier.kecamatan == kecamatan)
    return statement.order_by(Offer.id)


def history_statement(offer_id: int) -> Select[OfferHistory]:
    """The offer's recorded changes, oldest first."""
    return select(OfferHistory).where(OfferHistory.offer_id == offer_id).order_by(OfferHistory.id)


def public_statement(
    *,
    category: str | None = None,
    kecamatan: str | None = None,
    size_class: SizeClass | None = None,
    search: str | None = None,
) -> Select[Offer]:
    """The open catalogue anyone may read without an account: active, verified offers of
    verified suppliers, filtered by category, kecamatan, size class and a name search."""
    statement = (
        select(Offer)
        .join(Offer.supplier)
        .where(
            Supplier.status == VerificationStatus.VERIFIED,
            Offer.status == VerificationStatus.VERIFIED,
            Offer.active.is_(True),
        )
        .options(selectinload(Offer.supplier))
    )
    if category:
        statement = statement.where(Offer.category == category.upper())
    if kecamatan:
        statement = statement.where(Supplier.kecamatan == kecamatan)
    if size_class is not None:
        statement = statement.where(Supplier.size_class == size_class)
    if search:
        pattern = f"%{search.strip()}%"
        statement = statement.where(or_(Offer.name.ilike(pattern), Supplier.name.ilike(pattern)))
    return statement.order_by(Offer.category, Supplier.name, Offer.id)
