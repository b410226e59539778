"""Fresh, migrated databases of the pass's backend: SQLite files, or new databases in the
pass's PostgreSQL cluster (``--database=postgresql``); ``point_at`` makes the app's own
engine (``unit_of_work``, the CLI) use one of them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from matcher.config import get_settings
from matcher.db import get_engine, get_sessionmaker
from matcher.migrations import upgrade


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()


@pytest.fixture
def fresh_database(database_url: str, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A factory of empty databases migrated to head."""
    created: list[str] = []
    base = make_url(database_url)
    admin = (
        create_engine(base, isolation_level="AUTOCOMMIT")
        if base.get_backend_name() == "postgresql"
        else None
    )

    def make() -> str:
        if admin is None:
            url = f"sqlite:///{tmp_path / f'fresh-{len(created)}.db'}"
        else:
            name = f"fault_{uuid.uuid4().hex[:12]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            created.append(name)
            url = base.set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        if admin is None:
            created.append(url)
        return url

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def point_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    previous = get_settings().database_url

    def use(url: str) -> None:
        get_engine().dispose()
        monkeypatch.setenv("MATCHER_DATABASE_URL", url)
        _clear_caches()

    yield use
    get_engine().dispose()
    monkeypatch.setenv("MATCHER_DATABASE_URL", previous)
    _clear_caches()
