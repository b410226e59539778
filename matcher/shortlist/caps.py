"""The per-supplier value cap of the planning round a need belongs to, for the shortlist.

A plan may cap the rupiah value one supplier receives over the round (the optimiser's
``max_supplier_value``). Once a need has been planned, its shortlist (and the re-assignment
of a declined order, which takes the next eligible entry) must respect what the round has
already given each supplier: an offer whose supplier cannot take even its minimum order
within the cap is not eligible ("batas nilai per penyedia tercapai").

What a supplier holds in the round, not counting the need itself (its own quantity is what a
re-assignment moves): live order lines of the round's orders (a closed order counts what was
received), plus plan lines not rejected that no live order line carries yet."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from matcher.models import Need, Plan, PlanLine
from matcher.models.enums import PlanStatus
from matcher.models.orders import Order, OrderLine, OrderStatus
from matcher.models.procurement import PlanLineStatus

DEAD_ORDER_STATUSES = (OrderStatus.CANCELLED, OrderStatus.DECLINED)


@dataclass(frozen=True)
class SupplierCap:
    """The cap of one planning round and the value each supplier already holds in it."""

    plan_id: int
    plan_name: str
    cap: int
    held: dict[int, int] = field(default_factory=dict)  # supplier db id -> rupiah

    def room(self, supplier_id: int) -> int:
        """Rupiah the supplier may still receive in the round (never negative)."""
        return max(0, self.cap - self.held.get(supplier_id, 0))


def round_of(session: Session, need: Need) -> Plan | None:
    """The latest completed plan with a supplier cap that planned ``need``: of the need's own
    agency or of all agencies, made after the need was submitted."""
    since = need.submitted_at or need.created_at
    statement = (
        select(Plan)
        .where(
            Plan.status == PlanStatus.COMPLETED,
            Plan.max_supplier_value.is_not(None),
            (Plan.agency_id.is_(None)) | (Plan.agency_id == need.agency_id),
        )
        .order_by(Plan.id.desc())
    )
    if since is not None:
        statement = statement.where(Plan.created_at >= since)
    for plan in session.scalars(statement):
        if need.id in (plan.need_ids or []):
            return plan
    return None


def supplier_cap_for(session: Session, need: Need) -> SupplierCap | None:
    """The cap that applies to ``need``'s shortlist, or None when its round has no cap (or
    the need has not been planned)."""
    plan = round_of(session, need)
    if plan is None:
        return None
    return cap_in_round(session, plan, need.id)


def cap_in_round(session: Session, plan: Plan, need_id: int) -> SupplierCap | None:
    """What each supplier holds in ``plan``'s round, apart from need ``need_id``; None when
    the round has no cap."""
    if plan.max_supplier_value is None:
        return None
    counted_quantity = case(
        (
            and_(Order.status == OrderStatus.CLOSED, OrderLine.quantity_received.is_not(None)),
            OrderLine.quantity_received,
        ),
        else_=OrderLine.quantity,
    )
    held: dict[int, int] = {}
    ordered = session.execute(
        select(Order.supplier_id, func.sum(counted_quantity * OrderLine.unit_price))
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(
            Order.plan_id == plan.id,
            Order.status.not_in(DEAD_ORDER_STATUSES),
            OrderLine.need_id != need_id,
        )
        .group_by(Order.supplier_id)
    ).all()
    for supplier_id, amount in ordered:
        held[supplier_id] = held.get(supplier_id, 0) + int(amount or 0)
    carried = exists().where(
        OrderLine.plan_line_id == PlanLine.id,
        OrderLine.order_id == Order.id,
        Order.status.not_in(DEAD_ORDER_STATUSES),
    )
    pending = session.execute(
        select(PlanLine.supplier_id, func.sum(PlanLine.quantity * PlanLine.unit_price))
        .where(
            PlanLine.plan_id == plan.id,
            PlanLine.status != PlanLineStatus.REJECTED,
            PlanLine.need_id != need_id,
            ~carried,
        )
        .group_by(PlanLine.supplier_id)
    ).all()
    for supplier_id, amount in pending:
        held[supplier_id] = held.get(supplier_id, 0) + int(amount or 0)
    return SupplierCap(plan.id, plan.name, plan.max_supplier_value, held)
