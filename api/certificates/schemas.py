"""Response shape of the certificate endpoints: the certificate, its verification and its
validity today."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from matcher.catalog.certificates import expires_in_days
from matcher.models import Certificate
from matcher.models.enums import CertificateType, VerificationStatus


class CertificateStatusRead(BaseModel):
    id: int
    supplier_id: int
    type: CertificateType
    number: str
    issued_on: date | None
    valid_until: date | None
    status: VerificationStatus = Field(
        description="Verification by the tim pengelola; one a supplier adds is pending"
    )
    status_reason: str | None
    is_valid: bool = Field(description="Not expired today")
    counts: bool = Field(description="Counts for matching today: verified and not expired")
    expires_in_days: int | None = Field(
        description="Days until the last valid day; 0 expires today, negative is expired, "
        "null has no expiry date"
    )

    @classmethod
    def of(cls, certificate: Certificate, today: date) -> CertificateStatusRead:
        return cls(
            id=certificate.id,
            supplier_id=certificate.supplier_id,
            type=certificate.type,
            number=certificate.number,
            issued_on=certificate.issued_on,
            valid_until=certificate.valid_until,
            status=certificate.status,
            status_reason=certificate.status_reason,
            is_valid=certificate.is_valid_on(today),
            counts=certificate.counts_on(today),
            expires_in_days=expires_in_days(certificate, today),
        )
