"""Audit log entries as read by the tim pengelola."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_user_id: int | None
    actor_email: str
    actor_role: str
    entity: str
    entity_id: int | None
    action: str
    before: dict[str, Any] | None
    patch: list[dict[str, Any]] = Field(description="JSON Patch (RFC 6902) dari sebelum ke sesudah")
