"""Migrations on PostgreSQL (the ``--database=postgresql`` pass): applied from scratch into an
empty database of the test cluster, down to base and up again, and equal to the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from matcher.db import make_engine
from matcher.migrations import current_revision, downgrade, upgrade
from matcher.models import Base


@pytest.fixture
def empty_postgres_database(database_url: str) -> Iterator[str]:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL pass only (make test runs it); SQLite: tests/test_migrations.py")
    name = f"roundtrip_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_postgres_migrations_round_trip_and_match_models(empty_postgres_database: str) -> None:
    url = empty_postgres_database
    upgrade(url)
    head = current_revision(url)
    assert head is not None
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
    downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)
    assert current_revision(url) == head
