from __future__ import annotations

from pydantic import BaseModel, Field


class CategorySuggestion(BaseModel):
    category: str = Field(description="Taxonomy code, e.g. SNACK")
    name: str = Field(description="Indonesian category name")
    probability: float = Field(ge=0, le=1)


class QuantityRead(BaseModel):
    value: float
    unit: str | None = Field(description="Canonical unit, None when no unit was named")
    raw: str = Field(description="The text the quantity was read from")


class ClassificationRead(BaseModel):
    text: str
    top: list[CategorySuggestion] = Field(description="Most probable categories first (3)")
    quantity: QuantityRead | None
