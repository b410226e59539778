"""``matcher solve DIR --out allocation.csv`` and ``matcher validate DIR allocation.csv``.

Thin wrappers: reading, solving and validating live in :mod:`matcher.optimizer`. A bad
folder prints one line per problem (file, row, column) and exits with status 2; an
allocation that breaks a constraint exits ``validate`` with status 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from matcher.cli.app import app, fail
from matcher.errors import RowErrors
from matcher.optimizer import (
    SOLVERS,
    Allocation,
    SolveOptions,
    read_allocation,
    read_instance,
    solve,
    validate,
    write_allocation,
)


def _allocation_json(result: Allocation) -> dict[str, Any]:
    return {
        "unmet_value": result.unmet_value,
        "priority_value": result.priority_value,
        "cost": result.cost,
        "stages": [
            {
                "name": s.name,
                "status": s.status,
                "value": s.value,
                "bound": s.bound,
                "gap": s.gap,
                "seconds": round(s.seconds, 3),
                "solver": s.solver,
            }
            for s in result.stages
        ],
        "needs": [
            {
                "need_id": d.need_id,
                "quantity": d.quantity,
                "allocated": d.allocated,
                "unmet_value": d.unmet_value,
                "eligible_offers": d.eligible_offers,
                "reasons": [{"code": r.code, "detail": r.detail} for r in d.reasons],
            }
            for d in result.needs
        ],
        "eligible_pairs": result.eligible_pairs,
        "binding": [
            {
                "family": b.family,
                "key": b.key,
                "used": b.used,
                "limit": b.limit,
                "shadow_price": b.shadow_price,
            }
            for b in result.binding
        ],
        "seconds": round(result.seconds, 3),
    }


def _rp(amount: int | None) -> str:
    return "-" if amount is None else "Rp" + f"{amount:,}".replace(",", ".")


@app.command("solve")
def solve_command(
    folder: Annotated[Path, typer.Argument(help="Folder instans (suppliers.csv, offers.csv, ...)")],
    out: Annotated[Path, typer.Option("--out", help="Berkas allocation.csv yang ditulis")] = Path(
        "allocation.csv"
    ),
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Batas waktu total (detik) untuk semua tahap")
    ] = 60.0,
    solver: Annotated[
        str, typer.Option("--solver", help=f"Pemecah: {', '.join(SOLVERS)}")
    ] = "auto",
    threads: Annotated[int, typer.Option("--threads", help="Jumlah thread pemecah")] = 2,
    seed: Annotated[int, typer.Option("--seed", help="Benih acak (tetap = hasil sama)")] = 0,
    deterministic: Annotated[
        bool,
        typer.Option("--deterministic", help="Batas kerja deterministik, bukan waktu dinding"),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak ringkasan JSON")] = False,
) -> None:
    """Hitung alokasi leksikografis (kebutuhan tak terpenuhi, nilai prioritas, biaya)."""
    if solver not in SOLVERS:
        raise fail(f"pemecah tidak dikenal: {solver!r} (pilihan: {', '.join(SOLVERS)})")
    try:
        instance = read_instance(folder)
    except RowErrors as exc:
        raise fail(
            "\n".join(f"{e.file} baris {e.row} kolom {e.column}: {e.reason}" for e in exc.errors)
        ) from None
    result = solve(
        instance,
        SolveOptions(
            solver=solver,
            time_limit=time_limit,
            threads=threads,
            seed=seed,
            deterministic=deterministic,
        ),
    )
    write_allocation(out, result.lines)
    if as_json:
        typer.echo(json.dumps(_allocation_json(result), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Alokasi -> {out} ({result.eligible_pairs} pasangan layak)")
    for column in ("tahap", "status", "nilai", "batas", "gap", "detik", "pemecah"):
        table.add_column(column)
    for s in result.stages:
        table.add_row(
            s.name,
            s.status,
            _rp(s.value),
            _rp(s.bound),
            "-" if s.gap is None else f"{s.gap:.4%}",
            f"{s.seconds:.1f}",
            s.solver,
        )
    Console().print(table)


@app.command("validate")
def validate_command(
    folder: Annotated[Path, typer.Argument(help="Folder instans")],
    allocation: Annotated[Path, typer.Argument(help="allocation.csv yang diperiksa")],
    as_json: Annotated[bool, typer.Option("--json", help="Cetak hasil JSON")] = False,
) -> None:
    """Periksa ulang alokasi terhadap semua batasan (validator independen)."""
    try:
        instance = read_instance(folder)
        lines = read_allocation(allocation)
    except RowErrors as exc:
        raise fail(
            "\n".join(f"{e.file} baris {e.row} kolom {e.column}: {e.reason}" for e in exc.errors)
        ) from None
    report = validate(instance, lines)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "ok": report.ok,
                    "unmet_value": report.unmet_value,
                    "priority_value": report.priority_value,
                    "cost": report.cost,
                    "violations": [
                        {
                            "code": v.code,
                            "message": v.message,
                            "need_id": v.need_id,
                            "offer_id": v.offer_id,
                        }
                        for v in report.violations
                    ],
                },
                ensure_ascii=False,
            )
        )
    else:
        for v in report.violations:
            typer.echo(f"PELANGGARAN {v.code} {v.need_id} {v.offer_id}: {v.message}", err=True)
        typer.echo(
            f"unmet_value={report.unmet_value} priority_value={report.priority_value} cost={report.cost}"
        )
    if not report.ok:
        raise typer.Exit(1)
