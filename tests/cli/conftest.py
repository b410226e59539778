"""CLI tests run the real commands against their own migrated SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from matcher.config import get_settings
from matcher.db import get_engine, get_sessionmaker


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh migrated database that ``unit_of_work()`` uses, removed after the test."""
    from matcher.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    previous = get_settings().database_url
    monkeypatch.setenv("MATCHER_DATABASE_URL", url)
    _clear_caches()
    upgrade(url)
    yield url
    get_engine().dispose()
    monkeypatch.setenv("MATCHER_DATABASE_URL", previous)
    _clear_caches()
