"""Portable backup and restore: every table of the schema as JSON lines, in dependency order
(parents first), the same file for SQLite and PostgreSQL. The first line names the format
and the Alembic revision; a restore goes into an empty database migrated to that revision,
inside one transaction (a failure leaves the database empty), and then moves PostgreSQL's
id sequences past the restored ids."""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Enum,
    LargeBinary,
    Numeric,
    Table,
    func,
    insert,
    select,
    text,
)

from matcher.errors import Conflict, InvalidInput
from matcher.models import Base

FORMAT = "matcher-backup/1"
BATCH = 1_000


@dataclass(frozen=True)
class BackupSummary:
    revision: str | None
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(table: Table) -> dict[str, Any]:
    decoders: dict[str, Any] = {}
    for column in table.columns:
        kind = column.type
        if isinstance(kind, DateTime):
            decoders[column.name] = datetime.fromisoformat
        elif isinstance(kind, Date):
            decoders[column.name] = date.fromisoformat
        elif isinstance(kind, LargeBinary):
            decoders[column.name] = base64.b64decode
        elif isinstance(kind, Numeric) and kind.asdecimal:
            decoders[column.name] = Decimal
        elif isinstance(kind, Enum) and kind.enum_class is not None:
            decoders[column.name] = kind.enum_class
    return decoders


def _revision(connection: Connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no alembic_version table: not a migrated database
        return None


def write_backup(engine: Engine, out: IO[str]) -> BackupSummary:
    """Dump every table in one read transaction (a consistent snapshot on PostgreSQL)."""
    rows: dict[str, int] = {}
    with engine.connect() as connection, connection.begin():
        revision = _revision(connection)
        out.write(json.dumps({"format": FORMAT, "revision": revision}) + "\n")
        for table in _tables():
            count = 0
            key = list(table.primary_key.columns) or list(table.columns)
            result = connection.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*key)
            )
            for row in result.mappings():
                record = {"t": table.name, "r": {k: _encode(v) for k, v in row.items()}}
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                count += 1
            rows[table.name] = count
    return BackupSummary(revision, rows)


def backup_to_file(engine: Engine, path: Path) -> BackupSummary:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        summary = write_backup(engine, out)
    partial.replace(path)  # a killed backup never leaves a truncated file under the name
    return summary


def _records(lines: Iterator[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            yield record["t"], record["r"]
        except (ValueError, KeyError, TypeError):
            raise InvalidInput(f"Baris cadangan {number} rusak") from None


def restore(engine: Engine, lines: Iterator[str]) -> BackupSummary:
    """Load a backup into an empty database at the backup's revision, all or nothing."""
    try:
        header = json.loads(next(lines))
    except (StopIteration, ValueError):
        raise InvalidInput("Berkas cadangan kosong atau bukan cadangan matcher") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InvalidInput(f"Bukan berkas cadangan {FORMAT}")
    tables = {t.name: t for t in _tables()}
    decoders = {name: _decoder(t) for name, t in tables.items()}
    rows: dict[str, int] = dict.fromkeys(tables, 0)
    with engine.connect() as connection, connection.begin():
        revision = _revision(connection)
        if revision != header.get("revision"):
            raise Conflict(
                f"Skema basis data tujuan ({revision}) berbeda dari cadangan "
                f"({header.get('revision')}); jalankan 'matcher db upgrade {header.get('revision')}'"
            )
        filled = [
            n for n, t in tables.items() if connection.scalar(select(func.count()).select_from(t))
        ]
        if filled:
            raise Conflict(f"Basis data tujuan tidak kosong ({', '.join(filled)})")
        batch: list[dict[str, Any]] = []
        current: str | None = None

        def flush() -> None:
            if batch and current is not None:
                connection.execute(insert(tables[current]), batch)
                batch.clear()

        for name, row in _records(lines):
            if name not in tables:
                raise InvalidInput(f"Tabel tidak dikenal dalam cadangan: {name}")
            if name != current or len(batch) >= BATCH:
                flush()
                current = name
            decode = decoders[name]
            batch.append(
                {k: (decode[k](v) if v is not None and k in decode else v) for k, v in row.items()}
            )
            rows[name] += 1
        flush()
        if connection.dialect.name == "postgresql":
            for table in tables.values():
                if "id" in table.columns and table.columns["id"].autoincrement is not False:
                    connection.execute(
                        text(
                            "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        ),
                        {"t": table.name},
                    )
    return BackupSummary(header.get("revision"), rows)


def restore_from_file(engine: Engine, path: Path) -> BackupSummary:
    with path.open(encoding="utf-8") as source:
        return restore(engine, iter(source))
