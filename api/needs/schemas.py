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


class ReasonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    message: str


class ScorePartRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    label: str
    points: float
    note: str


class DeliveryRecordRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    orders: int
    on_time: int
    complaints: int
    on_time_rate: float | None
    complaint_rate: float | None


class ShortlistEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    offer_id: int
    offer_code: str
    offer_name: str
    supplier_id: int
    supplier_code: str
    supplier_name: str
    size_class: str
    is_koperasi: bool
    kecamatan: str
    region: str
    unit: str
    unit_price: int
    hps: int
    price_difference: int
    available_capacity: int
    min_order_qty: int
    lead_time_days: int
    earliest_delivery: date
    can_fill: int
    eligible: bool
    reasons: list[ReasonRead]
    priority: bool
    priority_reason: str
    distance: str
    record: DeliveryRecordRead
    rotation_orders: int
    score: float
    score_parts: list[ScorePartRead]
    explanation: str


class ShortlistRead(BaseModel):
    """One page of a need's ranked shortlist; ``total`` offers were ranked, of which
    ``eligible_count`` are eligible."""

    model_config = ConfigDict(from_attributes=True)

    need_id: int
    need_code: str
    category: str
    quantity: int
    hps: int
    on: date
    total: int
    eligible_count: int
    page: int
    size: int
    entries: list[ShortlistEntryRead]
