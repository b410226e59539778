"""Demo tests: one generated dataset per module (generation takes about a second) and a
fresh migrated database file for the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from matcher.config import get_settings
from matcher.db import get_engine, get_sessionmaker
from matcher.demo.generate import DemoDataset, generate

DEMO_DAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def dataset() -> DemoDataset:
    return generate(today=DEMO_DAY)


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()


@pytest.fixture
def demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh migrated SQLite file that ``unit_of_work()`` uses, with the day pinned."""
    from matcher.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    previous = get_settings().database_url
    monkeypatch.setenv("MATCHER_DATABASE_URL", url)
    monkeypatch.setenv("MATCHER_TODAY", DEMO_DAY.isoformat())
    _clear_caches()
    upgrade(url)
    yield url
    get_engine().dispose()
    monkeypatch.setenv("MATCHER_DATABASE_URL", previous)
    monkeypatch.delenv("MATCHER_TODAY")
    _clear_caches()
