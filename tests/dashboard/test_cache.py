"""The dashboard cache and the data stamp it keys on: a change to the data behind a dashboard
is seen by the very next request (in the same worker or another one), unchanged data is
served from the cache, and the cache stays bounded."""

from __future__ import annotations

import threading
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from matcher import stamp
from matcher.auth import throttle
from matcher.dashboard import cache as cache_module
from matcher.dashboard.cache import DASHBOARDS, CachedDashboard, DashboardCache
from matcher.dashboard.service import Period, compute_dashboard
from matcher.db import make_engine
from matcher.migrations import upgrade
from matcher.models import (
    Need,
    NeedStatus,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    Role,
    SizeClass,
)
from matcher.models.base import utcnow
from tests.dashboard.scene import TODAY, Scene, build_scene
from tests.dashboard.test_service import PERIOD
from tests.factories import Factory

URL = "/api/v1/dashboard"
PARAMS = {"start": "2026-03-01", "end": "2026-04-30"}


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    DASHBOARDS.clear()


@pytest.fixture
def scene(db: Session, factory: Factory, monkeypatch: pytest.MonkeyPatch) -> Scene:
    monkeypatch.setattr("api.dashboard.endpoints.today", lambda: TODAY)
    monkeypatch.setattr("matcher.clock.today", lambda: TODAY)
    return build_scene(db, factory)


def _realised_order(db: Session, scene: Scene, code: str, quantity: int) -> Order:
    line = OrderLine(
        need_id=scene.needs["N6"].id,
        offer_id=scene.snack1.id,
        description=scene.snack1.name,
        unit=scene.snack1.unit,
        quantity=quantity,
        unit_price=scene.snack1.unit_price,
        reserved_quantity=0,
    )
    order = Order(
        code=code,
        agency_id=scene.dik.id,
        supplier_id=scene.s1.id,
        status=OrderStatus.APPROVED,
        delivery_place="Kantor",
        delivery_date=date(2026, 4, 30),
        total_amount=quantity * scene.snack1.unit_price,
        committed_amount=0,
        approved_at=utcnow().replace(year=2026, month=4, day=15, hour=3),
        flags=[],
        lines=[line],
    )
    db.add(order)
    return order


# --- the data stamp -------------------------------------------------------------------------


def test_stamp_changes_with_the_commit_of_watched_changes_only(
    db: Session, factory: Factory
) -> None:
    supplier = factory.supplier()
    db.commit()
    token, version = stamp.current_token(db), stamp.current_version(db)
    assert token

    # A change to a table the stamp does not follow (log-in throttle) leaves it alone.
    throttle.record_failure(db, "orang@contoh.go.id", "127.0.0.9")
    db.commit()
    assert (stamp.current_token(db), stamp.current_version(db)) == (token, version)

    # An ORM change: flushed, the session knows it is ahead of the stamp; committed, the
    # stamp moves on by exactly one.
    supplier.name = "Nama baru"
    db.flush()
    assert stamp.has_unstamped_changes(db)
    assert stamp.current_token(db) == token
    db.commit()
    assert not stamp.has_unstamped_changes(db)
    assert stamp.current_version(db) == version + 1
    changed = stamp.current_token(db)
    assert changed != token

    # A bulk UPDATE (as the reservations do) counts too.
    offer = factory.offer(supplier)
    db.commit()
    before = stamp.current_token(db)
    db.execute(
        update(Offer)
        .where(Offer.id == offer.id)
        .values(reserved_quantity=Offer.reserved_quantity + 1)
        .execution_options(synchronize_session=False)
    )
    assert stamp.has_unstamped_changes(db)
    db.commit()
    assert stamp.current_token(db) not in (before, changed)


def test_a_change_to_needs_alone_leaves_the_outside_demand_stamp(db: Session, scene: Scene) -> None:
    token, outside = stamp.current_tokens(db)
    scene.needs["N6"].quantity += 1
    db.commit()
    after_need = stamp.current_tokens(db)
    assert after_need[0] != token and after_need[1] == outside
    scene.s1.name = "UMKM Satu Baru"
    db.commit()
    after_supplier = stamp.current_tokens(db)
    assert after_supplier[0] != after_need[0] and after_supplier[1] != outside


def test_stamp_is_untouched_by_a_rollback_and_written_once_per_commit(
    db: Session, factory: Factory
) -> None:
    supplier = factory.supplier()
    db.commit()
    version = stamp.current_version(db)
    supplier.name = "Tidak jadi"
    db.flush()
    db.rollback()
    assert stamp.current_version(db) == version
    assert not stamp.has_unstamped_changes(db)

    # Savepoints released inside a transaction do not write the stamp; the commit does, once.
    with db.begin_nested():
        supplier.name = "Satu"
    with db.begin_nested():
        supplier.kecamatan = "Bumiaji"
    assert stamp.has_unstamped_changes(db)
    assert stamp.current_version(db) == version
    db.commit()
    assert stamp.current_version(db) == version + 1


