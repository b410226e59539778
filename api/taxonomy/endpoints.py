"""/api/v1/taxonomy: the 16 product categories (public)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.problems import responses
from matcher.catalog.taxonomy import load_taxonomy
from matcher.errors import NotFound

router = APIRouter(prefix="/taxonomy", tags=["Taksonomi"])


class CategoryRead(BaseModel):
    code: str
    name_id: str
    name_en: str
    unit: str
    food: bool
    default_required_certs: list[str]
    keywords: list[str]


def _read(code: str) -> CategoryRead:
    c = load_taxonomy()[code]
    return CategoryRead(
        code=c.code,
        name_id=c.name_id,
        name_en=c.name_en,
        unit=c.unit,
        food=c.food,
        default_required_certs=list(c.default_required_certs),
        keywords=list(c.keywords),
    )


@router.get("", response_model=list[CategoryRead])
def list_categories() -> list[CategoryRead]:
    return [_read(code) for code in load_taxonomy()]


@router.get("/{code}", response_model=CategoryRead, responses=responses(404, 422))
def get_category(code: str) -> CategoryRead:
    if code.upper() not in load_taxonomy():
        raise NotFound(f"Kategori {code} tidak dikenal")
    return _read(code.upper())
