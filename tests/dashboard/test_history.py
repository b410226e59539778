"""The demo order history: loads fast, keeps reservations consistent, gives realistic shares
and the integrity flags the dashboard shows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.dashboard.service import Period, compute_dashboard
from matcher.demo.generate import generate
from matcher.demo.history import generate_history
from matcher.demo.load import load_dataset
from matcher.models import Agency, Complaint, Offer, Order, OrderLine

TODAY = date(2026, 11, 23)


def test_history(db: Session) -> None:
    dataset = generate(2026, TODAY)
    load_dataset(db, dataset, password_hash="x")
    # Its speed is a benchmark figure (benchmarks/bench_dashboard.py), not asserted here.
    summary = generate_history(db, today=TODAY, seed=2026)
    assert summary.orders > 300
    assert summary.complaints >= 3
    assert db.scalar(select(func.count()).select_from(Complaint)) == summary.complaints

    # Reservations equal the sums the order service would hold.
    held = dict(
        db.execute(
            select(OrderLine.offer_id, func.sum(OrderLine.reserved_quantity)).group_by(
                OrderLine.offer_id
            )
        ).all()
    )
    for offer_id, reserved, capacity in db.execute(
        select(Offer.id, Offer.reserved_quantity, Offer.capacity)
    ):
        assert reserved == held.get(offer_id, 0)
        assert reserved <= capacity
    committed = dict(
        db.execute(
            select(Order.agency_id, func.sum(Order.committed_amount)).group_by(Order.agency_id)
        ).all()
    )
    for agency_id, amount, budget in db.execute(
        select(Agency.id, Agency.committed_amount, Agency.budget)
    ):
        assert amount == committed.get(agency_id, 0)
        assert amount <= budget
    latest = db.scalar(select(func.max(Order.approved_at)))
    assert latest is not None and latest.date() < TODAY

    dash = compute_dashboard(db, Period(date(2026, 1, 1), TODAY), today=TODAY)
    assert dash.orders == summary.orders
    assert 0.45 <= dash.umk_share <= 0.70, dash.umk_share
    assert 0.0 < dash.local_share < 1.0
    assert {f.kind for f in dash.integrity_flags} >= {"rotation", "split"}
    assert dash.payment_overall.late_payments > 0
    assert all(m.spend > 0 for m in dash.monthly[:10])
    assert sum(r.spend for r in dash.by_category) == dash.total_spend


def test_history_is_deterministic(db: Session) -> None:
    load_dataset(db, generate(2026, TODAY), password_hash="x")
    generate_history(db, today=TODAY, seed=2026)
    first = db.execute(
        select(Order.code, Order.total_amount, Order.status).order_by(Order.code)
    ).all()
    assert first[0].code.startswith("SP-2026-H")
    db.rollback()
    load_dataset(db, generate(2026, TODAY), password_hash="x")
    generate_history(db, today=TODAY, seed=2026)
    assert (
        db.execute(select(Order.code, Order.total_amount, Order.status).order_by(Order.code)).all()
        == first
    )
