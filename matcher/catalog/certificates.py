"""Supplier certificates (halal, PIRT, BPOM, SLHS, SNI): list, add, remove, verify.

A certificate counts for matching only when the tim pengelola has verified it and it has not
expired (``Certificate.counts_on``); an expired or unverified one stays on record but does
not count. Admin and the supplier itself add and remove certificates: one the tim pengelola
records is verified at once, one the supplier adds waits as pending until an admin verifies
or rejects it (``matcher.catalog.verification``). For anyone else the supplier or
certificate reads as absent (404)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.catalog import verification
from matcher.catalog.repository import CertificateRepository, SupplierRepository
from matcher.catalog.schemas import CertificateCreate
from matcher.errors import Conflict, FieldError, InvalidInput, NotFound
from matcher.models import Certificate, VerificationStatus


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
        still_valid = Certificate.valid_on_clause(valid_on)
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
    certificate = Certificate(
        supplier_id=supplier.id,
        status=VerificationStatus.VERIFIED if principal.is_admin else VerificationStatus.PENDING,
        **data.model_dump(),
    )
    session.add(certificate)
    session.flush()
    verification.record_initial_status(
        session,
        principal,
        certificate,
        "dicatat tim pengelola" if principal.is_admin else "diunggah penyedia",
    )
    session.flush()
    session.expire(supplier, ["certificates"])
    return certificate


def get_readable(session: Session, principal: Principal, certificate_id: int) -> Certificate:
    """A certificate of a supplier the principal may read (else 404)."""
    certificate = session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(f"Sertifikat {certificate_id} tidak ditemukan")
    try:
        SupplierRepository(session).get_readable(principal, certificate.supplier_id)
    except NotFound:
        raise NotFound(f"Sertifikat {certificate_id} tidak ditemukan") from None
    return certificate


def review_statement(status: VerificationStatus | None) -> Select[Certificate]:
    """Certificates across suppliers for the tim pengelola's review queue (oldest first)."""
    statement = select(Certificate)
    if status is not None:
        statement = statement.where(Certificate.status == status)
    return statement.order_by(Certificate.created_at, Certificate.id)


def remove_certificate(session: Session, principal: Principal, certificate_id: int) -> None:
    certificate = CertificateRepository(session).get_writable(principal, certificate_id)
    session.delete(certificate)
    session.flush()
