"""The order state machine, plan approval into orders, and the reservations each step makes.

States and who moves them (``TRANSITIONS``)::

    draft --approve (officer/admin; reserves capacity and budget)--> approved
    approved --accept (supplier)--> accepted
    approved --decline (supplier; releases; next candidate gets a draft)--> declined
    accepted --deliver (supplier: quantities shipped, partial allowed)--> delivered
    delivered --receive (officer/admin: quantities received; Bukti Pengiriman)--> delivered
    delivered --pay (officer/admin, after receipt; Bukti Pembayaran)--> paid
    paid --close (officer/admin; releases what was not delivered or paid)--> closed
    draft|approved --cancel (officer/admin; releases)--> cancelled

"Officer" means an officer of the order's agency; "supplier" a user of the order's supplier.
An order the principal may not see is a 404; a visible order and the wrong role is a 403;
the wrong state is a 409 naming the current state.

Delivery is two steps in one state: the supplier records what it shipped (``deliver``), the
officer confirms what arrived (``receive``), which issues the berita acara serah terima;
payment needs that confirmation. Capacity stays reserved for the units received (they used
the period's capacity); closing releases the units not received and the budget not paid.

Concurrency: every transition first locks the order (PostgreSQL ``SELECT ... FOR UPDATE``;
SQLite: the transaction's first statement is a write, so it queues for the database's write
lock instead of failing on a stale read snapshot), and reservations are conditional UPDATEs
(``matcher.orders.reservation``)."""

from __future__ import annotations

import threading
import uuid
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sqlalchemy import Engine, Select, event, select, update
from sqlalchemy.orm import Session, SessionTransaction, selectinload

from matcher.auth.principal import Principal
from matcher.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from matcher.models import (
    Agency,
    DocumentKind,
    Need,
    NeedStatus,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    Plan,
    PlanLine,
    PlanLineStatus,
    PlanStatus,
    Role,
    VerificationStatus,
)
from matcher.money import format_rupiah
from matcher.needs import service as needs_service
from matcher.orders import documents, rules
from matcher.orders.eligibility import (
    ineligibility_messages,
    is_priority,
    next_candidate,
)
from matcher.orders.reservation import (
    commit_budget,
    release_budget,
    release_capacity,
    reserve_capacity,
)
from matcher.orders.schemas import Delivery, Payment, PlanApproval, Receipt
from matcher.planning.instance import available_capacity
from matcher.shortlist.caps import cap_in_round

S = OrderStatus
Side = Literal["agency", "supplier"]

TRANSITIONS: dict[str, tuple[frozenset[OrderStatus], OrderStatus, Side]] = {
    "approve": (frozenset({S.DRAFT}), S.APPROVED, "agency"),
    "accept": (frozenset({S.APPROVED}), S.ACCEPTED, "supplier"),
    "decline": (frozenset({S.APPROVED}), S.DECLINED, "supplier"),
    "deliver": (frozenset({S.ACCEPTED}), S.DELIVERED, "supplier"),
    "receive": (frozenset({S.DELIVERED}), S.DELIVERED, "agency"),
    "pay": (frozenset({S.DELIVERED}), S.PAID, "agency"),
    "close": (frozenset({S.PAID}), S.CLOSED, "agency"),
    "cancel": (frozenset({S.DRAFT, S.APPROVED}), S.CANCELLED, "agency"),
}
# Orders still in progress (a need is fulfilled when none of its orders is).
OPEN_STATUSES = frozenset({S.DRAFT, S.APPROVED, S.ACCEPTED, S.DELIVERED, S.PAID})
SIDE_LABELS: dict[Side, str] = {
    "agency": "pejabat pengadaan perangkat daerah pemesan atau admin",
    "supplier": "penyedia pada pesanan ini",
}


# --- reading -------------------------------------------------------------------------------


