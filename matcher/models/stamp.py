"""The data stamp: one row naming the current state of the procurement data (see
:mod:`matcher.stamp`, which keeps it up to date)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from matcher.models.base import Base


class DataStamp(Base):
    """Row ``id = 1`` (absent until the first change): ``token`` is a fresh random value and
    ``version`` goes up by one in every transaction that changes agencies, suppliers,
    certificates, offers, needs, plans or orders. Caches of figures computed from those
    (the dashboard) key on the token."""

    __tablename__ = "data_stamp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
