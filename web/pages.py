"""Small helpers shared by the page routes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

PAGE_SIZE = 20


@dataclass(frozen=True)
class PageOf(Generic[T]):
    items: list[T]
    total: int
    page: int
    pages: int


def paginate(session: Session, statement: Select[T], page: int, size: int = PAGE_SIZE) -> PageOf[T]:
    total = int(
        session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    )
    pages = max(1, math.ceil(total / size))
    page = min(max(1, page), pages)
    items = list(session.scalars(statement.offset((page - 1) * size).limit(size)).unique())
    return PageOf(items=items, total=total, page=page, pages=pages)
