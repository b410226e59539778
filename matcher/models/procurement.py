"""Procurement: what agencies need (and, in later modules, plans and orders)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.models.base import Base, Money, TimestampMixin, enum_column
from matcher.models.enums import NeedStatus
from matcher.models.organisation import Agency


class Need(TimestampMixin, Base):
    """One thing an agency needs: category, quantity, HPS per unit, certificates, date, place."""

    __tablename__ = "need"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("max_unit_price > 0", name="hps_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(32))
    max_unit_price: Mapped[int] = mapped_column(Money)  # HPS per unit, rupiah
    required_certs: Mapped[list[str]] = mapped_column(JSON, default=list)
    needed_by: Mapped[date] = mapped_column(Date, index=True)
    region: Mapped[str] = mapped_column(String(120))  # delivery desa/kelurahan
    budget_line: Mapped[str | None] = mapped_column(String(64))  # kode rekening
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[NeedStatus] = mapped_column(
        enum_column(NeedStatus, "need_status"), default=NeedStatus.DRAFT, index=True
    )
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    agency: Mapped[Agency] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def value(self) -> int:
        """Quantity times HPS: the most the agency would pay."""
        return self.quantity * self.max_unit_price
