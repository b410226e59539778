"""Validated input for agency changes, shared by the API (request bodies) and the CLI."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Budget = Annotated[
    int, Field(ge=0, le=10**15, description="Belanja barang/jasa for the year, whole rupiah")
]
FiscalYear = Annotated[int, Field(ge=2000, le=2100, description="Tahun anggaran")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AgencyCreate(_Strict):
    code: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    fiscal_year: FiscalYear
    budget: Budget
    address: Annotated[str, Field(max_length=300)] | None = None
    region: (
        Annotated[
            str, Field(min_length=1, max_length=120, description="Desa/kelurahan of the office")
        ]
        | None
    ) = None


class AgencyUpdate(_Strict):
    """Partial update. The code is the agency's reference in imports and the CLI and does not
    change."""

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    fiscal_year: FiscalYear | None = None
    budget: Budget | None = None
    address: Annotated[str, Field(max_length=300)] | None = None
    region: Annotated[str, Field(min_length=1, max_length=120)] | None = None


# Fields that may not be set to null in an update.
REQUIRED_FIELDS = frozenset({"name", "fiscal_year", "budget"})
