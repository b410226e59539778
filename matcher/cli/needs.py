"""``matcher need``: record agency needs from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from matcher.cli.app import app, fail

need_app = typer.Typer(help="Kebutuhan perangkat daerah.", no_args_is_help=True)
app.add_typer(need_app, name="need")


def _error_text(error: Exception) -> str:
    from matcher.errors import MatcherError

    if isinstance(error, MatcherError):
        fields = "; ".join(
            f"{'.'.join(map(str, e.loc[1:] or e.loc))}: {e.message}" for e in error.errors
        )
        return error.detail + (f" ({fields})" if fields else "")
    return str(error)


# A suggestion is used without asking only when the classifier is this sure.
CONFIDENT = 0.6


def _suggested_category(description: str) -> str:
    from matcher.classifier import classify_one

    result = classify_one(description)
    best = result.top[0]
    if best.probability >= CONFIDENT:
        typer.echo(f"Kategori ditebak dari uraian: {best.category} ({best.probability:.0%})")
        return best.category
    options = ", ".join(f"{c.category} ({c.probability:.0%})" for c in result.top)
    raise fail(f"kategori tidak dapat ditebak dengan yakin; pilih dengan --category: {options}")


@need_app.command("add")
def need_add(
    description: Annotated[str, typer.Argument(help="Uraian kebutuhan")],
    agency: Annotated[str, typer.Option(help="Agency id or code")],
    quantity: Annotated[int, typer.Option(help="Jumlah")],
    hps: Annotated[int, typer.Option(help="HPS per unit (rupiah)")],
    needed_by: Annotated[str, typer.Option(help="Tanggal dibutuhkan YYYY-MM-DD")],
    region: Annotated[str, typer.Option(help="Desa/kelurahan tujuan kirim")],
    category: Annotated[
        str | None,
        typer.Option(help="Kode kategori (taksonomi); tanpa ini, ditebak dari uraian"),
    ] = None,
    unit: Annotated[str | None, typer.Option(help="Satuan; bawaan dari kategori")] = None,
    certs: Annotated[
        str | None, typer.Option(help="Sertifikat wajib, dipisah ';' (bawaan dari kategori)")
    ] = None,
    budget_line: Annotated[str | None, typer.Option(help="Kode rekening")] = None,
    notes: Annotated[str | None, typer.Option(help="Catatan")] = None,
    submit: Annotated[bool, typer.Option(help="Langsung ajukan")] = False,
) -> None:
    """Record one need of an agency (as the tim pengelola)."""
    from pydantic import ValidationError

    from matcher.auth.principal import Principal
    from matcher.clock import today
    from matcher.db import unit_of_work
    from matcher.errors import MatcherError
    from matcher.needs.schemas import NeedCreate
    from matcher.needs.service import create_need
    from matcher.parsing import parse_certs, parse_date
    from matcher.users.service import resolve_agency_id

    if category is None:
        category = _suggested_category(description)
    try:
        with unit_of_work() as session:
            data = NeedCreate(
                agency_id=resolve_agency_id(session, agency),
                category=category,
                description=description,
                quantity=quantity,
                unit=unit,
                max_unit_price=hps,
                required_certs=sorted(parse_certs(certs)) if certs is not None else None,
                needed_by=parse_date(needed_by),
                region=region,
                budget_line=budget_line,
                notes=notes,
                submit=submit,
            )
            need = create_need(session, Principal.system(), data, today=today())
            typer.echo(
                f"Kebutuhan {need.code} dicatat ({need.status.value}): {need.quantity} {need.unit} "
                f"{need.category}, sertifikat: {', '.join(need.required_certs) or '-'}"
            )
    except ValidationError as error:
        first = error.errors()[0]
        raise fail(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    except (MatcherError, ValueError) as error:
        raise fail(_error_text(error)) from None


@need_app.command("import")
def need_import(
    path: Annotated[
        Path, typer.Argument(help="needs.csv (format spesifikasi) atau folder instance")
    ],
    draft: Annotated[
        bool, typer.Option(help="Simpan sebagai draf, bukan langsung diajukan")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Laporan sebagai JSON")] = False,
) -> None:
    """Import needs in bulk (as the tim pengelola). Exit status: 0 all rows accepted, 1 some
    rows rejected, 2 nothing could be read."""
    from matcher.auth.principal import Principal
    from matcher.catalog.importer import ImportReport
    from matcher.cli.catalog import print_import_report
    from matcher.clock import today
    from matcher.db import unit_of_work
    from matcher.errors import RowError, RowErrors
    from matcher.models import NeedStatus
    from matcher.needs.importer import import_needs, read_needs_file

    try:
        table = read_needs_file(path)
    except RowErrors as error:
        report = ImportReport.nothing_read(error.errors)
    except OSError as error:
        report = ImportReport.nothing_read(
            [RowError(path.name, 0, "", f"tidak dapat dibaca: {error}")]
        )
    else:
        status = NeedStatus.DRAFT if draft else NeedStatus.SUBMITTED
        with unit_of_work() as session:
            report = import_needs(session, Principal.system(), table, today=today(), status=status)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print_import_report(report, "Impor kebutuhan")
    raise typer.Exit(report.exit_code)


@need_app.command("list")
def need_list(
    agency: Annotated[str | None, typer.Option(help="Agency id or code")] = None,
    status: Annotated[str | None, typer.Option(help="draft, submitted, planned, ...")] = None,
) -> None:
    """List needs."""
    from sqlalchemy import select

    from matcher.db import unit_of_work
    from matcher.errors import MatcherError
    from matcher.models import Need, NeedStatus
    from matcher.money import format_rupiah
    from matcher.users.service import resolve_agency_id

    try:
        with unit_of_work() as session:
            statement = select(Need).order_by(Need.id)
            if agency:
                statement = statement.where(Need.agency_id == resolve_agency_id(session, agency))
            if status:
                statement = statement.where(Need.status == NeedStatus(status))
            table = Table("Kode", "Dinas", "Kategori", "Jumlah", "HPS", "Dibutuhkan", "Status")
            for need in session.scalars(statement):
                table.add_row(
                    need.code,
                    str(need.agency_id),
                    need.category,
                    f"{need.quantity} {need.unit}",
                    format_rupiah(need.max_unit_price),
                    need.needed_by.isoformat(),
                    need.status.value,
                )
            Console().print(table)
    except (MatcherError, ValueError) as error:
        raise fail(_error_text(error)) from None
