"""Response shapes of the user endpoints (never a password hash)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from matcher.models.enums import Role


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    role: Role
    agency_id: int | None
    supplier_id: int | None
    is_active: bool
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime
