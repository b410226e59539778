"""Procurement: what agencies need (and, in later modules, plans and orders)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.models.base import Base, Money, TimestampMixin, enum_column
from matcher.models.enums import NeedStatus, PlanStatus
from matcher.models.organisation import Agency


class PlanLineStatus(enum.StrEnum):
    """A plan line as the officer decides on it: approved lines become order lines."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


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


class Plan(TimestampMixin, Base):
    """A stored optimiser run over a set of submitted needs: a planning round of one agency
    or of all agencies (run by Dinas). It is also the job resource: status and progress are
    polled while it runs; lines and figures are written in one transaction when it ends."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus, "plan_status"), default=PlanStatus.QUEUED, index=True
    )
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    progress_message: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Inputs: the business day, solver settings and the needs planned.
    plan_date: Mapped[date] = mapped_column(Date)
    solver: Mapped[str] = mapped_column(String(32), default="auto")
    time_limit_seconds: Mapped[float] = mapped_column(Float, default=30.0)
    max_suppliers_per_need: Mapped[int] = mapped_column(Integer, default=3)
    max_supplier_value: Mapped[int | None] = mapped_column(Money)
    need_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Outputs.
    total_value: Mapped[int | None] = mapped_column(Money)
    unmet_value: Mapped[int | None] = mapped_column(Money)
    priority_value: Mapped[int | None] = mapped_column(Money)
    cost: Mapped[int | None] = mapped_column(Money)
    eligible_pairs: Mapped[int | None] = mapped_column(Integer)
    stages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    diagnostics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    lines: Mapped[list[PlanLine]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanLine.id"
    )


class PlanLine(Base):
    """Quantity of one need to buy from one offer, at the offer's unit price."""

    __tablename__ = "plan_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Money)
    is_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[PlanLineStatus] = mapped_column(
        enum_column(PlanLineStatus, "plan_line_status"),
        default=PlanLineStatus.PROPOSED,
        server_default=PlanLineStatus.PROPOSED.value,
        index=True,
    )

    plan: Mapped[Plan] = relationship(back_populates="lines")

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price
