"""Page-number pagination for every list endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import Session

from matcher.config import get_settings
from matcher.paging import page_rows

T = TypeVar("T")
M = TypeVar("M")


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


def paginate(session: Session, statement: Select[T], params: PageParams) -> tuple[list[T], int]:
    """The rows of one page and the total count of the statement."""
    return page_rows(session, statement, offset=params.offset, limit=params.size)


def page_of(
    session: Session, statement: Select[T], params: PageParams, convert: Callable[[T], M]
) -> Page[M]:
    """A page of the statement's rows, each converted to its response model."""
    rows, total = paginate(session, statement, params)
    return Page(items=[convert(r) for r in rows], total=total, page=params.page, size=params.size)
