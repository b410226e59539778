"""Reading the catalogue's tabular files: a folder of CSVs, one CSV, a .zip of CSVs or an
.xlsx workbook, in the columns of shared/spec/allocation-model.md.

This module only turns bytes into tables of strings with their spreadsheet line numbers
(the header is line 1); the field rules live in ``matcher.parsing`` and are applied by
``matcher.catalog.rows``. Problems that make a whole file unreadable are reported as
``RowError`` with row 0 (the file) or row 1 (the header)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from matcher.errors import RowError, RowErrors
from matcher.optimizer.io import AGENCY_COLUMNS, NEED_COLUMNS, OFFER_COLUMNS, SUPPLIER_COLUMNS

SUPPLIERS = "suppliers"
OFFERS = "offers"
AGENCIES = "agencies"
KINDS: tuple[str, ...] = (SUPPLIERS, OFFERS, AGENCIES)
# needs.csv is read by the needs import (not part of the catalogue).
NEEDS = "needs"

# The spec's columns, in the spec's order (defined once, with the instance folder's reader):
# required on import, exactly these on export.
COLUMNS: dict[str, tuple[str, ...]] = {
    SUPPLIERS: SUPPLIER_COLUMNS,
    OFFERS: OFFER_COLUMNS,
    AGENCIES: AGENCY_COLUMNS,
    NEEDS: NEED_COLUMNS,
}

# Characters that make a spreadsheet read a cell as a formula (CSV/formula injection).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"

SUPPORTED_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".zip")
# Uncompressed size limit of an archive (zip or xlsx): a guard against zip bombs.
DEFAULT_MAX_UNCOMPRESSED = 512 * 1024 * 1024


def unguard(value: str) -> str:
    """Undo the export's formula-injection guard: ``'=SUM(A1)`` -> ``=SUM(A1)``."""
    if len(value) > 1 and value[0] == GUARD and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def guard(value: str) -> str:
    """Prefix a quote to a text cell a spreadsheet would run as a formula. A lone ``-`` (the
    spec's kecamatan of a supplier outside town) is plain text in every spreadsheet and is
    left alone so the export stays readable by ``matcher solve``."""
    if value and value != "-" and value[0] in FORMULA_TRIGGERS:
        return GUARD + value
    return value


@dataclass
class Table:
    """One file or sheet: its kind, the name used in reports, the normalised header and the
    data rows as ``(line number, {column: text})``. Fully blank rows are skipped."""

    kind: str
    label: str
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # Rows with more cells than the header (e.g. an unquoted comma), by line number.
    overflow: dict[int, int] = field(default_factory=dict)


@dataclass
class Source:
    """The readable tables of an import and the errors of the files that were not."""

    tables: list[Table] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def kind_of(name: str) -> str | None:
    """``Suppliers.csv`` / ``offers`` -> the kind, or None for any other name."""
    stem = name.strip().lower()
    if stem.endswith(".csv"):
        stem = stem[:-4]
    return stem if stem in KINDS else None


def _normalise_header(cells: Sequence[str]) -> tuple[str, ...]:
    return tuple(cell.strip().lstrip("\ufeff").strip().lower() for cell in cells)


def _missing_columns(kind: str, label: str, columns: tuple[str, ...]) -> list[RowError]:
    missing = [name for name in COLUMNS[kind] if name not in columns]
    return [RowError(label, 1, name, "kolom wajib tidak ada pada baris judul") for name in missing]


def _table(
    kind: str, label: str, records: Iterable[tuple[int, Sequence[str]]]
) -> tuple[Table | None, list[RowError]]:
    """Build a table from ``(line, cells)`` records whose first record is the header."""
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        return None, [RowError(label, 1, "", "berkas kosong: baris judul tidak ada")]
    columns = _normalise_header(first[1])
    missing = _missing_columns(kind, label, columns)
    if missing:
        return None, missing
    table = Table(kind=kind, label=label, columns=columns)
    width = len(columns)
    for line, cells in iterator:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            table.overflow[line] = len(cells)
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        row = dict(zip(columns, cells, strict=False))
        for name, value in row.items():
            if value[:1] == GUARD:
                row[name] = unguard(value)
        table.rows.append((line, row))
    return table, []


def read_csv(kind: str, label: str, data: bytes) -> tuple[Table | None, list[RowError]]:
    """A UTF-8 CSV (a byte-order mark is allowed) with a header row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        reason = f"bukan teks UTF-8 (byte {error.start})"
        return None, [RowError(label, 0, "", reason)]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = [(index + 1, cells) for index, cells in enumerate(reader)]
    except csv.Error as error:
        return None, [RowError(label, reader.line_num, "", f"CSV tidak dapat dibaca: {error}")]
    return _table(kind, label, records)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _check_archive(archive: zipfile.ZipFile, label: str, max_uncompressed: int) -> None:
    total = sum(info.file_size for info in archive.infolist())
    if total > max_uncompressed:
        raise RowErrors(
            [RowError(label, 0, "", f"isi arsip terlalu besar ({total} byte setelah diekstrak)")]
        )


def read_xlsx(
    source: Path | BinaryIO,
    label: str,
    *,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
) -> Source:
    """A workbook with sheets named suppliers, offers and/or agencies (any case, an optional
    ``.csv`` suffix). Read-only and values only: formulas are never evaluated, a formula
    cell reads as its cached value. Other sheets are ignored."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(source) as archive:
            _check_archive(archive, label, max_uncompressed)
        if not isinstance(source, Path):
            source.seek(0)
        workbook = load_workbook(source, read_only=True, data_only=True)
    except RowErrors:
        raise
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise RowErrors(
            [RowError(label, 0, "", f"buku kerja .xlsx tidak dapat dibaca: {error}")]
        ) from None
    result = Source()
    seen: set[str] = set()
    try:
        for sheet in workbook.worksheets:
            kind = kind_of(sheet.title)
            if kind is None:
                continue
            if kind in seen:
                result.errors.append(
                    RowError(sheet.title, 0, "", f"lembar {kind} muncul lebih dari sekali")
                )
                continue
            seen.add(kind)
            records = (
                (index + 1, [_cell_text(value) for value in values])
                for index, values in enumerate(sheet.iter_rows(values_only=True))
            )
            table, errors = _table(kind, sheet.title, records)
            result.errors.extend(errors)
            if table is not None:
                result.tables.append(table)
    finally:
        workbook.close()
    if not seen:
        raise RowErrors(
            [RowError(label, 0, "", "tidak ada lembar suppliers, offers atau agencies")]
        )
    return result


def read_zip(
    data: bytes, label: str, *, max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
) -> Source:
    """A .zip of suppliers.csv, offers.csv and/or agencies.csv at its top level. Entries with
    a folder, an absolute path or ``..`` are refused; other top-level files are ignored."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RowErrors([RowError(label, 0, "", "bukan arsip .zip yang valid")]) from None
    with archive:
        _check_archive(archive, label, max_uncompressed)
        result = Source()
        found: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            name = info.filename
            path = PurePosixPath(name.replace("\\", "/"))
            if info.is_dir() or len(path.parts) != 1 or name.startswith("/") or ".." in name:
                raise RowErrors(
                    [
                        RowError(
                            label,
                            0,
                            "",
                            f"entri {name!r} tidak diizinkan: berkas harus langsung di akar arsip",
                        )
                    ]
                )
            kind = kind_of(name) if name.lower().endswith(".csv") else None
            if kind is None:
                continue
            if kind in found:
                raise RowErrors([RowError(label, 0, "", f"{kind}.csv muncul lebih dari sekali")])
            found[kind] = info
        if not found:
            raise RowErrors(
                [
                    RowError(
                        label,
                        0,
                        "",
                        "arsip tidak berisi suppliers.csv, offers.csv atau agencies.csv",
                    )
                ]
            )
        for kind in KINDS:
            if kind in found:
                info = found[kind]
                table, errors = read_csv(kind, info.filename, archive.read(info))
                result.errors.extend(errors)
                if table is not None:
                    result.tables.append(table)
    return result


def read_bytes(
    filename: str, data: bytes, *, max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
) -> Source:
    """An uploaded file: suppliers.csv/offers.csv/agencies.csv, a .zip of them or an .xlsx."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".xlsx":
        return _readable(read_xlsx(io.BytesIO(data), name, max_uncompressed=max_uncompressed))
    if suffix == ".zip":
        return _readable(read_zip(data, name, max_uncompressed=max_uncompressed))
    if suffix == ".csv":
        kind = kind_of(name)
        if kind is None:
            raise RowErrors(
                [
                    RowError(
                        name,
                        0,
                        "",
                        "nama berkas CSV harus suppliers.csv, offers.csv atau agencies.csv",
                    )
                ]
            )
        table, errors = read_csv(kind, name, data)
        return _readable(Source([table] if table else [], errors))
    raise RowErrors(
        [RowError(name, 0, "", "jenis berkas tidak didukung (pakai .csv, .zip, .xlsx)")]
    )


def read_path(path: Path) -> Source:
    """A folder holding suppliers.csv, offers.csv and/or agencies.csv, or one such file,
    a .zip or an .xlsx. Raises ``RowErrors`` when nothing can be read."""
    if path.is_dir():
        by_kind: dict[str, Path] = {}
        for child in sorted(path.iterdir()):
            kind = kind_of(child.name) if child.suffix.lower() == ".csv" else None
            if kind is not None and child.is_file() and kind not in by_kind:
                by_kind[kind] = child
        if not by_kind:
            raise RowErrors(
                [
                    RowError(
                        path.name or str(path),
                        0,
                        "",
                        "folder tidak berisi suppliers.csv, offers.csv atau agencies.csv",
                    )
                ]
            )
        source = Source()
        for kind in KINDS:
            if kind in by_kind:
                table, errors = read_csv(kind, by_kind[kind].name, by_kind[kind].read_bytes())
                source.errors.extend(errors)
                if table is not None:
                    source.tables.append(table)
        return _readable(source)
    if not path.exists():
        raise RowErrors([RowError(path.name or str(path), 0, "", "berkas atau folder tidak ada")])
    if path.suffix.lower() == ".xlsx":
        return _readable(read_xlsx(path, path.name))
    return read_bytes(path.name, path.read_bytes())


def _readable(source: Source) -> Source:
    if not source.tables:
        raise RowErrors(source.errors)
    return source
