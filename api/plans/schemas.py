from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from matcher.models.enums import PlanStatus


class StageRead(BaseModel):
    name: str
    status: str
    value: int | None
    bound: int | None
    gap: float | None
    seconds: float
    solver: str


class PlanRead(BaseModel):
    """A plan is also the job resource of its run: poll ``status`` and ``progress``."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    agency_id: int | None
    status: PlanStatus
    progress: float
    progress_message: str | None
    error: str | None
    plan_date: date
    solver: str
    time_limit_seconds: float
    max_suppliers_per_need: int
    max_supplier_value: int | None
    need_ids: list[int]
    total_value: int | None
    unmet_value: int | None
    priority_value: int | None
    cost: int | None
    eligible_pairs: int | None
    stages: list[StageRead]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class PlanDetail(PlanRead):
    diagnostics: dict[str, Any]


class PlanLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    need_id: int
    offer_id: int
    supplier_id: int
    quantity: int
    unit_price: int
    amount: int
    is_priority: bool
    status: str
