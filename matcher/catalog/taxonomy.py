"""The product taxonomy (16 categories), shipped as package data from taxonomy.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from matcher.resources import data_path

CERTIFICATE_TYPES: tuple[str, ...] = ("HALAL", "PIRT", "BPOM", "SLHS", "SNI")


@dataclass(frozen=True)
class Category:
    code: str
    name_id: str
    name_en: str
    unit: str
    food: bool
    default_required_certs: tuple[str, ...]
    keywords: tuple[str, ...]


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


@lru_cache
def load_taxonomy() -> dict[str, Category]:
    """All categories by code, in file order."""
    text = data_path("taxonomy.csv").read_text(encoding="utf-8")
    categories: dict[str, Category] = {}
    for row in csv.DictReader(text.splitlines()):
        category = Category(
            code=row["code"].strip(),
            name_id=row["name_id"].strip(),
            name_en=row["name_en"].strip(),
            unit=row["unit"].strip(),
            food=row["food"].strip().lower() == "true",
            default_required_certs=_split(row["default_required_certs"]),
            keywords=_split(row["keywords"]),
        )
        categories[category.code] = category
    return categories


def category_codes() -> tuple[str, ...]:
    return tuple(load_taxonomy())


def get_category(code: str) -> Category:
    """The category with this code; KeyError when the code is unknown."""
    return load_taxonomy()[code]
