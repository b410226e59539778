"""Order pages for every role (scoped by the orders service): list, detail with the actions
the principal may take in the order's state, document downloads and complaints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from api.deps import SessionDep
from matcher.auth.principal import Principal
from matcher.clock import today
from matcher.errors import MatcherError
from matcher.models import (
    Agency,
    Complaint,
    DocumentKind,
    Order,
    OrderStatus,
    Role,
    Supplier,
)
from matcher.models.base import utcnow
from matcher.money import terbilang
from matcher.orders import complaints, documents, service
from matcher.orders.documents import FILENAMES
from matcher.orders.schemas import Delivery, LineQuantity, Payment, Receipt
from web.auth import CsrfForm, PagePrincipal
from web.forms import FormErrors, text, validate
from web.pages import paginate
from web.templating import redirect, render

router = APIRouter(include_in_schema=False)

ACTION_MESSAGES = {
    "setujui": "Pesanan {code} disetujui; Surat Pesanan dan Bukti Persetujuan terbit.",
    "terima": "Pesanan {code} diterima. Silakan siapkan pengiriman.",
    "tolak": "Pesanan {code} ditolak; kuantitasnya ditawarkan ke penyedia berikutnya.",
    "kirim": "Pengiriman pesanan {code} dicatat.",
    "terima-barang": "Penerimaan barang pesanan {code} dicatat; Bukti Pengiriman terbit.",
    "bayar": "Pembayaran pesanan {code} dicatat; Bukti Pembayaran terbit.",
    "tutup": "Pesanan {code} ditutup.",
    "batalkan": "Pesanan {code} dibatalkan.",
}


def available_actions(principal: Principal, order: Order) -> list[str]:
    """What this principal may do now (the service checks again)."""
    agency_side = principal.is_admin or principal.belongs_to_agency(order.agency_id)
    supplier_side = principal.owns_supplier(order.supplier_id)
    status = order.status
    actions: list[str] = []
    if agency_side:
        if status == OrderStatus.DRAFT:
            actions += ["setujui", "batalkan"]
        elif status == OrderStatus.APPROVED:
            actions.append("batalkan")
        elif status == OrderStatus.DELIVERED:
            received = order.received_at is not None
            actions.append("bayar" if received else "terima-barang")
        elif status == OrderStatus.PAID:
            actions.append("tutup")
    if supplier_side:
        if status == OrderStatus.APPROVED:
            actions += ["terima", "tolak"]
        elif status == OrderStatus.ACCEPTED:
            actions.append("kirim")
    return actions


@router.get("/pesanan")
def order_list(
    request: Request,
    session: SessionDep,
    principal: PagePrincipal,
    status: Annotated[OrderStatus | None, Query()] = None,
    rencana: Annotated[int | None, Query(ge=1)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    statement = service.list_statement(principal, status=status, plan_id=rencana)
    result = paginate(session, statement.order_by(None).order_by(Order.id.desc()), page)
    agency_ids = {o.agency_id for o in result.items}
    supplier_ids = {o.supplier_id for o in result.items}
    agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))}
    suppliers = {
        s.id: s for s in session.scalars(select(Supplier).where(Supplier.id.in_(supplier_ids)))
    }
    query = "&".join(
        part
        for part in (
            f"status={status.value}" if status else "",
            f"rencana={rencana}" if rencana else "",
        )
        if part
    )
    return render(
        request,
        "orders/list.html",
        {
            "result": result,
            "agencies": agencies,
            "suppliers": suppliers,
            "status": status,
            "statuses": list(OrderStatus),
            "rencana": rencana,
            "base": "/pesanan?" + (query + "&" if query else ""),
        },
        principal=principal,
        title="Pesanan",
    )


def _detail_context(session: SessionDep, principal: Principal, order: Order) -> dict[str, Any]:
    order_complaints = list(
        session.scalars(
            complaints.readable(principal)
            .where(Complaint.order_id == order.id)
            .order_by(Complaint.id)
        )
    )
    may_complain = (
        principal.belongs_to_agency(order.agency_id) or principal.owns_supplier(order.supplier_id)
    ) and order.status not in (OrderStatus.DRAFT, OrderStatus.CANCELLED)
    return {
        "order": order,
        "agency": session.get(Agency, order.agency_id),
        "supplier": session.get(Supplier, order.supplier_id),
        "actions": available_actions(principal, order),
        "documents": sorted(order.documents, key=lambda d: d.id),
        "complaints": order_complaints,
        "may_complain": may_complain,
        "in_words": terbilang(order.total_amount),
        "today": today().isoformat(),
        "errors": {},
        "summary": None,
        "complaint_values": {},
    }


@router.get("/pesanan/{order_id}")
def order_detail(
    request: Request, session: SessionDep, principal: PagePrincipal, order_id: int
) -> Response:
    order = service.get_readable(session, principal, order_id)
    return render(
        request,
        "orders/detail.html",
        _detail_context(session, principal, order),
        principal=principal,
        title=f"Pesanan {order.code}",
    )


def _quantities(form: CsrfForm, order: Order) -> list[LineQuantity]:
    found: list[LineQuantity] = []
    for line in order.lines:
        raw = text(form, f"qty_{line.id}")
        if raw is None:
            continue
        found.append(validate(LineQuantity, {"line_id": line.id, "quantity": raw}))
    return found


@router.post("/pesanan/{order_id}/pengaduan")
def file_complaint(
    request: Request,
    session: SessionDep,
    principal: PagePrincipal,
    order_id: int,
    form: CsrfForm,
) -> Response:
    subject = text(form, "subject")
    description = text(form, "description")
    fields: dict[str, str] = {}
    if not subject:
        fields["subject"] = "wajib diisi"
    elif len(subject) > 200:
        fields["subject"] = "maksimal 200 karakter"
    if not description:
        fields["description"] = "wajib diisi"
    try:
        if fields:
            raise FormErrors(fields, "Periksa kembali isian pengaduan.")
        assert subject is not None and description is not None
        complaint = complaints.file_complaint(
            session,
            principal,
            order_id,
            subject=subject,
            description=description,
            document_refs=None,
        )
    except FormErrors as errors:
        order = service.get_readable(session, principal, order_id)
        context = _detail_context(session, principal, order)
        context.update(
            errors=errors.fields,
            summary=errors.summary,
            complaint_values={"subject": subject or "", "description": description or ""},
        )
        return render(
            request,
            "orders/detail.html",
            context,
            principal=principal,
            status_code=422,
            title=f"Pesanan {order.code}",
        )
    except MatcherError as error:
        session.rollback()
        if error.status_code in (401, 403, 404):
            raise
        return redirect(f"/pesanan/{order_id}", f"Pengaduan tidak dapat diajukan: {error.detail}")
    return redirect(
        f"/pesanan/{order_id}", f"Pengaduan {complaint.code} diajukan ke tim pengelola."
    )


@router.post("/pesanan/{order_id}/{action}")
def order_action(
    request: Request,
    session: SessionDep,
    principal: PagePrincipal,
    order_id: int,
    action: str,
    form: CsrfForm,
) -> Response:
    if action not in ACTION_MESSAGES:
        return redirect(f"/pesanan/{order_id}", "Tindakan tidak dikenal.")
    order = service.get_readable(session, principal, order_id)
    code = order.code
    now = utcnow()
    target = f"/pesanan/{order_id}"
    try:
        if action == "setujui":
            service.approve(session, principal, order_id, today=today(), now=now)
        elif action == "terima":
            service.accept(session, principal, order_id, now=now)
        elif action == "tolak":
            result = service.decline(
                session, principal, order_id, reason=text(form, "reason"), today=today(), now=now
            )
            if principal.role == Role.SUPPLIER:
                target = "/pesanan"
            elif result.replacements:
                target = f"/pesanan/{result.replacements[0].id}"
        elif action == "kirim":
            delivery = Delivery(lines=_quantities(form, order) or None, note=text(form, "note"))
            service.deliver(session, principal, order_id, delivery, now=now)
        elif action == "terima-barang":
            receipt = Receipt(lines=_quantities(form, order) or None)
            service.receive(session, principal, order_id, receipt, now=now)
        elif action == "bayar":
            payment = validate(
                Payment,
                {
                    "payment_date": text(form, "payment_date"),
                    "payment_reference": text(form, "payment_reference"),
                },
            )
            service.pay(session, principal, order_id, payment, now=now)
        elif action == "tutup":
            service.close(session, principal, order_id, now=now)
        elif action == "batalkan":
            service.cancel(session, principal, order_id, reason=text(form, "reason"), now=now)
    except FormErrors as errors:
        session.rollback()
        order = service.get_readable(session, principal, order_id)
        context = _detail_context(session, principal, order)
        context.update(errors=errors.fields, summary=errors.summary)
        return render(
            request,
            "orders/detail.html",
            context,
            principal=principal,
            status_code=422,
            title=f"Pesanan {order.code}",
        )
    except MatcherError as error:
        session.rollback()
        if error.status_code in (401, 403, 404):
            raise
        return redirect(target, f"Tidak dapat diproses: {error.detail}")
    return redirect(target, ACTION_MESSAGES[action].format(code=code))


@router.get("/pesanan/{order_id}/dokumen/{kind}")
def download_document(
    session: SessionDep, principal: PagePrincipal, order_id: int, kind: DocumentKind
) -> Response:
    order = service.get_readable(session, principal, order_id)
    result = documents.download(session, order, kind)
    return Response(
        content=result.content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{FILENAMES[kind]}-{order.code}.pdf"',
            "X-Document-Integrity": "ok" if result.intact else "mismatch",
            "Cache-Control": "no-store",
        },
    )