def readable(principal: Principal) -> Select[Order]:
    """Admin, planners and viewers read every order; officers their agency's; a supplier
    user its own orders once approved (drafts are the agency's working papers)."""
    statement = select(Order)
    if principal.role in (Role.ADMIN, Role.PLANNER, Role.VIEWER):
        return statement
    if principal.role == Role.OFFICER:
        return statement.where(Order.agency_id == principal.agency_id)
    return statement.where(
        Order.supplier_id == principal.supplier_id, Order.status != OrderStatus.DRAFT
    )


def get_readable(session: Session, principal: Principal, order_id: int) -> Order:
    order = session.scalar(
        readable(principal)
        .where(Order.id == order_id)
        .options(selectinload(Order.lines), selectinload(Order.documents))
    )
    if order is None:
        raise NotFound(f"Pesanan {order_id} tidak ditemukan")
    return order


def list_statement(
    principal: Principal,
    *,
    status: OrderStatus | None = None,
    agency_id: int | None = None,
    supplier_id: int | None = None,
    plan_id: int | None = None,
) -> Select[Order]:
    statement = readable(principal).options(selectinload(Order.lines))
    if status is not None:
        statement = statement.where(Order.status == status)
    if agency_id is not None:
        statement = statement.where(Order.agency_id == agency_id)
    if supplier_id is not None:
        statement = statement.where(Order.supplier_id == supplier_id)
    if plan_id is not None:
        statement = statement.where(Order.plan_id == plan_id)
    return statement.order_by(Order.id)


# --- locking and the transition guard -------------------------------------------------------


_SQLITE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_SQLITE_WRITERS_GUARD = threading.Lock()
_HELD = "orders_sqlite_write_lock"
WRITE_LOCK_TIMEOUT = 120.0


def _release_writer(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        held = session.info.pop(_HELD, None)
        if held is not None:
            held.release()


def _sqlite_writer_lock(session: Session) -> None:
    """Queue this process's SQLite writers on a lock instead of on the database: a waiting
    request then holds no pooled connection and gets the database the moment it is free
    (SQLite's busy handler polls with sleeps). Released when the session's transaction ends.
    Other processes are still serialised by SQLite itself (busy_timeout)."""
    if _HELD in session.info:
        return
    engine = session.get_bind().engine
    with _SQLITE_WRITERS_GUARD:
        lock = _SQLITE_WRITERS.setdefault(engine, threading.Lock())
    if not lock.acquire(timeout=WRITE_LOCK_TIMEOUT):
        raise Conflict("Basis data sedang sibuk; coba lagi sebentar lagi")
    session.info[_HELD] = lock
    if not event.contains(session, "after_transaction_end", _release_writer):
        event.listen(session, "after_transaction_end", _release_writer)


def lock_row(session: Session, model: type[Order] | type[Plan], row_id: int) -> None:
    """Serialise writers on one row for the rest of the transaction.

    PostgreSQL: ``SELECT ... FOR UPDATE``. SQLite has one writer at a time, but a deferred
    transaction that has read cannot become a writer once another connection committed
    (SQLITE_BUSY_SNAPSHOT, not retried by busy_timeout). So the read-only part of the request
    (authentication) is ended first, writers of this process queue on a lock, and the first
    statement of the transaction is a write, which then reads the latest data."""
    if session.get_bind().dialect.name == "sqlite":
        if not (session.new or session.dirty or session.deleted):
            session.commit()
        _sqlite_writer_lock(session)
        session.execute(
            update(model)
            .where(model.id == row_id)
            .values(id=model.id)
            .execution_options(synchronize_session=False)
        )
    else:
        session.execute(select(model.id).where(model.id == row_id).with_for_update())


def _load_locked(session: Session, order_id: int) -> Order | None:
    return session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.lines))
        .execution_options(populate_existing=True)
    )


def _may_act(principal: Principal, order: Order, side: Side) -> bool:
    if side == "agency":
        return principal.is_admin or principal.belongs_to_agency(order.agency_id)
    return principal.owns_supplier(order.supplier_id)


