"""Demo order history: realistic past orders for the months before the demo's today, so the
dashboard, the reports and the open data have something to show.

Deterministic for a seed and a day. From January of the demo year to the day before today,
agencies buy from the catalogue's verified offers: mostly local UMK and koperasi, some
medium/large and out-of-town suppliers (the UMK share lands around 45-70%). Older orders are
closed or paid, recent ones approved, accepted or delivered; payments take 3-30 days after
delivery (some late against the 14-day target); a few complaints; one agency breaks the
rotation limit with one supplier, another splits a purchase into two orders under the toko
daring limit (flagged ``split_suspected`` as the order rules would).

Each order has its own fulfilled or ordered need. Rows are bulk inserted (like
``matcher.demo.load``). Reservations follow the order service: an open order holds its
lines' quantities and its total; a closed one the received units and the paid amount; so
``Offer.reserved_quantity`` and ``Agency.committed_amount`` equal the sums over the orders.
History uses at most 40% of an offer's capacity and of an agency's budget."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from matcher.models import (
    Agency,
    Complaint,
    Need,
    NeedStatus,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    Role,
    Supplier,
    VerificationStatus,
)
from matcher.money import format_rupiah
from matcher.policy import DEFAULT_POLICY

S = OrderStatus
SHARE_OF_CAPACITY = 0.4
SHARE_OF_BUDGET = 0.4


@dataclass(frozen=True)
class HistorySummary:
    orders: int
    complaints: int


@dataclass
class _Offer:
    id: int
    supplier_id: int
    category: str
    name: str
    unit: str
    unit_price: int
    capacity: int
    umk: bool
    umk_local: bool
    left: int


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(1, 8), rng.randint(0, 59), tzinfo=UTC)


def generate_history(session: Session, *, today: date, seed: int = 2026) -> HistorySummary:
    """Insert the order history before ``today`` into a freshly loaded demo database."""
    rng = random.Random(f"history-{seed}-{today.isoformat()}")
    agencies = list(
        session.execute(
            select(Agency.id, Agency.code, Agency.budget, Agency.address, Agency.region).order_by(
                Agency.id
            )
        )
    )
    rows = session.execute(
        select(Offer, Supplier.size_class, Supplier.is_koperasi, Supplier.is_local)
        .join(Supplier, Supplier.id == Offer.supplier_id)
        .where(
            Offer.active.is_(True),
            Offer.status == VerificationStatus.VERIFIED,
            Supplier.status == VerificationStatus.VERIFIED,
            Offer.capacity > 0,
        )
        .order_by(Offer.id)
    ).all()
    offers: dict[str, list[_Offer]] = defaultdict(list)
    for row, size, koperasi, is_local in rows:
        umk = bool(koperasi) or str(getattr(size, "value", size)) in ("mikro", "kecil")
        offers[row.category].append(
            _Offer(
                row.id,
                row.supplier_id,
                row.category,
                row.name,
                row.unit,
                row.unit_price,
                row.capacity,
                umk,
                umk and bool(is_local),
                int(row.capacity * SHARE_OF_CAPACITY),
            )
        )
    categories = sorted(offers)
    if not agencies or not categories:
        return HistorySummary(0, 0)
    budget_left = {a.id: int(a.budget * SHARE_OF_BUDGET) for a in agencies}
    start = date(today.year, 1, 1)
    span = (today - start).days
    if span < 7:
        return HistorySummary(0, 0)

    plans: list[dict[str, Any]] = []  # one per order: agency, offer, quantity, approved day, extras

    def plan(agency: Any, offer: _Offer, quantity: int, day: date, **extra: Any) -> bool:
        amount = quantity * offer.unit_price
        if quantity < 1 or quantity > offer.left or amount > budget_left[agency.id] or day >= today:
            return False
        offer.left -= quantity
        budget_left[agency.id] -= amount
        plans.append({"agency": agency, "offer": offer, "quantity": quantity, "day": day, **extra})
        return True

    # Ordinary purchases: about 5 orders per agency per month.
    for _ in range(len(agencies) * 5 * max(1, span // 30)):
        agency = rng.choice(agencies)
        category = rng.choice(categories)
        pool = offers[category]
        # Local UMK about half the time, otherwise medium/large firms where the category has
        # them (the catalogue is mostly UMK: picking at random would give ~90%).
        draw = rng.random()
        if draw < 0.45:
            target = [o for o in pool if o.umk_local]
        elif draw < 0.9:
            target = [o for o in pool if not o.umk]
        else:
            target = pool
        offer = rng.choice(target or pool)
        budget = rng.choice((750_000, 1_500_000, 3_000_000, 6_000_000, 12_000_000))
        quantity = max(1, min(budget // offer.unit_price, offer.capacity // 10))
        plan(agency, offer, quantity, start + timedelta(days=rng.randrange(span)))

    # A rotation breach: the first agency buys 7 times in 60 days from one local UMK.
    first = agencies[0]
    local = [o for c in categories for o in offers[c] if o.umk_local and o.left >= 70]
    if local:
        offer = local[0]
        base = max(start, today - timedelta(days=75))
        for index in range(7):
            plan(first, offer, max(1, offer.left // 10), base + timedelta(days=8 * index))
    # A split: two orders 3 days apart, each under the toko daring limit, together above it.
    limit = DEFAULT_POLICY.online_shop_limit
    second = agencies[min(1, len(agencies) - 1)]
    big = [o for c in categories for o in offers[c] if o.left * o.unit_price >= 2 * limit]
    if big:
        offer = max(big, key=lambda o: (o.left * o.unit_price, -o.id))
        quantity = (limit * 7 // 10) // offer.unit_price
        day = today - timedelta(days=40)
        if plan(second, offer, quantity, day):
            plan(second, offer, quantity, day + timedelta(days=3), split_of=plans[-1])

    # Statuses, deliveries and payments by age.
    plans.sort(key=lambda p: (p["day"], p["agency"].id, p["offer"].id))
    need_rows, order_rows = [], []
    for n, p in enumerate(plans, start=1):
        offer, day = p["offer"], p["day"]
        age = (today - day).days
        delivered = day + timedelta(days=rng.randint(1, 6))
        payment = delivered + timedelta(days=rng.choice((3, 5, 7, 9, 12, 14, 18, 25, 30)))
        if payment >= today:
            status = S.DELIVERED if delivered < today else (S.ACCEPTED if age > 1 else S.APPROVED)
        else:
            status = S.CLOSED if age > 45 else S.PAID
        if age < 4 and status == S.DELIVERED:
            status = S.ACCEPTED
        received = p["quantity"] if rng.random() > 0.08 else max(1, p["quantity"] * 9 // 10)
        p.update(
            status=status,
            delivered=delivered,
            payment=payment,
            received=received,
            code=f"SP-{day.year}-H{n:05d}",
        )
        need_rows.append(
            {
                "code": f"KB-H{n:05d}",
                "agency_id": p["agency"].id,
                "category": offer.category,
                "description": f"{offer.name} (riwayat)",
                "quantity": p["quantity"],
                "unit": offer.unit,
                "max_unit_price": offer.unit_price * rng.choice((100, 105, 110, 120)) // 100,
                "required_certs": [],
                "needed_by": delivered + timedelta(days=2),
                "region": p["agency"].region or "Sisir",
                "status": NeedStatus.FULFILLED if status == S.CLOSED else NeedStatus.ORDERED,
                "submitted_at": _moment(day - timedelta(days=7), rng),
                "version": 1,
            }
        )
    need_ids = (
        list(
            session.scalars(
                insert(Need).returning(Need.id, sort_by_parameter_order=True), need_rows
            )
        )
        if need_rows
        else []
    )

    reserved: dict[int, int] = defaultdict(int)
    committed: dict[int, int] = defaultdict(int)
    for p in plans:
        offer, status = p["offer"], p["status"]
        total = p["quantity"] * offer.unit_price
        is_paid = status in (S.PAID, S.CLOSED)
        has_delivery = status in (S.DELIVERED, S.PAID, S.CLOSED)
        paid_amount = p["received"] * offer.unit_price if is_paid else None
        line_reserved = p["received"] if status == S.CLOSED else p["quantity"]
        order_committed = paid_amount if status == S.CLOSED else total
        p.update(line_reserved=line_reserved, total=total)
        reserved[offer.id] += line_reserved
        committed[p["agency"].id] += int(order_committed or 0)
        flags: list[dict[str, str]] = []
        if "split_of" in p:
            other = p["split_of"]
            flags.append(
                {
                    "code": "split_suspected",
                    "message": f"Dugaan pemecahan paket: pesanan ini bersama {other['code']} ke "
                    f"penyedia yang sama berjumlah {format_rupiah(total + other['total'])}, di atas "
                    f"batas toko daring {format_rupiah(limit)}, sedangkan masing-masing di "
                    "bawahnya (online_shop_limit)",
                }
            )
        approved = _moment(p["day"], rng)
        order_rows.append(
            {
                "code": p["code"],
                "agency_id": p["agency"].id,
                "supplier_id": offer.supplier_id,
                "status": status,
                "delivery_place": p["agency"].address or "Kota Batu",
                "delivery_date": p["delivered"] + timedelta(days=2),
                "total_amount": total,
                "committed_amount": int(order_committed or 0),
                "paid_amount": paid_amount,
                "flags": flags,
                "approved_at": approved,
                "accepted_at": approved + timedelta(hours=5) if status != S.APPROVED else None,
                "delivered_at": _moment(p["delivered"], rng) if has_delivery else None,
                "received_at": _moment(p["delivered"], rng) + timedelta(hours=2)
                if has_delivery
                else None,
                "payment_date": p["payment"] if is_paid else None,
                "paid_at": _moment(p["payment"], rng) if is_paid else None,
                "payment_reference": f"SP2D-{p['code']}" if is_paid else None,
                "closed_at": _moment(p["payment"], rng) + timedelta(days=1)
                if status == S.CLOSED
                else None,
                "version": 1,
            }
        )
    order_ids = (
        list(
            session.scalars(
                insert(Order).returning(Order.id, sort_by_parameter_order=True), order_rows
            )
        )
        if order_rows
        else []
    )
    line_rows = [
        {
            "order_id": oid,
            "need_id": nid,
            "offer_id": p["offer"].id,
            "description": p["offer"].name,
            "unit": p["offer"].unit,
            "quantity": p["quantity"],
            "unit_price": p["offer"].unit_price,
            "reserved_quantity": p["line_reserved"],
            "quantity_delivered": p["quantity"]
            if p["status"] in (S.DELIVERED, S.PAID, S.CLOSED)
            else None,
            "quantity_received": p["received"]
            if p["status"] in (S.DELIVERED, S.PAID, S.CLOSED)
            else None,
        }
        for p, oid, nid in zip(plans, order_ids, need_ids, strict=True)
    ]
    if line_rows:
        session.execute(insert(OrderLine), line_rows)
    complaint_rows = []
    delivered_orders = [
        (p, oid)
        for p, oid in zip(plans, order_ids, strict=True)
        if p["status"] in (S.PAID, S.CLOSED)
    ]
    for index, (p, oid) in enumerate(rng.sample(delivered_orders, min(6, len(delivered_orders)))):
        short = p["received"] < p["quantity"]
        complaint_rows.append(
            {
                "code": f"ADU-H{index + 1:04d}",
                "order_id": oid,
                "supplier_id": p["offer"].supplier_id,
                "agency_id": p["agency"].id,
                "filed_by_role": Role.OFFICER if index % 3 else Role.SUPPLIER,
                "subject": "Jumlah barang kurang"
                if short
                else ("Pembayaran terlambat" if index % 3 == 0 else "Kualitas barang tidak sesuai"),
                "description": "Catatan demo riwayat pesanan.",
                "document_refs": [],
                "status": "resolved" if index % 2 else "open",
                "created_at": _moment(p["delivered"] + timedelta(days=1), rng),
                "version": 1,
            }
        )
    if complaint_rows:
        session.execute(insert(Complaint), complaint_rows)
    offer_table, agency_table = Offer.__table__, Agency.__table__
    assert isinstance(offer_table, Table) and isinstance(agency_table, Table)
    if reserved:
        session.execute(
            update(offer_table)
            .where(offer_table.c.id == bindparam("oid"))
            .values(reserved_quantity=offer_table.c.reserved_quantity + bindparam("q")),
            [{"oid": k, "q": v} for k, v in sorted(reserved.items())],
        )
    if committed:
        session.execute(
            update(agency_table)
            .where(agency_table.c.id == bindparam("aid"))
            .values(committed_amount=agency_table.c.committed_amount + bindparam("q")),
            [{"aid": k, "q": v} for k, v in sorted(committed.items())],
        )
    session.flush()
    return HistorySummary(orders=len(order_rows), complaints=len(complaint_rows))
