"""/api/v1/orders: the order lifecycle, its documents, and plan approval into orders
(``/api/v1/plans/{plan_id}/approval``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import CurrentPrincipal, SessionDep
from api.idempotency import IdempotencyDep
from api.orders.schemas import FILENAMES, OrderRead, PlanApprovalRead, order_read
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from matcher.clock import today
from matcher.models import DocumentKind, OrderStatus
from matcher.models.base import utcnow
from matcher.orders import documents, service
from matcher.orders.schemas import Delivery, Payment, PlanApproval, Reason, Receipt

router = APIRouter(tags=["Pesanan (orders)"])

INTEGRITY_HEADER = "X-Document-Integrity"


@router.get("/orders", response_model=Page[OrderRead], responses=responses(401, 422))
def list_orders(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    status_: Annotated[OrderStatus | None, Query(alias="status")] = None,
    agency_id: int | None = None,
    supplier_id: int | None = None,
    plan_id: int | None = None,
) -> Page[OrderRead]:
    statement = service.list_statement(
        principal, status=status_, agency_id=agency_id, supplier_id=supplier_id, plan_id=plan_id
    )
    return page_of(session, statement, page, lambda row: order_read(session, row))


@router.get("/orders/{order_id}", response_model=OrderRead, responses=responses(401, 404, 422))
def get_order(order_id: int, session: SessionDep, principal: CurrentPrincipal) -> OrderRead:
    return order_read(session, service.get_readable(session, principal, order_id))


@router.post(
    "/plans/{plan_id}/approval",
    status_code=status.HTTP_201_CREATED,
    response_model=PlanApprovalRead,
    responses=responses(401, 403, 404, 409, 422),
    tags=["Pesanan (orders)"],
)
def approve_plan(
    plan_id: int,
    body: PlanApproval,
    session: SessionDep,
    principal: CurrentPrincipal,
    idempotency: IdempotencyDep,
) -> Response:
    """Approve a completed plan, whole or line by line (``line_ids``), reject lines
    (``reject_line_ids``), re-assign lines to other eligible offers (``reassignments``); the
    approved lines become draft orders, one per supplier per agency per plan. Accepts an
    ``Idempotency-Key``."""

    def produce() -> PlanApprovalRead:
        result = service.approve_plan(
            session, principal, plan_id, body, today=today(), now=utcnow()
        )
        return PlanApprovalRead(
            plan_id=result.plan.id,
            approved_line_ids=result.approved_line_ids,
            rejected_line_ids=result.rejected_line_ids,
            orders=[order_read(session, order) for order in result.orders],
        )

    return idempotency.run(body, produce, status_code=status.HTTP_201_CREATED)


_TRANSITION_RESPONSES = responses(401, 403, 404, 409, 422)


@router.post(
    "/orders/{order_id}/approve", response_model=OrderRead, responses=_TRANSITION_RESPONSES
)
def approve_order(
    order_id: int, session: SessionDep, principal: CurrentPrincipal, idempotency: IdempotencyDep
) -> Response:
    """Approve a draft order (officer of the agency or admin): procurement rules are checked,
    offer capacity and agency budget are reserved, the Surat Pesanan and the Bukti
    Persetujuan Pemesanan are issued. Accepts an ``Idempotency-Key``."""

    def produce() -> OrderRead:
        order = service.approve(session, principal, order_id, today=today(), now=utcnow())
        return order_read(session, order)

    return idempotency.run(None, produce)


@router.post("/orders/{order_id}/accept", response_model=OrderRead, responses=_TRANSITION_RESPONSES)
def accept_order(order_id: int, session: SessionDep, principal: CurrentPrincipal) -> OrderRead:
    """The supplier accepts an approved order."""
    return order_read(session, service.accept(session, principal, order_id, now=utcnow()))


@router.post(
    "/orders/{order_id}/decline", response_model=OrderRead, responses=_TRANSITION_RESPONSES
)
def decline_order(
    order_id: int, session: SessionDep, principal: CurrentPrincipal, body: Reason | None = None
) -> OrderRead:
    """The supplier declines: the reservation is released and the quantity is offered to the
    next candidate as a new draft order (``replacement_order_ids``)."""
    result = service.decline(
        session,
        principal,
        order_id,
        reason=body.reason if body else None,
        today=today(),
        now=utcnow(),
    )
    return order_read(session, result.order)


@router.post(
    "/orders/{order_id}/deliver", response_model=OrderRead, responses=_TRANSITION_RESPONSES
)
def deliver_order(
    order_id: int, body: Delivery, session: SessionDep, principal: CurrentPrincipal
) -> OrderRead:
    """The supplier records the delivery, line by line (partial delivery allowed)."""
    return order_read(session, service.deliver(session, principal, order_id, body, now=utcnow()))


@router.post(
    "/orders/{order_id}/receive", response_model=OrderRead, responses=_TRANSITION_RESPONSES
)
def receive_order(
    order_id: int, body: Receipt, session: SessionDep, principal: CurrentPrincipal
) -> OrderRead:
    """The officer confirms what was received; issues the Bukti Pengiriman (BAST)."""
    return order_read(session, service.receive(session, principal, order_id, body, now=utcnow()))


@router.post("/orders/{order_id}/pay", response_model=OrderRead, responses=_TRANSITION_RESPONSES)
def pay_order(
    order_id: int,
    body: Payment,
    session: SessionDep,
    principal: CurrentPrincipal,
    idempotency: IdempotencyDep,
) -> Response:
    """Record the payment (date and reference); issues the Bukti Pembayaran. Accepts an
    ``Idempotency-Key``."""

    def produce() -> OrderRead:
        return order_read(session, service.pay(session, principal, order_id, body, now=utcnow()))

    return idempotency.run(body, produce)


@router.post("/orders/{order_id}/close", response_model=OrderRead, responses=_TRANSITION_RESPONSES)
def close_order(order_id: int, session: SessionDep, principal: CurrentPrincipal) -> OrderRead:
    """Close a paid order, releasing undelivered capacity and unspent budget."""
    return order_read(session, service.close(session, principal, order_id, now=utcnow()))


@router.post("/orders/{order_id}/cancel", response_model=OrderRead, responses=_TRANSITION_RESPONSES)
def cancel_order(
    order_id: int, session: SessionDep, principal: CurrentPrincipal, body: Reason | None = None
) -> OrderRead:
    """Cancel a draft or approved order (releases the reservation)."""
    order = service.cancel(
        session, principal, order_id, reason=body.reason if body else None, now=utcnow()
    )
    return order_read(session, order)


@router.get(
    "/orders/{order_id}/documents/{kind}",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "Dokumen PDF"},
        **responses(401, 404, 409, 422),
    },
)
def download_document(
    order_id: int, kind: DocumentKind, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """Download a document of the order. The stored bytes are served; the header
    ``X-Document-Integrity`` says ``ok`` when they match their stored SHA-256 and a fresh
    rendering from the current data, ``mismatch`` otherwise (the mismatch is audited)."""
    order = service.get_readable(session, principal, order_id)
    result = documents.download(session, order, kind)
    return Response(
        content=result.content,
        media_type="application/pdf",
        headers={
            INTEGRITY_HEADER: "ok" if result.intact else "mismatch",
            "X-Document-SHA256": result.document.sha256,
            "X-Verification-Code": result.document.verification_code,
            "Content-Disposition": (f'attachment; filename="{FILENAMES[kind]}-{order.code}.pdf"'),
        },
    )
