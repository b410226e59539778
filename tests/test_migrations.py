"""The schema comes from migrations: they round-trip and match the ORM models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

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


def test_certificates_recorded_before_review_existed_stay_verified(tmp_path: Path) -> None:
    """0008: certificates already on record keep counting (verified); a new one without a
    status waits as pending; verification events may name certificates, and going back
    removes those events with the column."""
    url = f"sqlite:///{tmp_path / 'certs.db'}"
    upgrade(url, "0007")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO supplier (id, code, name, nib, size_class, is_koperasi, region,"
                " kecamatan, is_local, status, version) VALUES (1, 'S1', 'UMKM', "
                "'9120000000001', 'mikro', 0, 'Sisir', 'Batu', 1, 'verified', 1)"
            )
        )
        connection.execute(
            text("INSERT INTO certificate (supplier_id, type, number) VALUES (1, 'HALAL', 'H-1')")
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO certificate (supplier_id, type, number) VALUES (1, 'PIRT', 'P-1')")
        )
        statuses: dict[str, str] = dict(
            connection.execute(text("SELECT number, status FROM certificate")).all()
        )
        connection.execute(
            text(
                "INSERT INTO verification_event (entity_type, entity_id, to_status, at)"
                " VALUES ('certificate', 1, 'verified', CURRENT_TIMESTAMP)"
            )
        )
    assert statuses == {"H-1": "verified", "P-1": "pending"}
    engine.dispose()
    downgrade(url, "0007")
    engine = make_engine(url)
    with engine.connect() as connection:
        kinds = connection.execute(text("SELECT entity_type FROM verification_event")).all()
    engine.dispose()
    assert kinds == []
