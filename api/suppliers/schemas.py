"""Response shapes of the supplier endpoints."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from matcher.catalog.verification import VerificationAction
from matcher.models.enums import CertificateType, SizeClass, VerificationStatus


class CertificateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    supplier_id: int
    type: CertificateType
    number: str
    issued_on: date | None
    valid_until: date | None
    status: VerificationStatus


class SupplierRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    nib: str
    size_class: SizeClass
    is_koperasi: bool
    region: str
    kecamatan: str
    is_local: bool
    address: str | None
    contact_name: str | None
    phone: str | None
    email: str | None
    status: VerificationStatus
    status_reason: str | None
    created_at: datetime
    updated_at: datetime


class SupplierDetail(SupplierRead):
    """A supplier with bank details and certificates (for admin and the supplier itself)."""

    bank_name: str | None
    bank_account_number: str | None
    bank_account_name: str | None
    certificates: list[CertificateRead]


class VerificationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: VerificationAction
    reason: str | None = None


class VerificationEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    entity_type: str
    entity_id: int
    from_status: VerificationStatus | None
    to_status: VerificationStatus
    reason: str | None
    actor_user_id: int | None
    at: datetime