def prepare(session: Session, principal: Principal, order_id: int, action: str) -> Order:
    """Lock the order, then check visibility (404), role (403) and state (409)."""
    if action not in TRANSITIONS:
        raise InvalidInput(f"Tindakan tidak dikenal: {action}")
    sources, _target, side = TRANSITIONS[action]
    lock_row(session, Order, order_id)
    order = _load_locked(session, order_id)
    visible = session.scalar(
        readable(principal).where(Order.id == order_id).with_only_columns(Order.id)
    )
    if order is None or visible is None:
        raise NotFound(f"Pesanan {order_id} tidak ditemukan")
    if not _may_act(principal, order, side):
        raise Forbidden(f"Tindakan '{action}' hanya dapat dilakukan oleh {SIDE_LABELS[side]}")
    if order.status not in sources:
        raise InvalidTransition(
            f"Pesanan {order.code} berstatus '{order.status.value}' tidak dapat di-{action}",
            current_state=order.status.value,
        )
    return order


# --- reservations ---------------------------------------------------------------------------


def _reserve(session: Session, order: Order) -> None:
    for line in order.lines:
        reserve_capacity(session, line.offer_id, line.quantity, order_code=order.code)
        line.reserved_quantity = line.quantity
    commit_budget(session, order.agency_id, order.total_amount, order_code=order.code)
    order.committed_amount = order.total_amount


def _release(session: Session, order: Order, *, keep_received: bool) -> None:
    """Release every held unit and rupiah, or (closing) all but what was received and paid."""
    for line in order.lines:
        keep = (line.quantity_received or 0) if keep_received else 0
        surplus = line.reserved_quantity - keep
        if surplus > 0:
            release_capacity(session, line.offer_id, surplus, order_code=order.code)
            line.reserved_quantity = keep
    keep_amount = (order.paid_amount or 0) if keep_received else 0
    surplus_amount = order.committed_amount - keep_amount
    if surplus_amount > 0:
        release_budget(session, order.agency_id, surplus_amount, order_code=order.code)
        order.committed_amount = keep_amount


# --- transitions ----------------------------------------------------------------------------


def _check_catalogue(order: Order) -> None:
    """The supplier and its offers must still be verified and active when approving."""
    supplier = order.supplier
    if supplier.status != VerificationStatus.VERIFIED:
        raise InvalidInput(
            f"Penyedia {supplier.name} berstatus '{supplier.status.value}'; pesanan tidak dapat "
            "disetujui"
        )
    for line in order.lines:
        offer = line.offer
        if offer.status != VerificationStatus.VERIFIED or not offer.active:
            raise InvalidInput(
                f"Penawaran {offer.code} ({offer.name}) tidak aktif atau belum terverifikasi"
            )


def approve(
    session: Session, principal: Principal, order_id: int, *, today: date, now: datetime
) -> Order:
    """Approve a draft: procurement rules, then capacity and budget reserved atomically, the
    needs marked ordered, the Surat Pesanan and the Bukti Persetujuan Pemesanan issued."""
    order = prepare(session, principal, order_id, "approve")
    if not order.lines:
        raise InvalidInput(f"Pesanan {order.code} tidak memiliki baris")
    _check_catalogue(order)
    flags = rules.evaluate(session, order, today=today, now=now)
    _reserve(session, order)
    order.flags = [flag.as_dict() for flag in flags]
    order.status = S.APPROVED
    order.approved_at = now
    order.approved_by_user_id = principal.user_id
    for need in _needs(order):
        if need.status in (NeedStatus.PLANNED, NeedStatus.SUBMITTED):
            needs_service.transition(session, principal, need, "order")
    session.flush()
    documents.issue(session, order, DocumentKind.SURAT_PESANAN)
    documents.issue(session, order, DocumentKind.PERSETUJUAN)
    return order


def accept(session: Session, principal: Principal, order_id: int, *, now: datetime) -> Order:
    order = prepare(session, principal, order_id, "accept")
    order.status = S.ACCEPTED
    order.accepted_at = now
    session.flush()
    return order


