"""Small helpers shared by the page routes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from matcher.paging import count_rows, slice_rows

T = TypeVar("T")

PAGE_SIZE = 20


@dataclass(frozen=True)
class PageOf(Generic[T]):
    items: list[T]
    total: int
    page: int
    pages: int


def paginate(session: Session, statement: Select[T], page: int, size: int = PAGE_SIZE) -> PageOf[T]:
    """A page for a listing; a page number past the end shows the last page."""
    total = count_rows(session, statement)
    pages = max(1, math.ceil(total / size))
    page = min(max(1, page), pages)
    items = slice_rows(session, statement, offset=(page - 1) * size, limit=size)
    return PageOf(items=items, total=total, page=page, pages=pages)
