"""Procurement rules checked when an order is approved, read from the dated policy.

- Above the direct procurement (pengadaan langsung) limit, Rp200 juta for goods per package
  (Perpres 12/2021 amending Perpres 16/2018): the approval is blocked.
- Above the online shop (toko daring) limit, Rp50 juta per transaction (LKPP): flagged.
- Splitting (pemecahan paket): several orders of one agency to the same supplier, for the same
  need or the same category within ``split_window_days``, each under a threshold while
  together above it: flagged on the order being approved, naming the related orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matcher.errors import MatcherError
from matcher.models import Offer, Order, OrderLine, OrderStatus
from matcher.money import format_rupiah
from matcher.policy import ProcurementPolicy, policy_on

# Orders that hold or spent money: they count towards a split.
LIVE_STATUSES = frozenset(
    {
        OrderStatus.APPROVED,
        OrderStatus.ACCEPTED,
        OrderStatus.DELIVERED,
        OrderStatus.PAID,
        OrderStatus.CLOSED,
    }
)


class PolicyViolation(MatcherError):
    """An approval the procurement rules forbid (422 with the rule's message)."""

    status_code = 422
    title = "Melanggar ketentuan pengadaan"


@dataclass(frozen=True)
class OrderRules:
    direct_procurement_limit: int
    online_shop_limit: int
    # Orders to the same supplier in the same category within this many days are looked at
    # together when checking for split packages.
    split_window_days: int = 30

    @classmethod
    def from_policy(cls, policy: ProcurementPolicy) -> OrderRules:
        return cls(
            direct_procurement_limit=policy.direct_procurement_limit,
            online_shop_limit=policy.online_shop_limit,
        )

    @classmethod
    def on(cls, day: date) -> OrderRules:
        return cls.from_policy(policy_on(day))


@dataclass(frozen=True)
class Flag:
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


def check_limits(order: Order, rules: OrderRules) -> list[Flag]:
    """Raise when the order is above the direct procurement limit; flag above the online
    shop limit."""
    total = order.total_amount
    if total > rules.direct_procurement_limit:
        raise PolicyViolation(
            f"Nilai pesanan {format_rupiah(total)} melebihi batas pengadaan langsung "
            f"{format_rupiah(rules.direct_procurement_limit)} per paket (Perpres 12/2021); "
            "pesanan tidak dapat disetujui melalui pasar sistemik",
            extra={"rule": "direct_procurement_limit"},
        )
    if total > rules.online_shop_limit:
        return [
            Flag(
                "online_shop_limit",
                f"Nilai pesanan {format_rupiah(total)} di atas batas toko daring "
                f"{format_rupiah(rules.online_shop_limit)} per transaksi (LKPP)",
            )
        ]
    return []


def related_orders(session: Session, order: Order, rules: OrderRules, now: datetime) -> list[Order]:
    """Live orders of the same agency to the same supplier that share a need with this order,
    or a category within the split window."""
    need_ids = {line.need_id for line in order.lines}
    categories = {line.offer.category for line in order.lines}
    since = now - timedelta(days=rules.split_window_days)
    matching = (
        select(Order.id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Offer, Offer.id == OrderLine.offer_id)
        .where(
            Order.id != order.id,
            Order.agency_id == order.agency_id,
            Order.supplier_id == order.supplier_id,
            Order.status.in_(LIVE_STATUSES),
            or_(
                OrderLine.need_id.in_(need_ids),
                Offer.category.in_(categories) & (Order.approved_at >= since),
            ),
        )
    )
    # Orders by id (no DISTINCT over the whole row: PostgreSQL has no equality for JSON).
    statement = select(Order).where(Order.id.in_(matching)).order_by(Order.id)
    return list(session.scalars(statement))


def check_split(session: Session, order: Order, rules: OrderRules, now: datetime) -> list[Flag]:
    related = related_orders(session, order, rules, now)
    if not related:
        return []
    combined = order.total_amount + sum(o.total_amount for o in related)
    codes = ", ".join(o.code for o in related)
    flags: list[Flag] = []
    for name, label, limit in (
        ("online_shop_limit", "batas toko daring", rules.online_shop_limit),
        ("direct_procurement_limit", "batas pengadaan langsung", rules.direct_procurement_limit),
    ):
        each_under = order.total_amount <= limit and all(o.total_amount <= limit for o in related)
        if each_under and combined > limit:
            flags.append(
                Flag(
                    "split_suspected",
                    f"Dugaan pemecahan paket: pesanan ini bersama {codes} ke penyedia yang sama "
                    f"berjumlah {format_rupiah(combined)}, di atas {label} "
                    f"{format_rupiah(limit)}, sedangkan masing-masing di bawahnya ({name})",
                )
            )
    return flags[-1:]  # the larger threshold crossed says the most


def evaluate(session: Session, order: Order, *, today: date, now: datetime) -> list[Flag]:
    """All checks for an approval: raises ``PolicyViolation`` or returns the flags."""
    rules = OrderRules.on(today)
    return check_limits(order, rules) + check_split(session, order, rules, now)
