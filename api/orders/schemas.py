"""Order responses."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.models import DocumentKind, Order, OrderDocument, OrderStatus
from matcher.money import terbilang
from matcher.orders.documents import FILENAMES, VERIFY_PATH


class FlagRead(BaseModel):
    code: str
    message: str


class OrderLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    need_id: int
    offer_id: int
    plan_line_id: int | None
    description: str
    unit: str
    quantity: int
    unit_price: int
    amount: int
    reserved_quantity: int
    quantity_delivered: int | None
    quantity_received: int | None


class DocumentRef(BaseModel):
    kind: DocumentKind
    number: str
    sha256: str
    size: int
    verification_code: str
    generated_at: datetime
    download_url: str
    verify_url: str


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    plan_id: int | None
    agency_id: int
    supplier_id: int
    status: OrderStatus
    delivery_place: str
    delivery_date: date
    total_amount: int
    total_in_words: str = Field(description="Terbilang")
    committed_amount: int
    paid_amount: int | None
    flags: list[FlagRead]
    replaces_order_id: int | None
    replacement_order_ids: list[int] = Field(
        default_factory=list, description="Pesanan pengganti setelah penyedia menolak"
    )
    approved_at: datetime | None
    accepted_at: datetime | None
    declined_at: datetime | None
    decline_reason: str | None
    delivered_at: datetime | None
    delivery_note: str | None
    received_at: datetime | None
    paid_at: datetime | None
    payment_date: date | None
    payment_reference: str | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    created_at: datetime
    lines: list[OrderLineRead]
    documents: list[DocumentRef] = Field(default_factory=list)


class PlanApprovalRead(BaseModel):
    plan_id: int
    approved_line_ids: list[int]
    rejected_line_ids: list[int]
    orders: list[OrderRead]


def document_refs(session: Session, order: Order) -> list[DocumentRef]:
    rows = session.execute(
        select(
            OrderDocument.kind,
            OrderDocument.number,
            OrderDocument.sha256,
            OrderDocument.size,
            OrderDocument.verification_code,
            OrderDocument.generated_at,
        )
        .where(OrderDocument.order_id == order.id)
        .order_by(OrderDocument.id)
    )
    return [
        DocumentRef(
            kind=row.kind,
            number=row.number,
            sha256=row.sha256,
            size=row.size,
            verification_code=row.verification_code,
            generated_at=row.generated_at,
            download_url=f"/api/v1/orders/{order.id}/documents/{row.kind.value}",
            verify_url=f"{VERIFY_PATH}{row.verification_code}",
        )
        for row in rows
    ]


def order_read(session: Session, order: Order) -> OrderRead:
    replacements = list(
        session.scalars(
            select(Order.id).where(Order.replaces_order_id == order.id).order_by(Order.id)
        )
    )
    return OrderRead.model_validate(
        {
            **{
                name: getattr(order, name)
                for name in OrderRead.model_fields
                if hasattr(order, name)
            },
            "total_in_words": terbilang(order.total_amount),
            "flags": order.flags or [],
            "lines": [OrderLineRead.model_validate(line) for line in order.lines],
            "documents": document_refs(session, order),
            "replacement_order_ids": replacements,
        }
    )


__all__ = ["FILENAMES", "DocumentRef", "OrderRead", "PlanApprovalRead", "order_read"]
