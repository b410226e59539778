"""Agencies (Perangkat Daerah / SKPD) and user accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.models.base import Base, Money, TimestampMixin, enum_column
from matcher.models.catalog import Supplier
from matcher.models.enums import Role


class Agency(TimestampMixin, Base):
    """A regional government agency with its fiscal-year budget for goods and services."""

    __tablename__ = "agency"
    __table_args__ = (
        CheckConstraint("budget >= 0", name="budget_non_negative"),
        CheckConstraint("committed_amount >= 0", name="committed_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    budget: Mapped[int] = mapped_column(Money)  # belanja barang/jasa available, rupiah
    # Held by approved orders; available = budget - committed_amount. Changed only by the
    # conditional UPDATEs in matcher.orders.reservation.
    committed_amount: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    address: Mapped[str | None] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(120))  # desa/kelurahan of the office
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class User(TimestampMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "(role = 'officer' AND agency_id IS NOT NULL AND supplier_id IS NULL)"
            " OR (role = 'supplier' AND supplier_id IS NOT NULL AND agency_id IS NULL)"
            " OR (role NOT IN ('officer', 'supplier') AND agency_id IS NULL AND supplier_id IS NULL)",
            name="role_binding",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    hashed_password: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Tokens carry the version they were issued under; raising it (log-out, password change,
    # deactivation, role change) revokes every token issued before.
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    agency: Mapped[Agency | None] = relationship()
    supplier: Mapped[Supplier | None] = relationship()


class LoginThrottle(Base):
    """Failed log-ins counted per account (``email:...``) and per client address
    (``ip:...``), in the database so that every worker process sees the same counts."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RevokedToken(Base):
    """An access token revoked before it expires (one session's log-out), by its ``jti``.
    Kept until the token would have expired anyway; revoking every token of an account at
    once is ``User.token_version``."""

    __tablename__ = "revoked_token"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