def test_mark_changed_stamps_writers_outside_the_orm(db: Session, factory: Factory) -> None:
    factory.supplier()
    db.commit()
    version = stamp.current_version(db)
    stamp.mark_changed(db)
    db.commit()
    assert stamp.current_version(db) == version + 1


# --- the cache through the API ---------------------------------------------------------------


def test_unchanged_data_is_served_from_the_cache(
    client: TestClient, db: Session, factory: Factory, scene: Scene
) -> None:
    _, headers = factory.login(Role.VIEWER)
    first = client.get(URL, params=PARAMS, headers=headers)
    assert first.status_code == 200, first.text
    misses = DASHBOARDS.stats.misses
    second = client.get(URL, params=PARAMS, headers=headers)
    assert second.content == first.content
    assert first.headers["server-timing"].startswith('dashboard;desc="miss";dur=')
    assert second.headers["server-timing"].startswith('dashboard;desc="hit";dur=')
    assert DASHBOARDS.stats.misses == misses
    assert DASHBOARDS.stats.hits >= 1
    # The cached JSON is the service's dashboard as the API always serialised it.
    assert first.json() == jsonable_encoder(asdict(compute_dashboard(db, PERIOD, today=TODAY)))
    assert first.headers["content-type"] == "application/json"


def test_a_new_order_changes_the_dashboard_immediately(
    client: TestClient, db: Session, factory: Factory, scene: Scene
) -> None:
    _, headers = factory.login(Role.VIEWER)
    before = client.get(URL, params=PARAMS, headers=headers).json()
    assert client.get(URL, params=PARAMS, headers=headers).json() == before  # cached

    _realised_order(db, scene, "SP-T-BARU", 30)
    db.commit()  # as the request that created it would
    after = client.get(URL, params=PARAMS, headers=headers).json()
    assert after["total_spend"] == before["total_spend"] + 30 * scene.snack1.unit_price
    assert after["orders"] == before["orders"] + 1

    # An officer's dashboard (its own agency) sees it too, as does a later change.
    _, officer = factory.login(Role.OFFICER, agency_id=scene.dik.id)
    own = client.get(URL, params=PARAMS, headers=officer).json()
    scene.s1.size_class = SizeClass.BESAR
    db.commit()
    changed = client.get(URL, params=PARAMS, headers=officer).json()
    assert changed["umk_spend"] < own["umk_spend"]


def test_a_new_need_changes_unmet_demand_and_reuses_the_spending_figures(
    client: TestClient, db: Session, factory: Factory, scene: Scene
) -> None:
    _, headers = factory.login(Role.VIEWER)
    before = client.get(URL, params=PARAMS, headers=headers).json()
    reused = DASHBOARDS.stats.spending_reused
    db.add(
        Need(
            code="UJI-N-BARU",
            agency_id=scene.dik.id,
            category="SNACK",
            description="Snack rapat",
            quantity=40,
            unit="kotak",
            max_unit_price=9_000,
            required_certs=[],
            needed_by=date(2026, 4, 20),
            region="Sisir",
            status=NeedStatus.SUBMITTED,
        )
    )
    db.commit()
    answer = client.get(URL, params=PARAMS, headers=headers)
    assert answer.headers["server-timing"].startswith('dashboard;desc="partial";dur=')
    after = answer.json()
    snack = {r["category"]: r for r in after["unmet_by_category"]}["SNACK"]
    was = {r["category"]: r for r in before["unmet_by_category"]}["SNACK"]
    assert snack["needs"] == was["needs"] + 1
    assert snack["unmet_value"] == was["unmet_value"] + 40 * 9_000
    assert DASHBOARDS.stats.spending_reused == reused + 1
    assert {k: v for k, v in after.items() if k != "unmet_by_category"} == {
        k: v for k, v in before.items() if k != "unmet_by_category"
    }
    assert after == jsonable_encoder(asdict(compute_dashboard(db, PERIOD, today=TODAY)))


def test_uncommitted_changes_of_the_same_session_bypass_the_cache(
    db: Session, scene: Scene
) -> None:
    first = DASHBOARDS.get(db, PERIOD, agency_id=None, today=TODAY)
    _realised_order(db, scene, "SP-T-FLUSH", 10)
    db.flush()  # seen by this session, not yet stamped
    second = DASHBOARDS.get(db, PERIOD, agency_id=None, today=TODAY)
    assert second.dashboard.total_spend == (
        first.dashboard.total_spend + 10 * scene.snack1.unit_price
    )
    assert DASHBOARDS.stats.bypassed == 1
    # Never committed: what was cached before is right again, and the bypass cached nothing.
    db.rollback()
    assert DASHBOARDS.get(db, PERIOD, agency_id=None, today=TODAY) is first


