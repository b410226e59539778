"""Shared fixtures: a migrated database per test run (per xdist worker), each test in a
transaction rolled back at the end, and an API client bound to that transaction."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.factories import Factory

# Tests whose fixture closure includes one of these touch the shared test database; with
# ``--database=postgresql`` only they run (pure computation already ran in the SQLite pass).
DATABASE_FIXTURES = frozenset({"database_url", "engine", "db", "client"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="Run the database tests on an SQLite file (default) or on a throwaway "
        "PostgreSQL cluster (one per xdist worker); postgresql selects only those tests.",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database") != "postgresql":
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        uses_db = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (kept if uses_db else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _test_database_url(tmp_root: Path) -> str:
    configured = os.environ.get("MATCHER_TEST_DATABASE_URL")
    if configured:
        return configured
    return f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def _postgres_server(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A throwaway PostgreSQL cluster for this test process when ``--database=postgresql``."""
    if request.config.getoption("--database") != "postgresql":
        yield None
        return
    from tests.pg import postgres_cluster

    with postgres_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, _postgres_server: str | None) -> str:
    url = _postgres_server or _test_database_url(tmp_path_factory.mktemp("db"))
    os.environ["MATCHER_DATABASE_URL"] = url
    from matcher.config import get_settings
    from matcher.db import get_engine, get_sessionmaker

    get_settings.cache_clear()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The schema comes from the Alembic migrations, never from ``create_all``."""
    from matcher.db import get_engine
    from matcher.migrations import upgrade

    upgrade(database_url)
    engine = get_engine()
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test; the
    session's own commits become savepoints."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def factory(db: Session) -> Factory:
    return Factory(db)


@pytest.fixture
def client(db: Session) -> Iterator[TestClient]:
    """The API, with its unit-of-work session bound to the test transaction."""
    from api.deps import get_session
    from api.main import app

    def _session() -> Iterator[Session]:
        try:
            yield db
            db.commit()
        except BaseException as error:
            # As api.deps.get_session: an error may ask for its bookkeeping to be kept.
            if getattr(error, "keep_changes", False):
                db.commit()
            else:
                db.rollback()
            raise

    app.dependency_overrides[get_session] = _session
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.dependency_overrides.pop(get_session, None)
