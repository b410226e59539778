"""Bulk import of needs from the spec's needs.csv, with the catalogue import's row-level
report (file, spreadsheet line, column, reason) and exit codes.

Rules: the field rules of ``matcher.parsing`` (as for the catalogue), the agency must exist
(and, for an officer, be their own), needed_by may not be in the past, and certificates:
an empty ``required_certs`` cell takes the category's defaults plus the dated rules in force
(halal for food from 17 October 2026); a listed set must include every mandatory one. A
need_id already in the database is updated while the need is draft or submitted, left alone
when equal, and rejected once it is planned or later. Valid rows are written in the caller's
transaction; a rejected row is never half-written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.catalog.importer import ImportReport
from matcher.catalog.rows import Column, validate_table
from matcher.catalog.tabular import NEEDS, Table, read_csv
from matcher.catalog.taxonomy import get_category
from matcher.errors import InvalidInput, RowError, RowErrors
from matcher.models import Agency, Need, NeedStatus, Role
from matcher.needs.service import EDITABLE, resolve_required_certs
from matcher.parsing import parse_category, parse_certs, parse_date, parse_int, parse_rupiah


def _text(max_length: int) -> Any:
    def parse(value: str) -> str:
        text = value.strip()
        if len(text) > max_length:
            raise ValueError(f"terlalu panjang ({len(text)} karakter, maks {max_length})")
        return text

    return parse


def _quantity(value: str) -> int:
    number = parse_int(value, minimum=1)
    if number > 10**9:
        raise ValueError(f"terlalu besar: {number}")
    return number


NEED_FIELDS: dict[str, Column] = {
    "need_id": Column(_text(32)),
    "agency_id": Column(_text(32), memo=True),
    "category": Column(parse_category, memo=True),
    "description": Column(_text(500)),
    "quantity": Column(_quantity),
    "max_unit_price": Column(parse_rupiah, memo=True),
    # Empty: the category's defaults and the dated rules (None marks "not given").
    "required_certs": Column(parse_certs, required=False, default=None, memo=True),
    "needed_by": Column(parse_date, memo=True),
    "region": Column(_text(120), memo=True),
}


@dataclass(frozen=True, slots=True)
class NeedRow:
    line: int
    code: str
    agency_code: str
    category: str
    description: str
    quantity: int
    max_unit_price: int
    required_certs: frozenset[str] | None
    needed_by: date
    region: str


def read_needs_file(path: Path) -> Table:
    """needs.csv, or an instance folder holding one. Raises ``RowErrors`` when unreadable."""
    file = path / "needs.csv" if path.is_dir() else path
    if not file.is_file():
        raise RowErrors([RowError(file.name or str(file), 0, "", "berkas needs.csv tidak ada")])
    if file.suffix.lower() != ".csv":
        raise RowErrors([RowError(file.name, 0, "", "kebutuhan diimpor dari berkas .csv")])
    return read_table(file.name, file.read_bytes())


def read_table(label: str, data: bytes) -> Table:
    table, errors = read_csv(NEEDS, label, data)
    if table is None:
        raise RowErrors(errors)
    return table


def validate_needs(table: Table) -> tuple[list[NeedRow], list[RowError]]:
    validated = validate_table(
        table,
        NEED_FIELDS,
        lambda line, v: NeedRow(
            line=line,
            code=v["need_id"],
            agency_code=v["agency_id"],
            category=v["category"],
            description=v["description"],
            quantity=v["quantity"],
            max_unit_price=v["max_unit_price"],
            required_certs=v["required_certs"],
            needed_by=v["needed_by"],
            region=v["region"],
        ),
    )
    return validated.rows, validated.errors


def _values(row: NeedRow, agency_id: int, certs: list[str]) -> dict[str, Any]:
    return {
        "agency_id": agency_id,
        "category": row.category,
        "description": row.description,
        "quantity": row.quantity,
        "unit": get_category(row.category).unit,
        "max_unit_price": row.max_unit_price,
        "required_certs": certs,
        "needed_by": row.needed_by,
        "region": row.region,
    }


def import_needs(
    session: Session,
    principal: Principal,
    table: Table,
    *,
    today: date,
    status: NeedStatus = NeedStatus.SUBMITTED,
) -> ImportReport:
    """Validate and upsert the rows of a needs table; flushes only."""
    report = ImportReport()
    rows, errors = validate_needs(table)
    for error in errors:
        report.reject(table, [error])
    agencies = dict(
        session.execute(
            select(Agency.code, Agency.id).where(
                Agency.code.in_(sorted({r.agency_code for r in rows}))
            )
        ).all()
    )
    existing = {
        n.code: n
        for n in session.scalars(select(Need).where(Need.code.in_(sorted({r.code for r in rows}))))
    }
    for row in rows:

        def reject(column: str, reason: str, row: NeedRow = row) -> None:
            report.reject(table, [RowError(table.label, row.line, column, reason)])

        agency_id = agencies.get(row.agency_code)
        if agency_id is None or (
            principal.role == Role.OFFICER and agency_id != principal.agency_id
        ):
            reject("agency_id", f"perangkat daerah {row.agency_code} tidak ditemukan")
            continue
        if not (principal.is_admin or principal.role == Role.OFFICER):
            reject("agency_id", "peran ini tidak dapat mencatat kebutuhan")
            continue
        if row.needed_by < today:
            reject("needed_by", f"tanggal {row.needed_by.isoformat()} sudah lewat")
            continue
        try:
            certs = resolve_required_certs(
                row.category,
                row.needed_by,
                sorted(row.required_certs) if row.required_certs is not None else None,
            )
        except InvalidInput as error:
            reject("required_certs", error.detail)
            continue
        values = _values(row, agency_id, certs)
        need = existing.get(row.code)
        if need is None:
            need = Need(
                code=row.code, status=status, created_by_user_id=principal.user_id, **values
            )
            session.add(need)
            existing[row.code] = need
            report.inserted_row(table)
            continue
        if need.agency_id != agency_id:
            reject("need_id", f"{row.code} milik perangkat daerah lain")
            continue
        changed = {k: v for k, v in values.items() if getattr(need, k) != v}
        if not changed:
            report.unchanged_row(table)
            continue
        if need.status not in EDITABLE:
            reject(
                "need_id",
                f"kebutuhan {row.code} berstatus '{need.status.value}': tidak dapat diubah",
            )
            continue
        for name, value in changed.items():
            setattr(need, name, value)
        report.updated_row(table)
    session.flush()
    return report
