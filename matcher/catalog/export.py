"""Catalogue export in the spec's format: suppliers.csv, offers.csv and agencies.csv with
exactly the spec's columns, as a folder of CSVs, a .zip of them or an .xlsx workbook.

What the format cannot express is resolved on the export day, as ``matcher.planning``
does: ``verified`` is the supplier's status today, ``certs`` are the certificate types
still valid today, and only active, verified offers are listed (those the optimiser may
use). ``matcher solve`` reads an exported folder as it is (needs.csv and policy.json are not
part of the catalogue), and importing an export back changes nothing.

Text cells a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) are prefixed with a quote; the importer strips that prefix again."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.catalog.tabular import AGENCIES, COLUMNS, KINDS, OFFERS, SUPPLIERS, guard
from matcher.models import Agency, Certificate, Offer, Supplier, VerificationStatus
from matcher.parsing import format_certs

Cell = str | int
Rows = dict[str, list[list[Cell]]]

# Columns written as numbers in a workbook; every other column is text (a NIB stays text).
NUMERIC: frozenset[str] = frozenset(
    {"unit_price", "capacity", "min_order_qty", "lead_time_days", "budget"}
)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def catalogue_rows(session: Session, *, today: date) -> Rows:
    """The catalogue as the spec's rows (unguarded values), ordered by code."""
    certs: dict[int, set[str]] = {}
    valid = select(Certificate.supplier_id, Certificate.type).where(Certificate.counting_on(today))
    for supplier_id, cert_type in session.execute(valid):
        certs.setdefault(supplier_id, set()).add(cert_type.value)
    suppliers: list[list[Cell]] = [
        [
            s.code,
            s.name,
            s.nib,
            s.size_class.value,
            _bool(s.is_koperasi),
            s.region,
            s.kecamatan,
            _bool(s.is_local),
            _bool(s.status == VerificationStatus.VERIFIED),
            format_certs(certs.get(s.id, set())),
        ]
        for s in session.execute(
            select(
                Supplier.id,
                Supplier.code,
                Supplier.name,
                Supplier.nib,
                Supplier.size_class,
                Supplier.is_koperasi,
                Supplier.region,
                Supplier.kecamatan,
                Supplier.is_local,
                Supplier.status,
            ).order_by(Supplier.code)
        )
    ]
    offers: list[list[Cell]] = [
        list(row)
        for row in session.execute(
            select(
                Offer.code,
                Supplier.code,
                Offer.category,
                Offer.name,
                Offer.unit,
                Offer.unit_price,
                Offer.capacity,
                Offer.min_order_qty,
                Offer.lead_time_days,
            )
            .join(Supplier, Offer.supplier_id == Supplier.id)
            .where(Offer.active.is_(True), Offer.status == VerificationStatus.VERIFIED)
            .order_by(Offer.code)
        )
    ]
    agencies: list[list[Cell]] = [
        list(row)
        for row in session.execute(
            select(Agency.code, Agency.name, Agency.budget).order_by(Agency.code)
        )
    ]
    return {SUPPLIERS: suppliers, OFFERS: offers, AGENCIES: agencies}


def _guarded(kind: str, row: Sequence[Cell]) -> list[Cell]:
    return [
        value if isinstance(value, int) or name in NUMERIC else guard(value)
        for name, value in zip(COLUMNS[kind], row, strict=True)
    ]


def csv_bytes(kind: str, rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS[kind])
    writer.writerows(_guarded(kind, row) for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_folder(directory: Path, rows: Rows) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        (directory / f"{kind}.csv").write_bytes(csv_bytes(kind, rows[kind]))


def write_zip(target: Path | BinaryIO, rows: Rows) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            archive.writestr(f"{kind}.csv", csv_bytes(kind, rows[kind]))


def write_xlsx(target: Path | BinaryIO, rows: Rows) -> None:
    """One sheet per file; quantities and rupiah as numbers, everything else as text."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for kind in KINDS:
        sheet = workbook.create_sheet(kind)
        sheet.append(list(COLUMNS[kind]))
        for row in rows[kind]:
            # Control characters cannot be stored in a worksheet: they are dropped.
            sheet.append(
                [
                    ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell
                    for cell in _guarded(kind, row)
                ]
            )
    workbook.save(target)


def export_catalogue(session: Session, path: Path, *, today: date) -> dict[str, int]:
    """Write the catalogue to ``path``: an .xlsx workbook, a .zip of CSVs, or else a folder
    (created if missing). Returns the rows written per file."""
    rows = catalogue_rows(session, today=today)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(path, rows)
    elif suffix == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        write_zip(path, rows)
    else:
        write_folder(path, rows)
    return {f"{kind}.csv": len(rows[kind]) for kind in KINDS}


def export_bytes(session: Session, fmt: str, *, today: date) -> bytes:
    """The catalogue as one file: ``xlsx`` or ``zip``."""
    rows = catalogue_rows(session, today=today)
    buffer = io.BytesIO()
    if fmt == "xlsx":
        write_xlsx(buffer, rows)
    elif fmt == "zip":
        write_zip(buffer, rows)
    else:
        raise ValueError(f"format ekspor tidak dikenal: {fmt!r}")
    return buffer.getvalue()
