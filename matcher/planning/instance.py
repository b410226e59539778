"""ORM rows -> optimiser dataclasses. The single place where the database's view of the
catalogue becomes the spec's instance: used by plans, the shortlist and scenarios.

Identifiers are the public codes (supplier S00001, offer O000001, need N000001, agency A001),
so an instance built here and the same data exported to the spec folder are the same input.
Capacities and budgets are what remains after approved orders (reserved and committed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.models import Agency, Need, Offer, Supplier, VerificationStatus
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


def catalogue_offers(session: Session, categories: Iterable[str]) -> list[Offer]:
    """Active, verified offers in the given categories, with suppliers and certificates."""
    statement = (
        select(Offer)
        .where(
            Offer.category.in_(sorted(set(categories))),
            Offer.active.is_(True),
            Offer.status == VerificationStatus.VERIFIED,
        )
        .options(selectinload(Offer.supplier).selectinload(Supplier.certificates))
        .order_by(Offer.code)
    )
    return list(session.scalars(statement))


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
    offers = catalogue_offers(session, {n.category for n in needs})
    suppliers = {o.supplier.id: o.supplier for o in offers}
    agency_ids = sorted({n.agency_id for n in needs})
    agencies = list(
        session.scalars(select(Agency).where(Agency.id.in_(agency_ids)).order_by(Agency.code))
    )
    instance = opt.Instance(
        suppliers=tuple(
            supplier_to_model(s, today) for s in sorted(suppliers.values(), key=lambda s: s.code)
        ),
        offers=tuple(offer_to_model(o) for o in offers),
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
        offer_ids={o.code: o.id for o in offers},
        supplier_ids={s.code: s.id for s in suppliers.values()},
    )