def test_a_change_committed_by_another_worker_is_seen(tmp_path: Path) -> None:
    """Two engines on one database stand for two worker processes, each with its cache."""
    url = f"sqlite:///{tmp_path / 'workers.db'}"
    upgrade(url)
    engine_a, engine_b = make_engine(url), make_engine(url)
    worker_a = DashboardCache()
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    try:
        with Session(engine_b, expire_on_commit=False) as writer:
            scene = build_scene(writer, Factory(writer))
        with Session(engine_a) as reader:
            first = worker_a.get(reader, period, agency_id=None, today=TODAY)
        with Session(engine_a) as reader:
            assert worker_a.get(reader, period, agency_id=None, today=TODAY) is first
        with Session(engine_b, expire_on_commit=False) as writer:
            _realised_order(writer, scene, "SP-T-LAIN", 20)
            writer.commit()
        with Session(engine_a) as reader:
            second = worker_a.get(reader, period, agency_id=None, today=TODAY)
        assert second is not first
        assert second.dashboard.total_spend == (
            first.dashboard.total_spend + 20 * scene.snack1.unit_price
        )
    finally:
        engine_a.dispose()
        engine_b.dispose()


# --- the cache's bounds ----------------------------------------------------------------------


def _fake_compute(calls: list[tuple[Period, int | None]], now: list[float]) -> object:
    def compute(
        self: DashboardCache,
        session: Session,
        period: Period,
        agency_id: int | None,
        today: date,
        outside_demand: str | None = None,
    ) -> CachedDashboard:
        calls.append((period, agency_id))
        return CachedDashboard(object(), b"{}", now[0])  # type: ignore[arg-type]

    return compute


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[Period, int | None]], list[float]]:
    calls: list[tuple[Period, int | None]] = []
    now = [0.0]
    monkeypatch.setattr(DashboardCache, "_compute", _fake_compute(calls, now))
    monkeypatch.setattr(cache_module, "current_tokens", lambda _session: ("t1", "o1"))
    monkeypatch.setattr(cache_module, "has_unstamped_changes", lambda _session: False)
    return calls, now


def test_cache_is_bounded_and_entries_age_out(
    fake: tuple[list[tuple[Period, int | None]], list[float]],
) -> None:
    calls, now = fake
    cache = DashboardCache(max_entries=2, max_age=60.0, clock=lambda: now[0])
    session = Session()
    periods = [Period.month(2026, m) for m in (1, 2, 3)]
    for period in periods:
        cache.get(session, period, agency_id=None, today=TODAY)
    assert len(cache) == 2
    cache.get(session, periods[2], agency_id=None, today=TODAY)  # kept
    cache.get(session, periods[0], agency_id=None, today=TODAY)  # evicted: computed again
    assert [p for p, _ in calls] == [*periods, periods[0]]
    now[0] = 61.0
    cache.get(session, periods[0], agency_id=None, today=TODAY)  # too old: computed again
    assert len(calls) == 5
    # Another scope or another day is another entry.
    cache.get(session, periods[0], agency_id=7, today=TODAY)
    cache.get(session, periods[0], agency_id=None, today=TODAY + timedelta(days=1))
    assert len(calls) == 7


def test_concurrent_requests_for_one_key_compute_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "current_tokens", lambda _session: ("t1", "o1"))
    monkeypatch.setattr(cache_module, "has_unstamped_changes", lambda _session: False)
    cache = DashboardCache(clock=lambda: 0.0)
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow(
        self: DashboardCache,
        session: Session,
        period: Period,
        agency_id: int | None,
        day: date,
        outside_demand: str | None = None,
    ) -> CachedDashboard:
        calls.append(1)
        started.set()
        assert release.wait(timeout=30)
        return CachedDashboard(object(), b"{}", 0.0)  # type: ignore[arg-type]

    monkeypatch.setattr(DashboardCache, "_compute", slow)
    results: list[CachedDashboard] = []

    def request() -> None:
        results.append(cache.get(Session(), PERIOD, agency_id=None, today=TODAY))

    leader = threading.Thread(target=request)
    leader.start()
    assert started.wait(timeout=30)
    followers = [threading.Thread(target=request) for _ in range(3)]
    for thread in followers:
        thread.start()
    for _ in range(3000):  # until all three wait for the leader's result (bounded)
        if cache.stats.waits == 3:
            break
        threading.Event().wait(0.01)
    assert cache.stats.waits == 3
    release.set()
    for thread in (leader, *followers):
        thread.join(timeout=30)
    assert len(calls) == 1
    assert len(results) == 4 and all(r is results[0] for r in results)


def test_business_day_default_comes_from_the_clock(
    client: TestClient, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without dates the period ends on the business day, which is also part of the key."""
    monkeypatch.setattr("api.dashboard.endpoints.today", lambda: date(2026, 2, 10))
    _, headers = factory.login(Role.VIEWER)
    body = client.get(URL, headers=headers).json()
    assert (body["period"]["start"], body["period"]["end"]) == ("2026-01-01", "2026-02-10")
    assert body["today"] == "2026-02-10"
