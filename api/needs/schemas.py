from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from matcher.models.enums import NeedStatus


class NeedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    agency_id: int
    category: str
    description: str
    quantity: int
    unit: str
    max_unit_price: int
    value: int
    required_certs: list[str]
    needed_by: date
    region: str
    budget_line: str | None
    notes: str | None
    status: NeedStatus
    submitted_at: datetime | None
    created_at: datetime