@dataclass
class DeclineResult:
    order: Order
    replacements: list[Order] = field(default_factory=list)
    unassigned_line_ids: list[int] = field(default_factory=list)


def decline(
    session: Session,
    principal: Principal,
    order_id: int,
    *,
    reason: str | None,
    today: date,
    now: datetime,
) -> DeclineResult:
    """The supplier declines: everything reserved is released and each line's quantity is
    offered to the next candidate on the need's shortlist as a new draft order."""
    order = prepare(session, principal, order_id, "decline")
    _release(session, order, keep_received=False)
    order.status = S.DECLINED
    order.declined_at = now
    order.decline_reason = reason
    session.flush()
    return _offer_next_candidates(session, order, today=today, now=now)


def _declined_suppliers(session: Session, need_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Order.supplier_id)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(OrderLine.need_id == need_id, Order.status == S.DECLINED)
        )
    )


def _offer_next_candidates(
    session: Session, declined: Order, *, today: date, now: datetime
) -> DeclineResult:
    result = DeclineResult(order=declined)
    by_supplier: dict[int, list[tuple[OrderLine, Offer]]] = defaultdict(list)
    for line in declined.lines:
        exclude = _declined_suppliers(session, line.need_id) | {declined.supplier_id}
        offer = next_candidate(
            session, line.need, line.quantity, exclude_supplier_ids=exclude, today=today
        )
        if offer is None:
            result.unassigned_line_ids.append(line.id)
            continue
        by_supplier[offer.supplier_id].append((line, offer))
    for supplier_id, pairs in sorted(by_supplier.items()):
        replacement = _new_order(
            session,
            plan_id=declined.plan_id,
            agency_id=declined.agency_id,
            supplier_id=supplier_id,
            delivery_place=declined.delivery_place,
            delivery_date=declined.delivery_date,
            created_by=None,
            now=now,
        )
        replacement.replaces_order_id = declined.id
        for line, offer in pairs:
            _add_line(replacement, line.need, offer, line.quantity, plan_line_id=line.plan_line_id)
        result.replacements.append(replacement)
    session.flush()
    return result


def _line_quantities(
    order: Order, given: Iterable[tuple[int, int]] | None, default: dict[int, int]
) -> dict[int, int]:
    quantities = dict(default) if given is None else dict.fromkeys(default, 0)
    if given is not None:
        lines = {line.id: line for line in order.lines}
        for index, (line_id, quantity) in enumerate(given):
            if line_id not in lines:
                raise InvalidInput(
                    f"Baris {line_id} bukan bagian dari pesanan {order.code}",
                    errors=[FieldError(("body", "lines", index, "line_id"), "tidak dikenal")],
                )
            quantities[line_id] = quantity
    return quantities


def deliver(
    session: Session, principal: Principal, order_id: int, data: Delivery, *, now: datetime
) -> Order:
    """The supplier records the delivery: quantity shipped per line (partial allowed)."""
    order = prepare(session, principal, order_id, "deliver")
    given = [(item.line_id, item.quantity) for item in data.lines] if data.lines else None
    quantities = _line_quantities(order, given, {line.id: line.quantity for line in order.lines})
    for index, line in enumerate(order.lines):
        quantity = quantities[line.id]
        if quantity > line.quantity:
            raise InvalidInput(
                f"Jumlah dikirim {quantity} melebihi jumlah dipesan {line.quantity}",
                errors=[FieldError(("body", "lines", index, "quantity"), "melebihi pesanan")],
            )
        line.quantity_delivered = quantity
    if sum(quantities.values()) == 0:
        raise InvalidInput("Tidak ada barang yang dikirim")
    order.status = S.DELIVERED
    order.delivered_at = now
    order.delivery_note = data.note
    session.flush()
    return order


