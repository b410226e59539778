from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from matcher.models.enums import Role


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class Me(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    role: Role
    agency_id: int | None
    supplier_id: int | None
