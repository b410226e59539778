"""Complaints (pengaduan) on orders: filed by the ordering agency or the supplier with the
order's document references and product photos, handled by the tim pengelola (admin).

States: open -> in_review -> resolved | rejected (resolved/rejected also straight from open).
Complaints count in the supplier's delivery record on shortlists
(``matcher.shortlist.service.delivery_records``)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from matcher.auth.principal import Principal
from matcher.config import get_settings
from matcher.errors import (
    FieldError,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PayloadTooLarge,
    UnsupportedMedia,
)
from matcher.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintStatus,
    Order,
    OrderDocument,
    OrderStatus,
    Role,
)
from matcher.orders.service import readable as readable_orders

C = ComplaintStatus
TRANSITIONS: dict[str, tuple[frozenset[ComplaintStatus], ComplaintStatus]] = {
    "review": (frozenset({C.OPEN}), C.IN_REVIEW),
    "resolve": (frozenset({C.OPEN, C.IN_REVIEW}), C.RESOLVED),
    "reject": (frozenset({C.OPEN, C.IN_REVIEW}), C.REJECTED),
}
# Photo types recognised by their first bytes (the declared type must agree).
PHOTO_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}
MAX_PHOTOS = 10


def readable(principal: Principal) -> Select[Complaint]:
    statement = select(Complaint)
    if principal.role in (Role.ADMIN, Role.PLANNER, Role.VIEWER):
        return statement
    if principal.role == Role.OFFICER:
        return statement.where(Complaint.agency_id == principal.agency_id)
    return statement.where(Complaint.supplier_id == principal.supplier_id)


def get_readable(session: Session, principal: Principal, complaint_id: int) -> Complaint:
    complaint = session.scalar(
        readable(principal)
        .where(Complaint.id == complaint_id)
        .options(selectinload(Complaint.attachments))
    )
    if complaint is None:
        raise NotFound(f"Pengaduan {complaint_id} tidak ditemukan")
    return complaint


def list_statement(
    principal: Principal,
    *,
    status: ComplaintStatus | None = None,
    order_id: int | None = None,
    supplier_id: int | None = None,
) -> Select[Complaint]:
    statement = readable(principal).options(selectinload(Complaint.attachments))
    if status is not None:
        statement = statement.where(Complaint.status == status)
    if order_id is not None:
        statement = statement.where(Complaint.order_id == order_id)
    if supplier_id is not None:
        statement = statement.where(Complaint.supplier_id == supplier_id)
    return statement.order_by(Complaint.id)


def file_complaint(
    session: Session,
    principal: Principal,
    order_id: int,
    *,
    subject: str,
    description: str,
    document_refs: list[str] | None,
) -> Complaint:
    """The agency (its officer) or the supplier files a complaint on an order. Document
    references are verification codes of the order's documents; by default all of them."""
    order = session.scalar(readable_orders(principal).where(Order.id == order_id))
    if order is None:
        raise NotFound(f"Pesanan {order_id} tidak ditemukan")
    if not (
        principal.belongs_to_agency(order.agency_id) or principal.owns_supplier(order.supplier_id)
    ):
        raise Forbidden("Pengaduan diajukan oleh perangkat daerah pemesan atau penyedia")
    if order.status in (OrderStatus.DRAFT, OrderStatus.CANCELLED):
        raise InvalidTransition(
            f"Pesanan berstatus '{order.status.value}' tidak dapat diadukan",
            current_state=order.status.value,
        )
    codes = {
        d.verification_code: d
        for d in session.scalars(select(OrderDocument).where(OrderDocument.order_id == order.id))
    }
    if document_refs is None:
        refs = sorted(codes, key=lambda code: codes[code].id)
    else:
        refs = []
        for index, ref in enumerate(document_refs):
            normalised = ref.strip().upper().replace("-", "")
            if normalised not in codes:
                raise InvalidInput(
                    f"Dokumen {ref} bukan dokumen pesanan {order.code}",
                    errors=[FieldError(("body", "document_refs", index), "tidak dikenal")],
                )
            refs.append(normalised)
    complaint = Complaint(
        code=f"tmp-{uuid.uuid4().hex}",
        order_id=order.id,
        supplier_id=order.supplier_id,
        agency_id=order.agency_id,
        filed_by_user_id=principal.user_id,
        filed_by_role=principal.role,
        subject=subject,
        description=description,
        document_refs=refs,
        status=C.OPEN,
    )
    session.add(complaint)
    session.flush()
    complaint.code = f"ADU-{complaint.id:06d}"
    session.flush()
    return complaint