def receive(
    session: Session, principal: Principal, order_id: int, data: Receipt, *, now: datetime
) -> Order:
    """The officer confirms what arrived; issues the Bukti Pengiriman / BAST."""
    order = prepare(session, principal, order_id, "receive")
    if order.received_at is not None:
        raise InvalidTransition(
            f"Penerimaan pesanan {order.code} sudah dikonfirmasi",
            current_state=order.status.value,
        )
    given = [(item.line_id, item.quantity) for item in data.lines] if data.lines else None
    quantities = _line_quantities(
        order, given, {line.id: line.quantity_delivered or 0 for line in order.lines}
    )
    for index, line in enumerate(order.lines):
        quantity = quantities[line.id]
        if quantity > (line.quantity_delivered or 0):
            raise InvalidInput(
                f"Jumlah diterima {quantity} melebihi jumlah dikirim {line.quantity_delivered}",
                errors=[FieldError(("body", "lines", index, "quantity"), "melebihi pengiriman")],
            )
        line.quantity_received = quantity
    order.received_at = now
    order.received_by_user_id = principal.user_id
    session.flush()
    documents.issue(session, order, DocumentKind.PENGIRIMAN)
    return order


def pay(
    session: Session, principal: Principal, order_id: int, data: Payment, *, now: datetime
) -> Order:
    """Record payment of what was received; issues the Bukti Pembayaran."""
    order = prepare(session, principal, order_id, "pay")
    if order.received_at is None:
        raise InvalidTransition(
            f"Penerimaan barang pesanan {order.code} belum dikonfirmasi; pembayaran belum dapat "
            "dicatat",
            current_state=order.status.value,
        )
    if order.approved_at is not None and data.payment_date < order.approved_at.date():
        raise InvalidInput(
            "Tanggal pembayaran sebelum tanggal persetujuan pesanan",
            errors=[FieldError(("body", "payment_date"), "sebelum persetujuan")],
        )
    order.paid_amount = sum(line.received_amount for line in order.lines)
    order.payment_date = data.payment_date
    order.payment_reference = data.payment_reference
    order.paid_at = now
    order.status = S.PAID
    session.flush()
    documents.issue(session, order, DocumentKind.PEMBAYARAN)
    return order


def close(session: Session, principal: Principal, order_id: int, *, now: datetime) -> Order:
    """Close a paid order: release the capacity not delivered and the budget not paid; a need
    whose orders are all finished becomes fulfilled."""
    order = prepare(session, principal, order_id, "close")
    _release(session, order, keep_received=True)
    order.status = S.CLOSED
    order.closed_at = now
    session.flush()
    for need in _needs(order):
        still_open = session.scalar(
            select(Order.id)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(OrderLine.need_id == need.id, Order.status.in_(OPEN_STATUSES))
            .limit(1)
        )
        if still_open is None and need.status == NeedStatus.ORDERED:
            needs_service.transition(session, principal, need, "fulfil")
    session.flush()
    return order


def cancel(
    session: Session, principal: Principal, order_id: int, *, reason: str | None, now: datetime
) -> Order:
    order = prepare(session, principal, order_id, "cancel")
    if order.status == S.APPROVED:
        _release(session, order, keep_received=False)
    order.status = S.CANCELLED
    order.cancelled_at = now
    order.cancel_reason = reason
    session.flush()
    return order


def _needs(order: Order) -> list[Need]:
    seen: dict[int, Need] = {}
    for line in order.lines:
        seen.setdefault(line.need_id, line.need)
    return list(seen.values())


# --- plan approval --------------------------------------------------------------------------


def _new_order(
    session: Session,
    *,
    plan_id: int | None,
    agency_id: int,
    supplier_id: int,
    delivery_place: str,
    delivery_date: date,
    created_by: int | None,
    now: datetime,
) -> Order:
    order = Order(
        code=f"tmp-{uuid.uuid4().hex}",
        plan_id=plan_id,
        agency_id=agency_id,
        supplier_id=supplier_id,
        status=S.DRAFT,
        delivery_place=delivery_place,
        delivery_date=delivery_date,
        total_amount=0,
        committed_amount=0,
        flags=[],
        created_by_user_id=created_by,
    )
    session.add(order)
    session.flush()
    order.code = f"SP-{now.year}-{order.id:06d}"
    return order


