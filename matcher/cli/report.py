"""``matcher report semester`` (the six-monthly report as XLSX or PDF) and ``matcher opendata
ocds`` (a period's orders as an OCDS 1.1 release package)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.app import app, fail

report_app = typer.Typer(help="Laporan pasar sistemik.", no_args_is_help=True)
opendata_app = typer.Typer(help="Data terbuka (OCDS).", no_args_is_help=True)
app.add_typer(report_app, name="report")
app.add_typer(opendata_app, name="opendata")


@report_app.command("semester")
def semester(
    year: Annotated[int, typer.Option(help="Tahun", min=2000, max=2100)],
    half: Annotated[int, typer.Option(help="Semester: 1 (Jan-Jun) atau 2 (Jul-Des)", min=1, max=2)],
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .xlsx atau .pdf", dir_okay=False)],
) -> None:
    """The report of the Kepala Dinas to the Walikota for one semester."""
    from matcher.db import unit_of_work
    from matcher.errors import MatcherError
    from matcher.reports.semester import render, semester_report

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "pdf"):
        raise fail(f"format berkas tidak dikenal: {out.name} (pakai .xlsx atau .pdf)")
    try:
        with unit_of_work() as session:
            report = semester_report(session, year, half)
            content, _ = render(report, fmt)
    except MatcherError as error:
        raise fail(error.detail) from None
    out.write_bytes(content)
    d = report.dashboard
    typer.echo(
        f"{report.title} ditulis ke {out}: {d.orders} pesanan, belanja Rp{d.total_spend:,}, "
        f"porsi UMK {d.umk_share * 100:.1f}%".replace(",", ".")
    )


@opendata_app.command("ocds")
def ocds(
    start: Annotated[datetime, typer.Option(help="Awal periode", formats=["%Y-%m-%d"])],
    end: Annotated[datetime, typer.Option(help="Akhir periode, termasuk", formats=["%Y-%m-%d"])],
    out: Annotated[Path, typer.Option(help="Berkas JSON keluaran", dir_okay=False)],
) -> None:
    """The period's orders as an OCDS 1.1 release package (JSON)."""
    from matcher.dashboard.service import Period
    from matcher.db import unit_of_work
    from matcher.errors import MatcherError
    from matcher.opendata.ocds import release_package

    try:
        period = Period(start.date(), end.date())
        with unit_of_work() as session:
            package = release_package(session, period)
    except MatcherError as error:
        raise fail(error.detail) from None
    out.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(f"Paket rilis OCDS ({len(package['releases'])} rilis) ditulis ke {out}")
