"""Counting and slicing a query: the one implementation behind the API's and the web pages'
pagination."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


def count_rows(session: Session, statement: Select[T]) -> int:
    """Rows the statement returns, ignoring its ordering."""
    return int(
        session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    )


def slice_rows(session: Session, statement: Select[T], *, offset: int, limit: int) -> list[T]:
    """One slice of the statement's entities."""
    return list(session.scalars(statement.offset(offset).limit(limit)).unique())


def page_rows(
    session: Session, statement: Select[T], *, offset: int, limit: int
) -> tuple[list[T], int]:
    """One slice of the statement's entities and the statement's total row count."""
    return slice_rows(session, statement, offset=offset, limit=limit), count_rows(
        session, statement
    )
