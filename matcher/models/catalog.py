"""Catalogue entities: suppliers (UMKM, koperasi), certificates, offers and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from matcher.models.base import Base, Money, TimestampMixin, enum_column, utcnow
from matcher.models.enums import (
    CertificateType,
    ChangeSource,
    SizeClass,
    VerifiableEntity,
    VerificationStatus,
)


class Supplier(TimestampMixin, Base):
    """A micro/small enterprise (UMKM), cooperative (koperasi) or larger firm."""

    __tablename__ = "supplier"
    __table_args__ = (CheckConstraint("length(nib) = 13", name="nib_13_digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    nib: Mapped[str] = mapped_column(String(13), index=True)
    size_class: Mapped[SizeClass] = mapped_column(enum_column(SizeClass, "size_class"))
    is_koperasi: Mapped[bool] = mapped_column(Boolean, default=False)
    # desa/kelurahan, or the town for suppliers from outside Kota Batu
    region: Mapped[str] = mapped_column(String(120))
    kecamatan: Mapped[str] = mapped_column(String(120))  # "-" when outside
    is_local: Mapped[bool] = mapped_column(Boolean, default=True)
    address: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    bank_name: Mapped[str | None] = mapped_column(String(80))
    bank_account_number: Mapped[str | None] = mapped_column(String(40))
    bank_account_name: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, "verification_status"),
        default=VerificationStatus.PENDING,
        index=True,
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="supplier", cascade="all, delete-orphan", order_by="Certificate.id"
    )
    offers: Mapped[list[Offer]] = relationship(
        back_populates="supplier", cascade="all, delete-orphan", order_by="Offer.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED

    def valid_certificate_types(self, on: date) -> frozenset[str]:
        """Certificate types that count on a date (:meth:`Certificate.counts_on`)."""
        return frozenset(c.type.value for c in self.certificates if c.counts_on(on))


class Certificate(TimestampMixin, Base):
    __tablename__ = "certificate"
    __table_args__ = (UniqueConstraint("supplier_id", "type", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[CertificateType] = mapped_column(enum_column(CertificateType, "certificate_type"))
    number: Mapped[str] = mapped_column(String(80))
    issued_on: Mapped[date | None] = mapped_column(Date)
    # None: no expiry date printed on the certificate.
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    # Checked by the tim pengelola against the issuing body (BPJPH, Dinas Kesehatan, BPOM);
    # one a supplier adds itself waits as pending and does not count until verified.
    status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, "certificate_status"),
        default=VerificationStatus.PENDING,
        server_default=VerificationStatus.PENDING.value,
        index=True,
    )
    status_reason: Mapped[str | None] = mapped_column(Text)

    supplier: Mapped[Supplier] = relationship(back_populates="certificates")

    def is_valid_on(self, on: date) -> bool:
        """Not expired on the day (the date printed on it)."""
        return self.valid_until is None or self.valid_until >= on

    def counts_on(self, on: date) -> bool:
        """THE certificate rule: a certificate counts for matching on a day when the tim
        pengelola has verified it and it has not expired. :meth:`counting_on` is the same
        rule in SQL."""
        return self.status == VerificationStatus.VERIFIED and self.is_valid_on(on)

    @classmethod
    def valid_on_clause(cls, on: date) -> ColumnElement[bool]:
        """:meth:`is_valid_on` in SQL."""
        return or_(cls.valid_until.is_(None), cls.valid_until >= on)

    @classmethod
    def counting_on(cls, on: date) -> ColumnElement[bool]:
        """:meth:`counts_on` in SQL."""
        return and_(cls.status == VerificationStatus.VERIFIED, cls.valid_on_clause(on))


class Offer(TimestampMixin, Base):
    """One product a supplier offers in a taxonomy category, with price and capacity."""

    __tablename__ = "offer"
    __table_args__ = (
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("min_order_qty >= 1", name="min_order_positive"),
        CheckConstraint("lead_time_days >= 0", name="lead_time_non_negative"),
        CheckConstraint("reserved_quantity >= 0", name="reserved_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    photo_url: Mapped[str | None] = mapped_column(String(500))
    unit: Mapped[str] = mapped_column(String(32))
    unit_price: Mapped[int] = mapped_column(Money)
    capacity: Mapped[int] = mapped_column(Integer)  # units per planning period
    # Units held by approved orders; available = capacity - reserved_quantity. Changed only
    # by the conditional UPDATEs in matcher.orders.reservation.
    reserved_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    min_order_qty: Mapped[int] = mapped_column(Integer, default=1)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, "verification_status"),
        default=VerificationStatus.PENDING,
        index=True,
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    supplier: Mapped[Supplier] = relationship(back_populates="offers")
    history: Mapped[list[OfferHistory]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="OfferHistory.id"
    )

    __mapper_args__ = {"version_id_col": version}


class OfferHistory(Base):
    """Field changes of an offer (price, capacity, ...), appended on every update."""

    __tablename__ = "offer_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    source: Mapped[ChangeSource] = mapped_column(enum_column(ChangeSource, "change_source"))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # {"unit_price": [15000, 16000], ...}
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)

    offer: Mapped[Offer] = relationship(back_populates="history")


class VerificationEvent(Base):
    """Every change of a supplier's or offer's verification status: who, when, from, to, why."""

    __tablename__ = "verification_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[VerifiableEntity] = mapped_column(
        enum_column(VerifiableEntity, "verifiable_entity")
    )
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    from_status: Mapped[VerificationStatus | None] = mapped_column(
        enum_column(VerificationStatus, "from_status")
    )
    to_status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, "to_status")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