def _add_line(
    order: Order, need: Need, offer: Offer, quantity: int, *, plan_line_id: int | None
) -> OrderLine:
    line = OrderLine(
        need_id=need.id,
        offer_id=offer.id,
        plan_line_id=plan_line_id,
        description=offer.name,
        unit=offer.unit,
        quantity=quantity,
        unit_price=offer.unit_price,
        reserved_quantity=0,
    )
    order.lines.append(line)
    order.total_amount = sum(item.amount for item in order.lines)
    order.delivery_date = min(order.delivery_date, need.needed_by)
    return line


def default_delivery_place(agency: Agency, need: Need) -> str:
    if agency.address:
        return agency.address
    return f"{agency.name}, {need.region}, Kota Batu"


@dataclass
class PlanApprovalResult:
    plan: Plan
    orders: list[Order]
    approved_line_ids: list[int]
    rejected_line_ids: list[int]


def _plan_lines_in_scope(session: Session, principal: Principal, plan: Plan) -> list[PlanLine]:
    statement = (
        select(PlanLine)
        .where(PlanLine.plan_id == plan.id)
        .order_by(PlanLine.id)
        .execution_options(populate_existing=True)
    )
    if not principal.is_admin:
        statement = statement.join(Need, Need.id == PlanLine.need_id).where(
            Need.agency_id == principal.agency_id
        )
    return list(session.scalars(statement))


def _pick(lines: dict[int, PlanLine], ids: list[int], field_name: str) -> list[PlanLine]:
    picked: list[PlanLine] = []
    for index, line_id in enumerate(ids):
        line = lines.get(line_id)
        if line is None:
            raise NotFound(
                f"Baris rencana {line_id} tidak ditemukan",
                errors=[FieldError(("body", field_name, index), "tidak ditemukan")],
            )
        if line.status != PlanLineStatus.PROPOSED:
            raise InvalidTransition(
                f"Baris rencana {line_id} berstatus '{line.status.value}'",
                current_state=line.status.value,
            )
        picked.append(line)
    return picked


def reassign_line(
    session: Session, line: PlanLine, offer_id: int, *, today: date, index: int
) -> None:
    """Point a plan line at another offer, which must be eligible for the need and able to
    take the line's quantity from what it has left."""
    loc = ("body", "reassignments", index, "offer_id")
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(
            f"Penawaran {offer_id} tidak ditemukan", errors=[FieldError(loc, "tidak ditemukan")]
        )
    need = session.get(Need, line.need_id)
    assert need is not None
    reasons = ineligibility_messages(need, offer, today)
    if available_capacity(offer) < line.quantity:
        reasons.append(
            f"sisa kapasitas {available_capacity(offer)} {offer.unit} kurang dari "
            f"{line.quantity} {offer.unit}"
        )
    if offer.min_order_qty > line.quantity:
        reasons.append(f"minimal order {offer.min_order_qty} di atas {line.quantity}")
    cap = cap_in_round(session, line.plan, need.id)
    if cap is not None and cap.room(offer.supplier_id) < line.quantity * offer.unit_price:
        reasons.append(
            f"batas nilai per penyedia dalam rencana tercapai "
            f"(sisa {format_rupiah(cap.room(offer.supplier_id))})"
        )
    if reasons:
        raise InvalidInput(
            f"Penawaran {offer.code} tidak memenuhi syarat untuk kebutuhan {need.code}: "
            + "; ".join(reasons),
            errors=[FieldError(loc, reason) for reason in reasons],
        )
    line.offer_id = offer.id
    line.supplier_id = offer.supplier_id
    line.unit_price = offer.unit_price
    line.is_priority = is_priority(offer.supplier, today)


