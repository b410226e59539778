"""``matcher backup`` / ``matcher restore`` round trip (on the pass's backend: SQLite, then
PostgreSQL) and ``matcher check``, which recomputes the reservation counters from the
orders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from matcher.cli.app import app as cli
from matcher.cli.main import _load_commands
from matcher.db import make_engine
from matcher.models import Agency, Base, Offer, Order, OrderLine, OrderStatus, Role, User
from matcher.orders.reservation import commit_budget, reserve_capacity
from tests.factories import Factory
from tests.fuzz.world import load_world
from tests.orders.helpers import draft_order, need

_load_commands()
runner = CliRunner()


def _seed(engine: Engine) -> tuple[int, int]:
    """Demo data plus orders holding real reservations; returns (offer id, agency id)."""
    with Session(engine, expire_on_commit=False) as session:
        world = load_world(session)
        officer = world.users[Role.OFFICER]
        agency = session.get(Agency, officer.agency_id)
        offer = session.scalar(select(Offer).order_by(Offer.id))
        assert agency is not None and offer is not None
        need_row = need(Factory(session), agency, category=offer.category, quantity=100)
        for quantity in (10, 20):
            order = draft_order(session, agency, offer, need_row, quantity)
            line = order.lines[0]
            reserve_capacity(session, offer.id, quantity, order_code=order.code)
            amount = quantity * offer.unit_price
            commit_budget(session, agency.id, amount, order_code=order.code)
            line.reserved_quantity = quantity
            order.committed_amount = amount
            order.status = OrderStatus.APPROVED
            session.commit()
        return offer.id, agency.id


def _contents(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(r)
                for r in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def test_backup_restore_round_trip(
    fresh_database: Callable[[], str], point_at: Callable[[str], None], tmp_path: Path
) -> None:
    source_url, target_url = fresh_database(), fresh_database()
    source = make_engine(source_url)
    _seed(source)
    point_at(source_url)
    dump = tmp_path / "cadangan.jsonl"
    result = runner.invoke(cli, ["backup", str(dump)])
    assert result.exit_code == 0, result.output
    assert dump.is_file() and not dump.with_name(dump.name + ".partial").exists()

    point_at(target_url)
    result = runner.invoke(cli, ["restore", str(dump)])
    assert result.exit_code == 0, result.output
    target = make_engine(target_url)
    before, after = _contents(source), _contents(target)
    assert sum(len(rows) for rows in before.values()) > 1_000
    for name in before:
        assert after[name] == before[name], name
    # Ids continue after the restored ones (PostgreSQL sequences moved on).
    with Session(target) as session:
        top = session.scalar(select(func.max(User.id)))
        user = Factory(session).user(Role.VIEWER)
        assert top is not None and user.id > top
    # The restored database is consistent, and a second restore is refused (not empty).
    assert runner.invoke(cli, ["check"]).exit_code == 0
    again = runner.invoke(cli, ["restore", str(dump)])
    assert again.exit_code == 2 and "tidak kosong" in again.output
    source.dispose()
    target.dispose()


def test_restore_refuses_a_damaged_file_and_leaves_nothing(
    fresh_database: Callable[[], str], point_at: Callable[[str], None], tmp_path: Path
) -> None:
    source_url, target_url = fresh_database(), fresh_database()
    source = make_engine(source_url)
    _seed(source)
    point_at(source_url)
    dump = tmp_path / "cadangan.jsonl"
    assert runner.invoke(cli, ["backup", str(dump)]).exit_code == 0
    lines = dump.read_text(encoding="utf-8").splitlines()
    damaged = tmp_path / "rusak.jsonl"
    damaged.write_text(
        "\n".join([*lines[: len(lines) // 2], "{bukan json", *lines[len(lines) // 2 :]])
    )
    point_at(target_url)
    result = runner.invoke(cli, ["restore", str(damaged)])
    assert result.exit_code == 2 and "rusak" in result.output
    target = make_engine(target_url)
    assert all(not rows for rows in _contents(target).values())  # all or nothing
    source.dispose()
    target.dispose()


def test_check_finds_and_fixes_drifted_counters(
    fresh_database: Callable[[], str], point_at: Callable[[str], None]
) -> None:
    url = fresh_database()
    engine = make_engine(url)
    offer_id, agency_id = _seed(engine)
    point_at(url)
    assert runner.invoke(cli, ["check"]).exit_code == 0
    with Session(engine) as session:
        held = session.scalar(
            select(func.sum(OrderLine.reserved_quantity)).where(OrderLine.offer_id == offer_id)
        )
        assert held == 30
        committed = session.scalar(
            select(func.sum(Order.committed_amount)).where(Order.agency_id == agency_id)
        )
        session.execute(update(Offer).where(Offer.id == offer_id).values(reserved_quantity=7))
        session.execute(update(Agency).where(Agency.id == agency_id).values(committed_amount=1))
        session.commit()
    result = runner.invoke(cli, ["check", "--json"])
    assert result.exit_code == 1
    assert '"stored": 7' in result.output and '"recomputed": 30' in result.output
    assert f'"recomputed": {committed}' in result.output
    table = runner.invoke(cli, ["check"])
    assert table.exit_code == 1 and "selisih" in table.output
    fixed = runner.invoke(cli, ["check", "--fix"])
    assert fixed.exit_code == 0, fixed.output
    assert runner.invoke(cli, ["check"]).exit_code == 0
    # Over-allocation (more held than the capacity) is reported, never "fixed" away.
    with Session(engine) as session:
        session.execute(update(Offer).where(Offer.id == offer_id).values(capacity=5))
        session.commit()
    over = runner.invoke(cli, ["check", "--fix", "--json"])
    assert over.exit_code == 1 and '"over_allocated": true' in over.output
    engine.dispose()
