"""ORM rows -> optimiser dataclasses. The single place where the database's view of the
catalogue becomes the spec's instance: used by plans, the shortlist and scenarios.

Identifiers are the public codes (supplier S00001, offer O000001, need N000001, agency A001),
so an instance built here and the same data exported to the spec folder are the same input.
Capacities and budgets are what remains after approved orders (reserved and committed)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Select, String, case, func, select, type_coerce
from sqlalchemy.orm import Session

from matcher.catalog.taxonomy import CERTIFICATE_TYPES
from matcher.models import Agency, Certificate, Need, Offer, Supplier, VerificationStatus
from matcher.optimizer import model as opt
from matcher.optimizer.eligibility import OfferColumns


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


_SelectT = TypeVar("_SelectT", bound="Select[*tuple[Any, ...]]")


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
    # For explanations, per supplier: certificate types held but expired by the day, and
    # those waiting for (or refused) verification by the tim pengelola.
    expired_certs: dict[int, frozenset[str]]
    unverified_certs: dict[int, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CatalogueColumns:
    """The offers of one category column by column (numpy), in offer-code order: what ranking a
    whole category needs, without a dataclass per offer. ``load_catalogue(offer_ids=...)``
    gives the full entries of the few that are shown."""

    offer_db_id: npt.NDArray[np.int64]
    supplier_db_id: npt.NDArray[np.int64]
    offer_verified: npt.NDArray[np.bool_]
    # The columns the eligibility rule reads (capacity is what reservations leave).
    eligibility: OfferColumns
    # Supplier attributes, per offer, for priority and distance.
    size_class: list[str]
    is_koperasi: list[bool]
    region: list[str]
    kecamatan: list[str]
    is_local: list[bool]

    def __len__(self) -> int:
        return int(self.offer_db_id.shape[0])


def _catalogue_filter(
    statement: _SelectT, categories: Collection[str], verified_offers_only: bool
) -> _SelectT:
    """THE catalogue a round or a shortlist sees: active offers of the categories, never
    rejected ones, only verified ones when asked."""
    statement = statement.join(Supplier, Supplier.id == Offer.supplier_id).where(
        Offer.category.in_(sorted(categories)), Offer.active.is_(True)
    )
    if verified_offers_only:
        return statement.where(Offer.status == VerificationStatus.VERIFIED)
    return statement.where(Offer.status != VerificationStatus.REJECTED)


@dataclass
class _CertificateSets:
    """Certificate types per supplier (database id): those that count on the day, and, for
    explanations, those held but expired and those still waiting for verification."""

    counting: dict[int, set[str]] = field(default_factory=dict)
    expired: dict[int, set[str]] = field(default_factory=dict)
    unverified: dict[int, set[str]] = field(default_factory=dict)


def _certificates(
    connection: Connection, supplier_ids: Select[Any], today: date
) -> _CertificateSets:
    """The certificates of the suppliers, sorted by :meth:`Certificate.counts_on` (the rule,
    evaluated in SQL: no date parsed per row)."""
    sets = _CertificateSets()
    counts = Certificate.counting_on(today)
    statement = select(
        Certificate.supplier_id,
        type_coerce(Certificate.type, String),
        counts,
        Certificate.valid_on_clause(today),
    ).where(Certificate.supplier_id.in_(supplier_ids))
    for supplier_id, cert_type, counting, valid in connection.execute(statement).all():
        if counting:
            target = sets.counting
        elif not valid:
            target = sets.expired
        else:
            target = sets.unverified
        target.setdefault(supplier_id, set()).add(cert_type)
    return sets


def _counting_cert_bits(
    connection: Connection, supplier_ids: Select[Any], today: date
) -> dict[int, int]:
    """Per supplier, the certificates that count on the day as the bits of
    :func:`matcher.optimizer.eligibility.cert_bits`, summed in SQL: each type adds its own
    power of two once (``SUM(DISTINCT …)``: a renewed certificate held twice counts once)."""
    bit = case(
        *((Certificate.type == code, 1 << i) for i, code in enumerate(CERTIFICATE_TYPES)),
        else_=0,
    )
    rows = connection.execute(
        select(Certificate.supplier_id, func.sum(bit.distinct()))
        .where(Certificate.supplier_id.in_(supplier_ids), Certificate.counting_on(today))
        .group_by(Certificate.supplier_id)
    ).all()
    return {supplier_id: int(bits or 0) for supplier_id, bits in rows}


def load_catalogue(
    session: Session,
    categories: Iterable[str],
    today: date,
    *,
    verified_offers_only: bool = True,
    offer_ids: Collection[int] | None = None,
) -> Catalogue:
    """Active offers in the categories with their suppliers, read as plain rows (no ORM
    objects: this is the hot path of planning rounds). Rejected offers are never included;
    with ``verified_offers_only`` only verified offers are; with ``offer_ids`` only those."""
    wanted = set(categories)
    statement = _catalogue_filter(
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
        ),
        wanted,
        verified_offers_only,
    ).order_by(Offer.code)
    owners = select(Offer.supplier_id).where(Offer.category.in_(sorted(wanted)))
    if offer_ids is not None:
        statement = statement.where(Offer.id.in_(sorted(offer_ids)))
        owners = owners.where(Offer.id.in_(sorted(offer_ids)))
    # Core execution on the session's connection: plain tuples, no ORM result processing.
    connection = session.connection()
    rows = connection.execute(statement).all()
    certs = _certificates(connection, owners, today)
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
                certs=frozenset(certs.counting.get(supplier_id, ())),
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
    return Catalogue(
        entries,
        {sid: frozenset(types) for sid, types in certs.expired.items() if sid in suppliers},
        {sid: frozenset(types) for sid, types in certs.unverified.items() if sid in suppliers},
    )


def load_catalogue_columns(
    session: Session, category: str, today: date, *, verified_offers_only: bool = True
) -> CatalogueColumns:
    """The same catalogue as :func:`load_catalogue` for one category, as columns: the fields
    ranking and eligibility read, nothing else (the shortlist's hot path)."""
    statement = _catalogue_filter(
        select(
            Offer.id,
            Supplier.id,
            Offer.status == VerificationStatus.VERIFIED,
            Supplier.status == VerificationStatus.VERIFIED,
            Offer.unit_price,
            Offer.lead_time_days,
            Offer.min_order_qty,
            Offer.capacity - func.coalesce(Offer.reserved_quantity, 0),
            type_coerce(Supplier.size_class, String),
            Supplier.is_koperasi,
            Supplier.region,
            Supplier.kecamatan,
            Supplier.is_local,
        ),
        {category},
        verified_offers_only,
    ).order_by(Offer.code)
    connection = session.connection()
    rows = connection.execute(statement).all()
    bits = _counting_cert_bits(
        connection, select(Offer.supplier_id).where(Offer.category == category), today
    )
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 13
    (
        offer_ids,
        supplier_ids,
        offer_verified,
        supplier_verified,
        unit_price,
        lead_time,
        min_order,
        capacity,
        size_class,
        is_koperasi,
        region,
        kecamatan,
        is_local,
    ) = columns

    def ints(values: tuple[Any, ...]) -> npt.NDArray[np.int64]:
        return np.array(values, dtype=np.int64)

    def flags(values: tuple[Any, ...]) -> npt.NDArray[np.bool_]:
        return np.array([bool(v) for v in values], dtype=np.bool_)

    return CatalogueColumns(
        offer_db_id=ints(offer_ids),
        supplier_db_id=ints(supplier_ids),
        offer_verified=flags(offer_verified),
        eligibility=OfferColumns(
            supplier_verified=flags(supplier_verified),
            unit_price=ints(unit_price),
            lead_time_days=ints(lead_time),
            min_order_qty=ints(min_order),
            capacity=np.maximum(ints(capacity), 0),
            cert_bits=ints(tuple(bits.get(sid, 0) for sid in supplier_ids)),
        ),
        size_class=list(size_class),
        is_koperasi=[bool(v) for v in is_koperasi],
        region=list(region),
        kecamatan=list(kecamatan),
        is_local=[bool(v) for v in is_local],
    )


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
