"""Operations commands: ``matcher check`` (reservation counters against the orders),
``matcher backup FILE`` and ``matcher restore FILE`` (portable JSON lines)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.app import app, fail


@app.command("check")
def check(
    fix: Annotated[
        bool, typer.Option("--fix", help="Set mismatching counters to the sums")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Differences as JSON")] = False,
) -> None:
    """Recompute reserved quantities and committed amounts from the orders and compare them
    with the stored counters; exit 1 when they differ or anything is over-allocated."""
    from rich.console import Console
    from rich.table import Table

    from matcher.db import unit_of_work
    from matcher.ops.check import find_differences, fix_counters

    with unit_of_work() as session:
        differences = find_differences(session)
        fixed = fix_counters(session, differences) if fix else 0
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {**d.__dict__, "over_allocated": d.over_allocated, "mismatch": d.mismatch}
                    for d in differences
                ],
                indent=2,
            )
        )
    elif differences:
        table = Table(title="Selisih penghitung reservasi")
        for column in (
            "entitas",
            "id",
            "kode",
            "kolom",
            "tersimpan",
            "dihitung",
            "batas",
            "masalah",
        ):
            table.add_column(column)
        for d in differences:
            problem = "melebihi batas" if d.over_allocated else "selisih"
            table.add_row(d.entity, str(d.entity_id), d.code, d.field, str(d.stored),
                          str(d.recomputed), str(d.limit), problem)  # fmt: skip
        Console().print(table)
    else:
        typer.echo("Konsisten: semua reservasi sama dengan pesanan; tidak ada alokasi berlebih.")
    if fix and fixed:
        typer.echo(f"Diperbaiki: {fixed} penghitung")
    remaining = [d for d in differences if d.over_allocated or (d.mismatch and not fix)]
    if remaining:
        raise typer.Exit(1)


@app.command("backup")
def backup(file: Annotated[Path, typer.Argument(help="Target file (JSON lines)")]) -> None:
    """Write every table to FILE (one consistent read; SQLite or PostgreSQL)."""
    from matcher.db import get_engine
    from matcher.ops.backup import backup_to_file

    summary = backup_to_file(get_engine(), file)
    typer.echo(f"Cadangan {file}: {summary.total} baris, revisi {summary.revision}")


@app.command("restore")
def restore(file: Annotated[Path, typer.Argument(help="A file written by matcher backup")]) -> None:
    """Load FILE into an empty database migrated to the backup's revision (all or nothing)."""
    from matcher.db import get_engine
    from matcher.errors import MatcherError
    from matcher.ops.backup import restore_from_file

    if not file.is_file():
        raise fail(f"berkas tidak ditemukan: {file}")
    try:
        summary = restore_from_file(get_engine(), file)
    except MatcherError as error:
        raise fail(error.detail) from None
    typer.echo(f"Dipulihkan dari {file}: {summary.total} baris, revisi {summary.revision}")
