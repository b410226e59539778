"""Supplier certificates (halal, PIRT, BPOM, SLHS, SNI): list, add, remove.

A certificate counts for matching only while it is valid (``valid_until`` absent or not yet
past); an expired one stays on record but no longer counts (``Supplier.valid_certificate_types``).
Admin and the supplier itself add and remove certificates; for anyone else the supplier or
certificate reads as absent (404)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.catalog.repository import CertificateRepository, SupplierRepository
from matcher.catalog.schemas import CertificateCreate
from matcher.errors import Conflict, FieldError, InvalidInput
from matcher.models import Certificate


def expires_in_days(certificate: Certificate, on: date) -> int | None:
    """Days from ``on`` until the last valid day (0: expires today, negative: expired);
    None when the certificate has no expiry date."""
    if certificate.valid_until is None:
        return None
    return (certificate.valid_until - on).days


def list_statement(
    session: Session,
    principal: Principal,
    supplier_id: int,
    *,
    valid_on: date | None = None,
    valid: bool | None = None,
) -> Select[Certificate]:
    """Certificates of a supplier the principal may read; ``valid`` filters on ``valid_on``."""
    SupplierRepository(session).get_readable(principal, supplier_id)
    statement = select(Certificate).where(Certificate.supplier_id == supplier_id)
    if valid is not None:
        if valid_on is None:
            raise ValueError("valid_on is required to filter on validity")
        still_valid = or_(Certificate.valid_until.is_(None), Certificate.valid_until >= valid_on)
        statement = statement.where(still_valid if valid else ~still_valid)
    return statement.order_by(Certificate.id)


def add_certificate(
    session: Session,
    principal: Principal,
    supplier_id: int,
    data: CertificateCreate,
    *,
    today: date,
) -> Certificate:
    supplier = SupplierRepository(session).get_writable(principal, supplier_id)
    if data.valid_until is not None and data.valid_until < today:
        raise InvalidInput(
            f"Sertifikat sudah kedaluwarsa sejak {data.valid_until.isoformat()}",
            errors=[FieldError(("body", "valid_until"), "sudah lewat")],
        )
    if data.issued_on is not None and data.issued_on > today:
        raise InvalidInput(
            "Tanggal terbit tidak boleh di masa depan",
            errors=[FieldError(("body", "issued_on"), "di masa depan")],
        )
    duplicate = session.scalar(
        select(Certificate.id).where(
            Certificate.supplier_id == supplier.id,
            Certificate.type == data.type,
            Certificate.number == data.number,
        )
    )
    if duplicate is not None:
        raise Conflict(
            f"Sertifikat {data.type.value} nomor {data.number} sudah tercatat",
            errors=[FieldError(("body", "number"), "sudah tercatat")],
        )
    certificate = Certificate(supplier_id=supplier.id, **data.model_dump())
    session.add(certificate)
    session.flush()
    session.expire(supplier, ["certificates"])
    return certificate


def remove_certificate(session: Session, principal: Principal, certificate_id: int) -> None:
    certificate = CertificateRepository(session).get_writable(principal, certificate_id)
    session.delete(certificate)
    session.flush()
