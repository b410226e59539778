"""``matcher shortlist NEED``: the explained shortlist of one need."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from matcher.cli.app import app, fail


def _need_by_reference(session: Any, reference: str) -> Any:
    from sqlalchemy import select

    from matcher.models import Need

    need = None
    if reference.isdigit():
        need = session.get(Need, int(reference))
    if need is None:
        need = session.scalar(select(Need).where(Need.code == reference))
    return need


@app.command("shortlist")
def shortlist(
    need: Annotated[str, typer.Argument(help="Need id or code")],
    eligible_only: Annotated[bool, typer.Option(help="Only eligible offers")] = False,
    limit: Annotated[int, typer.Option(help="Rows to show")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Rank every offer in the need's category and explain each: eligibility and reasons,
    priority, price against HPS, distance, delivery record, rotation, score parts."""
    from matcher.clock import today
    from matcher.db import unit_of_work
    from matcher.money import format_rupiah
    from matcher.shortlist.service import shortlist_for_need

    with unit_of_work() as session:
        row = _need_by_reference(session, need)
        if row is None:
            raise fail(f"kebutuhan {need!r} tidak ditemukan")
        result = shortlist_for_need(
            session, row, today=today(), limit=limit, eligible_only=eligible_only
        )
    entries = result.entries
    if as_json:
        payload = asdict(result)
        typer.echo(json.dumps(payload, indent=2, default=str))
        return
    console = Console()
    console.print(
        f"Kebutuhan {result.need_code} ({result.category}, {result.quantity} unit, HPS "
        f"{format_rupiah(result.hps)}): {result.eligible_count} penawaran memenuhi syarat"
    )
    table = Table("#", "Penyedia", "Harga", "Skor", "Syarat", "Penjelasan")
    for rank, entry in enumerate(entries, start=1):
        table.add_row(
            str(rank),
            f"{entry.supplier_name} ({entry.kecamatan})",
            format_rupiah(entry.unit_price),
            f"{entry.score:.1f}",
            "ya" if entry.eligible else "tidak",
            entry.explanation,
        )
    console.print(table)
