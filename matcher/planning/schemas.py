"""Input of a planning round, shared by the API and the CLI."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SolverName = Literal["auto", "cpsat", "highs", "mathopt", "greedy"]


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=200)] = "Rencana pengadaan"
    agency_id: int | None = Field(
        default=None,
        description="One agency's round; omitted: all agencies (tim pengelola only). "
        "Officers may omit it: their own agency.",
    )
    need_ids: list[int] | None = Field(
        default=None, description="Submitted needs to plan; omitted: every submitted need in scope"
    )
    time_limit_seconds: Annotated[float, Field(gt=0, le=3600)] = 30.0
    solver: SolverName = "auto"
    max_suppliers_per_need: Annotated[int, Field(ge=1, le=20)] = 3
    max_supplier_value: Annotated[int, Field(gt=0)] | None = Field(
        default=None, description="Rupiah cap per supplier over the plan; omitted: no cap"
    )
