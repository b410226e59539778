"""Orders (Surat Pesanan) and what hangs off them: lines, the generated documents (bukti),
complaints (pengaduan) with attachments, idempotency records and the append-only audit log."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.models.base import Base, Money, TimestampMixin, enum_column, utcnow
from matcher.models.catalog import Offer, Supplier
from matcher.models.enums import Role
from matcher.models.organisation import Agency
from matcher.models.procurement import Need


class OrderStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"  # Bukti Persetujuan Pemesanan issued; capacity and budget reserved
    ACCEPTED = "accepted"  # by the supplier
    DECLINED = "declined"  # by the supplier; reservation released
    DELIVERED = "delivered"  # Bukti Pengiriman / berita acara serah terima
    PAID = "paid"  # Bukti Pembayaran
    CLOSED = "closed"
    CANCELLED = "cancelled"


class DocumentKind(enum.StrEnum):
    SURAT_PESANAN = "surat_pesanan"
    PERSETUJUAN = "persetujuan"  # Bukti Persetujuan Pemesanan
    PENGIRIMAN = "pengiriman"  # Bukti Pengiriman / BAST
    PEMBAYARAN = "pembayaran"  # Bukti Pembayaran


class ComplaintStatus(enum.StrEnum):
    OPEN = "open"
    IN_REVIEW = "in_review"
    RESOLVED = "resolved"
    REJECTED = "rejected"


class Order(TimestampMixin, Base):
    """One Surat Pesanan: what one agency buys from one supplier out of one plan."""

    __tablename__ = "purchase_order"
    __table_args__ = (CheckConstraint("total_amount >= 0", name="total_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(
        enum_column(OrderStatus, "order_status"), default=OrderStatus.DRAFT, index=True
    )
    delivery_place: Mapped[str] = mapped_column(String(300))
    delivery_date: Mapped[date] = mapped_column(Date)
    total_amount: Mapped[int] = mapped_column(Money, default=0)
    # Budget committed on approval and still held (released on decline, cancel and close).
    committed_amount: Mapped[int] = mapped_column(Money, default=0)
    paid_amount: Mapped[int | None] = mapped_column(Money)
    # Policy flags raised on approval: [{"code": ..., "message": ...}].
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The order this one replaces after a supplier declined it (next candidate).
    replaces_order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order.id"))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    declined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivery_note: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    payment_date: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    agency: Mapped[Agency] = relationship()
    supplier: Mapped[Supplier] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    documents: Mapped[list[OrderDocument]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderDocument.id"
    )

    __mapper_args__ = {"version_id_col": version}


class OrderLine(Base):
    __tablename__ = "purchase_order_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
        CheckConstraint("reserved_quantity >= 0", name="reserved_non_negative"),
        CheckConstraint(
            "quantity_delivered IS NULL OR (quantity_delivered >= 0 AND quantity_delivered <= quantity)",
            name="delivered_within_quantity",
        ),
        CheckConstraint(
            "quantity_received IS NULL OR (quantity_received >= 0 AND quantity_received <= quantity)",
            name="received_within_quantity",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), index=True)
    plan_line_id: Mapped[int | None] = mapped_column(ForeignKey("plan_line.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Money)
    # Offer capacity held by this line (set on approval, released on decline/cancel/close).
    reserved_quantity: Mapped[int] = mapped_column(Integer, default=0)
    quantity_delivered: Mapped[int | None] = mapped_column(Integer)  # by the supplier
    quantity_received: Mapped[int | None] = mapped_column(Integer)  # confirmed by the officer

    order: Mapped[Order] = relationship(back_populates="lines")
    need: Mapped[Need] = relationship()
    offer: Mapped[Offer] = relationship()

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    @property
    def received_amount(self) -> int:
        return (self.quantity_received or 0) * self.unit_price


class OrderDocument(Base):
    """A generated PDF (Surat Pesanan or one of the three bukti), stored with its hash so a
    re-download is byte-identical or flagged."""

    __tablename__ = "order_document"
    __table_args__ = (UniqueConstraint("order_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    number: Mapped[str] = mapped_column(String(60))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The event time the document records (and the PDF creation date): regeneration uses it.
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verification_code: Mapped[str] = mapped_column(String(16), unique=True, index=True)

    order: Mapped[Order] = relationship(back_populates="documents")


class Complaint(TimestampMixin, Base):
    """A complaint (pengaduan) on an order, filed by the agency or the supplier and handled by
    the tim pengelola (admin)."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    filed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    filed_by_role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # Verification codes of the order documents the complaint refers to.
    document_refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ComplaintStatus] = mapped_column(
        enum_column(ComplaintStatus, "complaint_status"),
        default=ComplaintStatus.OPEN,
        index=True,
    )
    resolution: Mapped[str | None] = mapped_column(Text)
    handled_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    order: Mapped[Order] = relationship()
    attachments: Mapped[list[ComplaintAttachment]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintAttachment.id"
    )

    __mapper_args__ = {"version_id_col": version}


class ComplaintAttachment(Base):
    """A product photo attached to a complaint."""

    __tablename__ = "complaint_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")


class IdempotencyRecord(Base):
    """The first response to a POST carrying an ``Idempotency-Key``, per user and key."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    request_hash: Mapped[str] = mapped_column(String(64))
    completed: Mapped[bool] = mapped_column(default=False)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[Any | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One change to an audited entity: who (user, role), when, what, and the change as a
    JSON Patch (RFC 6902) from the state before to the state after. Append-only: the
    migration installs triggers that reject UPDATE and DELETE."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_email: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    patch: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
