"""``matcher catalog``: import and export the catalogue in the spec's CSV/XLSX format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from matcher.cli.app import app, fail

if TYPE_CHECKING:
    from matcher.catalog.importer import ImportReport
    from matcher.errors import RowError

catalog_app = typer.Typer(
    help="Katalog penyedia, penawaran dan perangkat daerah: impor dan ekspor.",
    no_args_is_help=True,
)
app.add_typer(catalog_app, name="catalog")

# Rejected rows shown in the human output; --json lists them all.
MAX_SHOWN = 100


def run_import(path: Path) -> ImportReport:
    """Read ``path`` and import it in one unit of work. A source that cannot be read at all
    gives a report with exit code 2 and nothing written."""
    from matcher.catalog.importer import ImportReport, import_catalogue
    from matcher.catalog.tabular import read_path
    from matcher.db import unit_of_work
    from matcher.errors import RowErrors

    try:
        source = read_path(path)
    except RowErrors as error:
        return ImportReport.nothing_read(error.errors)
    except OSError as error:
        return ImportReport.nothing_read([_os_error(path, error)])
    with unit_of_work() as session:
        report: ImportReport = import_catalogue(session, source)
    return report


def _os_error(path: Path, error: OSError) -> RowError:
    from matcher.errors import RowError

    return RowError(path.name or str(path), 0, "", f"tidak dapat dibaca: {error.strerror or error}")


def print_import_report(report: ImportReport, title: str = "Impor katalog") -> None:
    """The human form of an import report (catalogue and needs imports)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if report.files:
        summary = Table(title=title)
        summary.add_column("Berkas")
        for heading in ("Baru", "Diperbarui", "Tidak berubah", "Baris ditolak"):
            summary.add_column(heading, justify="right")
        for label, counts in report.files.items():
            summary.add_row(
                label,
                str(counts.inserted),
                str(counts.updated),
                str(counts.unchanged),
                str(counts.rejected),
            )
        summary.add_row(
            "[bold]Jumlah[/bold]",
            str(report.inserted),
            str(report.updated),
            str(report.unchanged),
            str(report.rejected_rows),
        )
        console.print(summary)
    if report.rejected:
        rejected = Table(title="Ditolak" if report.files else "Tidak ada yang dapat dibaca")
        for heading in ("Berkas", "Baris", "Kolom", "Alasan"):
            rejected.add_column(heading)
        for error in report.rejected[:MAX_SHOWN]:
            rejected.add_row(error.file, str(error.row), error.column or "-", error.reason)
        console.print(rejected)
        if len(report.rejected) > MAX_SHOWN:
            console.print(
                f"... dan {len(report.rejected) - MAX_SHOWN} lainnya (pakai --json untuk semua)"
            )
    elif report.files:
        console.print("Semua baris diterima.")


@catalog_app.command("import")
def catalog_import(
    path: Annotated[
        Path,
        typer.Argument(
            help="Folder berisi suppliers.csv/offers.csv/agencies.csv, atau berkas .xlsx, "
            ".zip, .csv"
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Laporan sebagai JSON")] = False,
) -> None:
    """Import suppliers, offers and agencies. Exit status: 0 all rows accepted, 1 some rows
    rejected, 2 nothing could be read."""
    from matcher.errors import MatcherError

    try:
        report = run_import(path)
    except MatcherError as error:
        raise fail(error.detail) from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print_import_report(report)
    raise typer.Exit(report.exit_code)


@catalog_app.command("export")
def catalog_export(
    path: Annotated[
        Path,
        typer.Argument(help="Folder tujuan (CSV), atau berkas .xlsx / .zip"),
    ],
) -> None:
    """Export suppliers, offers and agencies in the spec's format (readable by
    ``matcher catalog import`` and ``matcher solve``)."""
    from matcher.catalog.export import export_catalogue
    from matcher.clock import today
    from matcher.db import unit_of_work

    if path.suffix.lower() not in ("", ".xlsx", ".zip") and not path.is_dir():
        raise fail(f"tujuan harus folder, .xlsx atau .zip: {path}")
    try:
        with unit_of_work() as session:
            written = export_catalogue(session, path, today=today())
    except OSError as error:
        raise fail(f"tidak dapat menulis {path}: {error.strerror or error}") from None
    typer.echo(
        f"Katalog diekspor ke {path}: "
        + ", ".join(f"{name} {count} baris" for name, count in written.items())
    )
