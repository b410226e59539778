"""The schema comes from migrations: they round-trip and match the ORM models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from matcher.db import make_engine
from matcher.migrations import current_revision, downgrade, upgrade
from matcher.models import Base


def test_upgrade_downgrade_upgrade_round_trip(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    upgrade(url)
    head = current_revision(url)
    assert head is not None
    downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)
    assert current_revision(url) == head


def test_models_match_migrated_schema(tmp_path: Path) -> None:
    """A model change without a migration fails here (like ``alembic check``)."""
    url = f"sqlite:///{tmp_path / 'compare.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []
