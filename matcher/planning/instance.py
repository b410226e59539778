"""ORM rows -> optimiser dataclasses. The single place where the database's view of the
catalogue becomes the spec's instance: used by plans, the shortlist and scenarios.

Identifiers are the public codes (supplier S00001, offer O000001, need N000001, agency A001),
so an instance built here and the same data exported to the spec folder are the same input.
Capacities and budgets are what remains after approved orders (reserved and committed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from matcher.models import Agency, Certificate, Need, Offer, Supplier, VerificationStatus
from matcher.optimizer import model as opt


def supplier_to_model(supplier: Supplier, today: date) -> opt.Supplier:
    """A supplier as the optimiser sees it: verified or not, and the certificates that are
    valid today (an expired certificate no longer counts)."""
    return opt.Supplier(
        supplier_id=supplier.code,
        name=supplier.name,
        nib=supplier.nib,
        size_class=supplier.size_class.value,
        is_koperasi=supplier.is_koperasi,
        region=supplier.region,
        kecamatan=supplier.kecamatan,
        is_local=supplier.is_local,
        verified=supplier.status == VerificationStatus.VERIFIED,
        certs=supplier.valid_certificate_types(today),
    )


def available_capacity(offer: Offer) -> int:
    return max(0, offer.capacity - int(getattr(offer, "reserved_quantity", 0) or 0))


def available_budget(agency: Agency) -> int:
    return max(0, agency.budget - int(getattr(agency, "committed_amount", 0) or 0))


def offer_to_model(offer: Offer) -> opt.Offer:
    return opt.Offer(
        offer_id=offer.code,
        supplier_id=offer.supplier.code,
        category=offer.category,
        name=offer.name,
        unit=offer.unit,
        unit_price=offer.unit_price,
        capacity=available_capacity(offer),
        min_order_qty=offer.min_order_qty,
        lead_time_days=offer.lead_time_days,
    )


def need_to_model(need: Need) -> opt.Need:
    return opt.Need(
        need_id=need.code,
        agency_id=need.agency.code,
        category=need.category,
        description=need.description,
        quantity=need.quantity,
        max_unit_price=need.max_unit_price,
        required_certs=frozenset(need.required_certs),
        needed_by=need.needed_by,
        region=need.region,
    )


def agency_to_model(agency: Agency) -> opt.Agency:
    return opt.Agency(agency_id=agency.code, name=agency.name, budget=available_budget(agency))


@dataclass(frozen=True)
class CatalogueEntry:
    """One offer of the catalogue as the optimiser sees it, with its database ids."""

    offer_db_id: int
    supplier_db_id: int
    offer_verified: bool
    offer: opt.Offer
    supplier: opt.Supplier


@dataclass(frozen=True)
class Catalogue:
    entries: list[CatalogueEntry]
    # Certificate types a supplier holds but which have expired by the day (for explanations).
    expired_certs: dict[int, frozenset[str]]


def load_catalogue(
    session: Session, categories: Iterable[str], today: date, *, verified_offers_only: bool = True
) -> Catalogue:
    """Active offers in the categories with their suppliers, read as plain rows (no ORM
    objects: this is the hot path of shortlists and planning rounds). Rejected offers are
    never included; with ``verified_offers_only`` only verified offers are."""
    wanted = sorted(set(categories))
    statement = (
        select(
            Offer.id,
            Offer.code,
            Offer.category,
            Offer.name,
            Offer.unit,
            Offer.unit_price,
            Offer.capacity,
            Offer.reserved_quantity,
            Offer.min_order_qty,
            Offer.lead_time_days,
            Offer.status == VerificationStatus.VERIFIED,
            Supplier.id,
            Supplier.code,
            Supplier.name,
            Supplier.nib,
            type_coerce(Supplier.size_class, String),
            Supplier.is_koperasi,
            Supplier.region,
            Supplier.kecamatan,
            Supplier.is_local,
            Supplier.status == VerificationStatus.VERIFIED,
        )
        .join(Supplier, Supplier.id == Offer.supplier_id)
        .where(Offer.category.in_(wanted), Offer.active.is_(True))
        .order_by(Offer.code)
    )
    if verified_offers_only:
        statement = statement.where(Offer.status == VerificationStatus.VERIFIED)
    else:
        statement = statement.where(Offer.status != VerificationStatus.REJECTED)
    # Core execution on the session's connection: plain tuples, no ORM result processing.
    connection = session.connection()
    rows = connection.execute(statement).all()
    supplier_db_ids = {row[11] for row in rows}
    valid: dict[int, set[str]] = {sid: set() for sid in supplier_db_ids}
    expired: dict[int, set[str]] = {}
    offered = select(Offer.supplier_id).where(Offer.category.in_(wanted))
    for supplier_id, cert_type, valid_until in connection.execute(
        select(
            Certificate.supplier_id, type_coerce(Certificate.type, String), Certificate.valid_until
        ).where(Certificate.supplier_id.in_(offered))
    ):
        if supplier_id not in valid:
            continue
        if valid_until is None or valid_until >= today:
            valid[supplier_id].add(cert_type)
        else:
            expired.setdefault(supplier_id, set()).add(cert_type)
    suppliers: dict[int, opt.Supplier] = {}
    entries: list[CatalogueEntry] = []
    for row in rows:
        (
            offer_id,
            offer_code,
            category,
            offer_name,
            unit,
            unit_price,
            capacity,
            reserved,
            min_order,
            lead_time,
            offer_verified,
            supplier_id,
            supplier_code,
            supplier_name,
            nib,
            size_class,
            is_koperasi,
            region,
            kecamatan,
            is_local,
            supplier_verified,
        ) = row
        supplier = suppliers.get(supplier_id)
        if supplier is None:
            supplier = opt.Supplier(
                supplier_id=supplier_code,
                name=supplier_name,
                nib=nib,
                size_class=size_class,
                is_koperasi=is_koperasi,
                region=region,
                kecamatan=kecamatan,
                is_local=is_local,
                verified=bool(supplier_verified),
                certs=frozenset(valid[supplier_id]),
            )
            suppliers[supplier_id] = supplier
        entries.append(
            CatalogueEntry(
                offer_db_id=offer_id,
                supplier_db_id=supplier_id,
                offer_verified=bool(offer_verified),
                offer=opt.Offer(
                    offer_id=offer_code,
                    supplier_id=supplier_code,
                    category=category,
                    name=offer_name,
                    unit=unit,
                    unit_price=unit_price,
                    capacity=max(0, capacity - (reserved or 0)),
                    min_order_qty=min_order,
                    lead_time_days=lead_time,
                ),
                supplier=supplier,
            )
        )
    return Catalogue(entries, {sid: frozenset(types) for sid, types in expired.items()})


@dataclass(frozen=True)
class DatabaseInstance:
    """An optimiser instance plus the maps back from codes to database ids."""

    instance: opt.Instance
    need_ids: dict[str, int]
    offer_ids: dict[str, int]
    supplier_ids: dict[str, int]


def build_instance(
    session: Session,
    needs: Sequence[Need],
    *,
    today: date,
    max_suppliers_per_need: int,
    max_supplier_value: int | None,
) -> DatabaseInstance:
    """The instance for a planning round over ``needs`` on the current catalogue."""
    catalogue = load_catalogue(session, {n.category for n in needs}, today)
    suppliers: dict[int, opt.Supplier] = {e.supplier_db_id: e.supplier for e in catalogue.entries}
    agency_ids = sorted({n.agency_id for n in needs})
    agencies = list(
        session.scalars(select(Agency).where(Agency.id.in_(agency_ids)).order_by(Agency.code))
    )
    instance = opt.Instance(
        suppliers=tuple(sorted(suppliers.values(), key=lambda s: s.supplier_id)),
        offers=tuple(e.offer for e in catalogue.entries),
        agencies=tuple(agency_to_model(a) for a in agencies),
        needs=tuple(need_to_model(n) for n in sorted(needs, key=lambda n: n.code)),
        policy=opt.Policy(
            today=today,
            max_suppliers_per_need=max_suppliers_per_need,
            max_supplier_value=max_supplier_value,
        ),
    )
    return DatabaseInstance(
        instance=instance,
        need_ids={n.code: n.id for n in needs},
        offer_ids={e.offer.offer_id: e.offer_db_id for e in catalogue.entries},
        supplier_ids={s.supplier_id: db_id for db_id, s in suppliers.items()},
    )
