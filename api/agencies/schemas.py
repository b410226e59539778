"""Response shapes of the agency endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field


class AgencyPublic(BaseModel):
    """What every signed-in user may know about an agency (supplier users see only this)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    fiscal_year: int
    address: str | None
    region: str | None


class AgencyRead(AgencyPublic):
    """An agency with its budget (admin, planners, viewers and the agency's own officers)."""

    budget: int
    committed_amount: int = Field(description="Held by approved orders, rupiah")
    created_at: datetime
    updated_at: datetime

    @computed_field(description="budget - committed_amount, rupiah")  # type: ignore[prop-decorator]
    @property
    def available(self) -> int:
        return max(0, self.budget - self.committed_amount)
