"""Validated input for catalogue changes, shared by the API (request bodies) and the CLI.
Field rules reuse ``matcher.parsing`` so an import row and an API body obey the same rule."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from matcher.models.enums import CertificateType, SizeClass
from matcher.parsing import parse_category, parse_nib

Rupiah = Annotated[int, Field(gt=0, le=10**13, description="Whole rupiah")]
Text200 = Annotated[str, Field(min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SupplierFields(_Strict):
    name: Text200
    nib: str = Field(description="Nomor Induk Berusaha, 13 digits (OSS)")
    size_class: SizeClass
    is_koperasi: bool = False
    region: Annotated[str, Field(min_length=1, max_length=120, description="Desa/kelurahan")]
    kecamatan: Annotated[
        str, Field(min_length=1, max_length=120, description="'-' when outside town")
    ]
    is_local: bool = True
    address: Annotated[str, Field(max_length=300)] | None = None
    contact_name: Annotated[str, Field(max_length=120)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=200)] | None = None
    bank_name: Annotated[str, Field(max_length=80)] | None = None
    bank_account_number: Annotated[str, Field(max_length=40, pattern=r"^[0-9 .-]*$")] | None = None
    bank_account_name: Annotated[str, Field(max_length=120)] | None = None

    @field_validator("nib")
    @classmethod
    def _nib(cls, value: str) -> str:
        return parse_nib(value)


class SupplierCreate(SupplierFields):
    code: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]


class SupplierUpdate(_Strict):
    """Partial update. Identity fields (name, NIB, size class, koperasi, location) are for the
    tim pengelola; a supplier user may change contact and bank details."""

    name: Text200 | None = None
    nib: str | None = None
    size_class: SizeClass | None = None
    is_koperasi: bool | None = None
    region: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    kecamatan: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    is_local: bool | None = None
    address: Annotated[str, Field(max_length=300)] | None = None
    contact_name: Annotated[str, Field(max_length=120)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=200)] | None = None
    bank_name: Annotated[str, Field(max_length=80)] | None = None
    bank_account_number: Annotated[str, Field(max_length=40, pattern=r"^[0-9 .-]*$")] | None = None
    bank_account_name: Annotated[str, Field(max_length=120)] | None = None

    @field_validator("nib")
    @classmethod
    def _nib(cls, value: str | None) -> str | None:
        return None if value is None else parse_nib(value)


IDENTITY_FIELDS = frozenset(
    {"name", "nib", "size_class", "is_koperasi", "region", "kecamatan", "is_local"}
)


class OfferFields(_Strict):
    category: str = Field(description="Taxonomy code, e.g. SNACK")
    name: Text200
    unit: Annotated[str, Field(min_length=1, max_length=32)]
    unit_price: Rupiah
    capacity: Annotated[int, Field(ge=0, le=10**9, description="Units per planning period")]
    min_order_qty: Annotated[int, Field(ge=1, le=10**9)] = 1
    lead_time_days: Annotated[int, Field(ge=0, le=365)] = 0
    description: Annotated[str, Field(max_length=2000)] | None = None
    photo_url: Annotated[str, Field(max_length=500, pattern=r"^(https?://|/)\S+$")] | None = None
    active: bool = True

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return parse_category(value)

    @model_validator(mode="after")
    def _min_order_within_capacity(self) -> OfferFields:
        if self.capacity > 0 and self.min_order_qty > self.capacity:
            raise ValueError("min_order_qty tidak boleh melebihi capacity")
        return self


class OfferCreate(OfferFields):
    code: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]
    supplier_id: int


class OfferUpdate(_Strict):
    name: Text200 | None = None
    unit: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    unit_price: Rupiah | None = None
    capacity: Annotated[int, Field(ge=0, le=10**9)] | None = None
    min_order_qty: Annotated[int, Field(ge=1, le=10**9)] | None = None
    lead_time_days: Annotated[int, Field(ge=0, le=365)] | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None
    photo_url: Annotated[str, Field(max_length=500, pattern=r"^(https?://|/)\S+$")] | None = None
    active: bool | None = None


class CertificateCreate(_Strict):
    type: CertificateType
    number: Annotated[str, Field(min_length=1, max_length=80)]
    issued_on: date | None = None
    valid_until: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> CertificateCreate:
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            raise ValueError("valid_until tidak boleh sebelum issued_on")
        return self
