"""Response shapes of the offer endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from matcher.models.enums import ChangeSource, SizeClass, VerificationStatus


class SupplierSummary(BaseModel):
    """The supplier facts a buyer weighs next to an offer."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    size_class: SizeClass
    is_koperasi: bool
    kecamatan: str
    is_local: bool


class OfferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    supplier_id: int
    supplier: SupplierSummary
    category: str
    name: str
    description: str | None
    photo_url: str | None
    unit: str
    unit_price: int
    capacity: int
    min_order_qty: int
    lead_time_days: int
    active: bool
    status: VerificationStatus
    status_reason: str | None
    created_at: datetime
    updated_at: datetime


class OfferHistoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    offer_id: int
    changed_at: datetime
    source: ChangeSource
    actor_user_id: int | None
    changes: dict[str, list[Any]]
