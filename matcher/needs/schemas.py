"""Validated input for needs, shared by the API and the CLI."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from matcher.models.enums import CertificateType
from matcher.parsing import parse_category


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NeedFields(_Strict):
    category: str = Field(description="Taxonomy code, e.g. SNACK")
    description: Annotated[str, Field(min_length=3, max_length=500)]
    quantity: Annotated[int, Field(gt=0, le=10**9)]
    unit: Annotated[str, Field(min_length=1, max_length=32)] | None = Field(
        default=None, description="Defaults to the category's unit"
    )
    max_unit_price: Annotated[int, Field(gt=0, le=10**13, description="HPS per unit, rupiah")]
    required_certs: list[CertificateType] | None = Field(
        default=None,
        description="Defaults to the category's certificates plus every dated rule in force",
    )
    needed_by: date
    region: Annotated[
        str, Field(min_length=1, max_length=120, description="Delivery desa/kelurahan")
    ]
    budget_line: Annotated[str, Field(max_length=64, description="Kode rekening")] | None = None
    notes: Annotated[str, Field(max_length=2000)] | None = None

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return parse_category(value)


class NeedCreate(NeedFields):
    agency_id: int | None = Field(default=None, description="Officers may omit: their own agency")
    code: (
        Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")] | None
    ) = None
    submit: bool = Field(default=False, description="Submit at once instead of keeping a draft")


class NeedUpdate(_Strict):
    description: Annotated[str, Field(min_length=3, max_length=500)] | None = None
    quantity: Annotated[int, Field(gt=0, le=10**9)] | None = None
    unit: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    max_unit_price: Annotated[int, Field(gt=0, le=10**13)] | None = None
    required_certs: list[CertificateType] | None = None
    needed_by: date | None = None
    region: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    budget_line: Annotated[str, Field(max_length=64)] | None = None
    notes: Annotated[str, Field(max_length=2000)] | None = None
