"""Run Alembic migrations from code (``matcher db upgrade``, ``make run``, the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from matcher.config import get_settings
from matcher.resources import package_path


def alembic_config(database_url: str | None = None) -> Config:
    script_location = package_path("alembic")
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def current_revision(database_url: str | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from matcher.db import make_engine

    engine = make_engine(database_url or get_settings().database_url)
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
