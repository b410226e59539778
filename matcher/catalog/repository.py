"""Queries over the catalogue, scoped to what a principal may read. Never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from matcher.auth.principal import Principal
from matcher.errors import NotFound
from matcher.models import Certificate, Offer, Role, Supplier, VerificationStatus


class SupplierRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Supplier]:
        """Admin, planners and viewers read every supplier; officers only verified ones;
        a supplier user only its own; anything else reads as absent (404)."""
        statement = select(Supplier)
        if principal.sees_whole_catalogue:
            return statement
        if principal.role == Role.SUPPLIER:
            return statement.where(Supplier.id == principal.supplier_id)
        return statement.where(Supplier.status == VerificationStatus.VERIFIED)

    def get_readable(self, principal: Principal, supplier_id: int) -> Supplier:
        supplier = self.session.scalar(
            self.readable(principal)
            .where(Supplier.id == supplier_id)
            .options(selectinload(Supplier.certificates))
        )
        if supplier is None:
            raise NotFound(f"Penyedia {supplier_id} tidak ditemukan")
        return supplier

    def get_writable(self, principal: Principal, supplier_id: int) -> Supplier:
        """Admin changes any supplier, a supplier user only its own; others get 404 (or the
        403 their role check gave already)."""
        if not (principal.is_admin or principal.owns_supplier(supplier_id)):
            raise NotFound(f"Penyedia {supplier_id} tidak ditemukan")
        supplier = self.session.get(Supplier, supplier_id)
        if supplier is None:
            raise NotFound(f"Penyedia {supplier_id} tidak ditemukan")
        return supplier

    def by_codes(self, codes: Sequence[str]) -> dict[str, Supplier]:
        found: dict[str, Supplier] = {}
        for start in range(0, len(codes), 900):
            chunk = codes[start : start + 900]
            for supplier in self.session.scalars(select(Supplier).where(Supplier.code.in_(chunk))):
                found[supplier.code] = supplier
        return found


class OfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Offer]:
        """Officers see only active, verified offers of verified suppliers."""
        statement = select(Offer).join(Offer.supplier)
        if principal.sees_whole_catalogue:
            return statement
        if principal.role == Role.SUPPLIER:
            return statement.where(Offer.supplier_id == principal.supplier_id)
        return statement.where(
            Supplier.status == VerificationStatus.VERIFIED,
            Offer.status == VerificationStatus.VERIFIED,
            Offer.active.is_(True),
        )

    def get_readable(self, principal: Principal, offer_id: int) -> Offer:
        offer = self.session.scalar(self.readable(principal).where(Offer.id == offer_id))
        if offer is None:
            raise NotFound(f"Penawaran {offer_id} tidak ditemukan")
        return offer

    def get_writable(self, principal: Principal, offer_id: int) -> Offer:
        offer = self.session.get(Offer, offer_id)
        if offer is None or not (principal.is_admin or principal.owns_supplier(offer.supplier_id)):
            raise NotFound(f"Penawaran {offer_id} tidak ditemukan")
        return offer


class CertificateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_writable(self, principal: Principal, certificate_id: int) -> Certificate:
        certificate = self.session.get(Certificate, certificate_id)
        if certificate is None or not (
            principal.is_admin or principal.owns_supplier(certificate.supplier_id)
        ):
            raise NotFound(f"Sertifikat {certificate_id} tidak ditemukan")
        return certificate
