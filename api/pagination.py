"""Page-number pagination for every list endpoint."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from matcher.config import get_settings

T = TypeVar("T")


class PageParams(BaseModel):
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def _page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Halaman, mulai dari 1")] = 1,
    size: Annotated[int | None, Query(ge=1, le=500, description="Jumlah per halaman")] = None,
) -> PageParams:
    settings = get_settings()
    return PageParams(page=page, size=min(size or settings.page_size, settings.max_page_size))


PageDep = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int


def paginate(
    session: Session, statement: Select[T], params: PageParams
) -> tuple[list[T], int]:
    """The rows of one page and the total count of the statement."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = list(session.scalars(statement.offset(params.offset).limit(params.size)))
    return rows, int(total or 0)
