"""Headline figures of the open catalogue for the public home page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.models import Offer, Supplier, VerificationStatus
from matcher.models.enums import SizeClass


@dataclass(frozen=True)
class CatalogueFigures:
    suppliers: int
    koperasi: int
    micro_small: int
    local: int
    offers: int
    categories: int
    by_kecamatan: list[tuple[str, int]]


def headline_figures(session: Session) -> CatalogueFigures:
    verified = Supplier.status == VerificationStatus.VERIFIED
    suppliers, koperasi, micro_small, local = session.execute(
        select(
            func.count(Supplier.id),
            func.count(Supplier.id).filter(Supplier.is_koperasi.is_(True)),
            func.count(Supplier.id).filter(
                Supplier.size_class.in_([SizeClass.MIKRO, SizeClass.KECIL])
            ),
            func.count(Supplier.id).filter(Supplier.is_local.is_(True)),
        ).where(verified)
    ).one()
    offers, categories = session.execute(
        select(func.count(Offer.id), func.count(func.distinct(Offer.category)))
        .join(Offer.supplier)
        .where(verified, Offer.status == VerificationStatus.VERIFIED, Offer.active.is_(True))
    ).one()
    by_kecamatan = [
        (str(name), int(count))
        for name, count in session.execute(
            select(Supplier.kecamatan, func.count(Supplier.id))
            .where(verified, Supplier.is_local.is_(True))
            .group_by(Supplier.kecamatan)
            .order_by(Supplier.kecamatan)
        )
    ]
    return CatalogueFigures(
        suppliers=int(suppliers),
        koperasi=int(koperasi),
        micro_small=int(micro_small),
        local=int(local),
        offers=int(offers),
        categories=int(categories),
        by_kecamatan=by_kecamatan,
    )