def _writable(session: Session, principal: Principal, complaint_id: int) -> Complaint:
    complaint = get_readable(session, principal, complaint_id)
    if not (principal.is_admin or complaint.filed_by_user_id == principal.user_id):
        raise Forbidden("Hanya pelapor atau tim pengelola yang dapat menambah lampiran")
    return complaint


def sniff_photo(content: bytes) -> str | None:
    for content_type, signatures in PHOTO_SIGNATURES.items():
        if any(content.startswith(signature) for signature in signatures):
            if content_type == "image/webp" and content[8:12] != b"WEBP":
                continue
            return content_type
    return None


def add_photo(
    session: Session,
    principal: Principal,
    complaint_id: int,
    *,
    filename: str,
    content_type: str | None,
    content: bytes,
) -> ComplaintAttachment:
    """Attach a product photo (JPEG, PNG or WebP, at most ``settings.max_upload_bytes``)."""
    complaint = _writable(session, principal, complaint_id)
    if complaint.status not in (C.OPEN, C.IN_REVIEW):
        raise InvalidTransition(
            f"Pengaduan berstatus '{complaint.status.value}' tidak dapat diberi lampiran",
            current_state=complaint.status.value,
        )
    limit = get_settings().max_upload_bytes
    if len(content) > limit:
        raise PayloadTooLarge(f"Foto lebih dari {limit // (1024 * 1024)} MB")
    if not content:
        raise InvalidInput("Berkas foto kosong")
    sniffed = sniff_photo(content)
    if sniffed is None or (content_type and content_type.split(";")[0].strip() != sniffed):
        raise UnsupportedMedia("Foto harus berupa JPEG, PNG atau WebP")
    count = session.scalar(
        select(func.count())
        .select_from(ComplaintAttachment)
        .where(ComplaintAttachment.complaint_id == complaint.id)
    )
    if (count or 0) >= MAX_PHOTOS:
        raise InvalidInput(f"Paling banyak {MAX_PHOTOS} foto per pengaduan")
    attachment = ComplaintAttachment(
        complaint_id=complaint.id,
        filename=(filename or "foto")[-200:],
        content_type=sniffed,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_user_id=principal.user_id,
    )
    session.add(attachment)
    session.flush()
    return attachment


def transition(
    session: Session,
    principal: Principal,
    complaint_id: int,
    action: str,
    *,
    resolution: str | None,
    now: datetime,
) -> Complaint:
    """The tim pengelola (admin) reviews, resolves or rejects a complaint."""
    if action not in TRANSITIONS:
        raise InvalidInput(f"Tindakan tidak dikenal: {action}")
    complaint = get_readable(session, principal, complaint_id)
    if not principal.is_admin:
        raise Forbidden("Pengaduan ditangani oleh tim pengelola (admin)")
    sources, target = TRANSITIONS[action]
    if complaint.status not in sources:
        raise InvalidTransition(
            f"Pengaduan berstatus '{complaint.status.value}' tidak dapat di-{action}",
            current_state=complaint.status.value,
        )
    if target in (C.RESOLVED, C.REJECTED):
        if not resolution:
            raise InvalidInput(
                "Keterangan penyelesaian wajib diisi",
                errors=[FieldError(("body", "resolution"), "wajib diisi")],
            )
        complaint.closed_at = now
    if resolution:
        complaint.resolution = resolution
    complaint.status = target
    complaint.handled_by_user_id = principal.user_id
    session.flush()
    return complaint


def attachment(
    session: Session, principal: Principal, complaint_id: int, attachment_id: int
) -> ComplaintAttachment:
    complaint = get_readable(session, principal, complaint_id)
    for item in complaint.attachments:
        if item.id == attachment_id:
            return item
    raise NotFound(f"Lampiran {attachment_id} tidak ditemukan")
