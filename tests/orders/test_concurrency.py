"""Simultaneous approvals against a real server: a uvicorn thread on 127.0.0.1 serving the
app on a migrated database (an SQLite file, then a throwaway PostgreSQL cluster), 60 approval
requests released at once by two officers at one offer with limited capacity and one agency
with limited budget. Nothing may be over-allocated and every request must be answered with
200 or a 409 problem."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from matcher.auth.security import create_access_token
from matcher.db import make_engine
from matcher.migrations import upgrade
from matcher.models import Agency, Offer, Order, OrderLine, OrderStatus, Role, User
from tests.factories import Factory
from tests.orders.helpers import draft_order, need
from tests.pg import free_port, postgres_cluster

REQUESTS = 60
CAPACITY = 500  # units: room for about 20 of the orders below
BUDGET = 7_000_000  # rupiah: room for about 17 of them
QUANTITIES = [15 + (i * 7) % 21 for i in range(REQUESTS)]  # 15..35 units, Rp225.000..525.000


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


def _serve(engine: Engine) -> tuple[str, Callable[[], None]]:
    from api.deps import get_session
    from api.idempotency import get_idempotency_sessions
    from api.main import create_app

    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    app = create_app()

    def session_dependency() -> Iterator[Session]:
        session = sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    app.dependency_overrides[get_session] = session_dependency
    app.dependency_overrides[get_idempotency_sessions] = lambda: sessions
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=20)

    return f"http://127.0.0.1:{port}", stop


def _run(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        agency = factory.agency(budget=BUDGET)
        offer = factory.offer(capacity=CAPACITY, min_order_qty=1, unit_price=15_000)
        need_row = need(factory, agency, quantity=2_000)
        officers = [factory.user(Role.OFFICER, agency_id=agency.id) for _ in range(2)]
        tokens = [create_access_token(o.id)[0] for o in officers]
        orders = [draft_order(session, agency, offer, need_row, q).id for q in QUANTITIES]
        agency_id, offer_id = agency.id, offer.id
    base_url, stop = _serve(engine)
    barrier = threading.Barrier(REQUESTS)

    def approve(index: int) -> httpx.Response:
        headers = {"Authorization": f"Bearer {tokens[index % 2]}"}
        if index % 3 == 0:
            headers["Idempotency-Key"] = f"setuju-{index}"
        with httpx.Client(base_url=base_url, timeout=120) as client:
            barrier.wait(timeout=60)
            return client.post(f"/api/v1/orders/{orders[index]}/approve", headers=headers)

    try:
        with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
            responses = list(pool.map(approve, range(REQUESTS)))
    finally:
        stop()

    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 409}, [(r.status_code, r.text) for r in responses]
    assert 200 in statuses and 409 in statuses
    for response in responses:
        if response.status_code == 409:
            assert response.headers["content-type"] == "application/problem+json"
            assert "tidak cukup" in response.json()["detail"]
    with Session(engine) as session:
        offer_row = session.get(Offer, offer_id)
        agency_row = session.get(Agency, agency_id)
        assert offer_row is not None and agency_row is not None
        approved = session.execute(
            select(func.count(), func.coalesce(func.sum(Order.total_amount), 0)).where(
                Order.status == OrderStatus.APPROVED
            )
        ).one()
        approved_units = session.scalar(
            select(func.coalesce(func.sum(OrderLine.quantity), 0))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status == OrderStatus.APPROVED)
        )
        assert approved[0] == statuses.count(200)
        # Nothing over-allocated, and the counters agree with the approved orders.
        assert offer_row.reserved_quantity == approved_units <= CAPACITY
        assert agency_row.committed_amount == approved[1] <= BUDGET
        # Every refusal was necessary: the smallest refused order did not fit any more.
        refused = [q for q, s in zip(QUANTITIES, statuses, strict=True) if s == 409]
        smallest = min(refused)
        assert (
            offer_row.reserved_quantity + smallest > CAPACITY
            or agency_row.committed_amount + smallest * 15_000 > BUDGET
        )
        assert session.scalar(select(func.count()).select_from(User)) >= 2
    engine.dispose()


@pytest.mark.slow
def test_simultaneous_approvals_on_sqlite(tmp_path: Path) -> None:
    _run(f"sqlite:///{tmp_path / 'concurrency.db'}")


@pytest.mark.slow
def test_simultaneous_approvals_on_postgresql(postgres_url: str) -> None:
    _run(postgres_url)