def approve_plan(
    session: Session,
    principal: Principal,
    plan_id: int,
    data: PlanApproval,
    *,
    today: date,
    now: datetime,
) -> PlanApprovalResult:
    """Approve a plan, whole or line by line, re-assigning lines first if asked, and turn the
    approved lines into draft orders: one per supplier per agency per plan (lines approved
    later join the plan's draft order for that supplier and agency)."""
    if not (principal.is_admin or principal.role == Role.OFFICER):
        raise Forbidden("Hanya pejabat pengadaan atau admin yang dapat menyetujui rencana")
    lock_row(session, Plan, plan_id)
    plan = session.scalar(
        select(Plan).where(Plan.id == plan_id).execution_options(populate_existing=True)
    )
    if plan is None or not (principal.is_admin or plan.agency_id in (None, principal.agency_id)):
        raise NotFound(f"Rencana {plan_id} tidak ditemukan")
    if plan.status != PlanStatus.COMPLETED:
        raise InvalidTransition(
            f"Rencana berstatus '{plan.status.value}' belum dapat disetujui",
            current_state=plan.status.value,
        )
    in_scope = {line.id: line for line in _plan_lines_in_scope(session, principal, plan)}
    if data.line_ids is None:
        approve_ids = [
            line_id
            for line_id, line in in_scope.items()
            if line.status == PlanLineStatus.PROPOSED and line_id not in data.reject_line_ids
        ]
    else:
        approve_ids = list(dict.fromkeys(data.line_ids))
    overlap = set(approve_ids) & set(data.reject_line_ids)
    if overlap:
        raise InvalidInput(
            f"Baris {sorted(overlap)} tidak dapat disetujui sekaligus ditolak",
            errors=[FieldError(("body", "reject_line_ids"), "bertumpang tindih")],
        )
    to_approve = _pick(in_scope, approve_ids, "line_ids")
    to_reject = _pick(in_scope, list(dict.fromkeys(data.reject_line_ids)), "reject_line_ids")
    if not to_approve and not to_reject:
        raise InvalidTransition(
            "Tidak ada baris rencana yang masih diusulkan", current_state=plan.status.value
        )
    approving = {line.id for line in to_approve}
    for index, item in enumerate(data.reassignments):
        if item.line_id not in approving:
            raise InvalidInput(
                f"Baris {item.line_id} yang dialihkan harus termasuk baris yang disetujui",
                errors=[FieldError(("body", "reassignments", index, "line_id"), "tidak disetujui")],
            )
        reassign_line(session, in_scope[item.line_id], item.offer_id, today=today, index=index)
    for line in to_reject:
        line.status = PlanLineStatus.REJECTED
    orders: dict[tuple[int, int], Order] = {}
    for line in to_approve:
        line.status = PlanLineStatus.APPROVED
        need = session.get(Need, line.need_id)
        offer = session.get(Offer, line.offer_id)
        assert need is not None and offer is not None
        key = (need.agency_id, line.supplier_id)
        order = orders.get(key)
        if order is None:
            order = session.scalar(
                select(Order)
                .where(
                    Order.plan_id == plan.id,
                    Order.agency_id == need.agency_id,
                    Order.supplier_id == line.supplier_id,
                    Order.status == S.DRAFT,
                )
                .order_by(Order.id)
                .limit(1)
            )
        if order is None:
            order = _new_order(
                session,
                plan_id=plan.id,
                agency_id=need.agency_id,
                supplier_id=line.supplier_id,
                delivery_place=data.delivery_place or default_delivery_place(need.agency, need),
                delivery_date=data.delivery_date or need.needed_by,
                created_by=principal.user_id,
                now=now,
            )
        orders[key] = order
        _add_line(order, need, offer, line.quantity, plan_line_id=line.id)
        if data.delivery_date is not None:
            order.delivery_date = data.delivery_date
    session.flush()
    return PlanApprovalResult(
        plan=plan,
        orders=sorted(orders.values(), key=lambda o: o.id),
        approved_line_ids=[line.id for line in to_approve],
        rejected_line_ids=[line.id for line in to_reject],
    )
