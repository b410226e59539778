"""Validation of catalogue import rows into typed rows. Pure: no database.

Every field rule comes from ``matcher.parsing``; this module adds what a row needs as a
whole: required fields, text lengths of the database columns, ``min_order_qty <= capacity``
(when the capacity is positive: capacity 0 is an offer sold out for the period) and
duplicate identifiers in one file (the later row is rejected). All errors of a row are
reported, one ``RowError`` per column at fault."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from matcher.catalog.tabular import AGENCIES, OFFERS, SUPPLIERS, Table
from matcher.errors import RowError
from matcher.models.enums import SizeClass
from matcher.parsing import (
    parse_bool,
    parse_category,
    parse_certs,
    parse_int,
    parse_nib,
    parse_rupiah,
    parse_size_class,
)

REQUIRED = "wajib diisi"


@dataclass(frozen=True, slots=True)
class SupplierRow:
    line: int
    code: str
    name: str
    nib: str
    size_class: SizeClass
    is_koperasi: bool
    region: str
    kecamatan: str
    is_local: bool
    verified: bool
    certs: frozenset[str]


@dataclass(frozen=True, slots=True)
class OfferRow:
    line: int
    code: str
    supplier_code: str
    category: str
    name: str
    unit: str
    unit_price: int
    capacity: int
    min_order_qty: int
    lead_time_days: int


@dataclass(frozen=True, slots=True)
class AgencyRow:
    line: int
    code: str
    name: str
    budget: int
    fiscal_year: int | None  # None: the column is absent or empty


RowT = TypeVar("RowT")


@dataclass
class Validated(Generic[RowT]):
    """The valid rows of one table, its errors, and the reason each rejected identifier was
    rejected (for the offers of a rejected supplier)."""

    table: Table
    rows: list[RowT] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected: dict[str, tuple[int, str]] = field(default_factory=dict)


def _text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        text = value.strip()
        if len(text) > max_length:
            raise ValueError(f"terlalu panjang ({len(text)} karakter, maks {max_length})")
        return text

    return parse


def _count(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = parse_int(value, minimum=minimum)
        if number > 2_000_000_000:
            raise ValueError(f"terlalu besar: {number}")
        return number

    return parse


def _size_class(value: str) -> SizeClass:
    return SizeClass(parse_size_class(value))


def _rupiah(value: str) -> int:
    amount = parse_rupiah(value)
    if amount > 10**13:
        raise ValueError(f"jumlah rupiah terlalu besar: {value!r}")
    return amount


def _budget(value: str) -> int:
    amount = parse_rupiah(value, allow_zero=True)
    if amount > 10**15:
        raise ValueError(f"jumlah rupiah terlalu besar: {value!r}")
    return amount


def _year(value: str) -> int:
    year = parse_int(value, minimum=2000)
    if year > 2100:
        raise ValueError(f"tahun anggaran tidak wajar: {year}")
    return year


_Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """How one column is read: its parser, the value of an empty cell when optional, and
    whether parsed values are memoised by their text (columns with few distinct values:
    categories, booleans, quantities; parsers are pure, so a text parses the same twice)."""

    parse: _Parser
    required: bool = True
    default: Any = None
    memo: bool = False


# The first column of each table is its identifier.
SUPPLIER_FIELDS: dict[str, Column] = {
    "supplier_id": Column(_text(32)),
    "name": Column(_text(200)),
    "nib": Column(parse_nib),
    "size_class": Column(_size_class, memo=True),
    "is_koperasi": Column(parse_bool, memo=True),
    "region": Column(_text(120), memo=True),
    "kecamatan": Column(_text(120), memo=True),
    "is_local": Column(parse_bool, memo=True),
    "verified": Column(parse_bool, memo=True),
    "certs": Column(parse_certs, required=False, default=frozenset(), memo=True),
}
OFFER_FIELDS: dict[str, Column] = {
    "offer_id": Column(_text(32)),
    "supplier_id": Column(_text(32), memo=True),
    "category": Column(parse_category, memo=True),
    "name": Column(_text(200)),
    "unit": Column(_text(32), memo=True),
    "unit_price": Column(_rupiah, memo=True),
    "capacity": Column(_count(0), memo=True),
    "min_order_qty": Column(_count(1), memo=True),
    "lead_time_days": Column(_count(0), memo=True),
}
AGENCY_FIELDS: dict[str, Column] = {
    "agency_id": Column(_text(32)),
    "name": Column(_text(200)),
    "budget": Column(_budget),
    "fiscal_year": Column(_year, required=False),
}


_MISSING = object()


def _parse_row(
    table: Table,
    line: int,
    raw: dict[str, str],
    fields: dict[str, Column],
    memos: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column, spec in fields.items():
        text = raw.get(column, "")
        memo = memos.get(column)
        if memo is not None:
            value = memo.get(text, _MISSING)
            if value is not _MISSING:
                values[column] = value
                continue
        if not text.strip():
            if spec.required:
                errors.append(RowError(table.label, line, column, REQUIRED))
            else:
                values[column] = spec.default
            continue
        try:
            value = spec.parse(text)
        except ValueError as error:
            errors.append(RowError(table.label, line, column, str(error)))
            continue
        values[column] = value
        if memo is not None:
            memo[text] = value
    return values, errors


def validate_table(
    table: Table,
    fields: dict[str, Column],
    build: Callable[[int, dict[str, Any]], RowT],
    check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None,
) -> Validated[RowT]:
    """Validate every row of a table with the given column rules (the first is the row's
    identifier), build typed rows of the valid ones and one ``RowError`` per column at fault
    of the others; ``check`` adds rules over a whole row. Used for the catalogue's tables and
    for needs.csv."""
    result: Validated[RowT] = Validated(table)
    id_column = next(iter(fields))
    first_seen: dict[str, int] = {}
    valid_codes: set[str] = set()
    memos: dict[str, dict[str, Any]] = {name: {} for name, spec in fields.items() if spec.memo}
    for line, raw in table.rows:
        code = raw.get(id_column, "").strip()
        if line in table.overflow:
            reason = (
                f"baris berisi {table.overflow[line]} sel, lebih banyak dari "
                f"{len(table.columns)} kolom judul (koma tanpa tanda kutip?)"
            )
            errors = [RowError(table.label, line, "", reason)]
        elif code and code in first_seen:
            errors = [
                RowError(
                    table.label,
                    line,
                    id_column,
                    f"{id_column} {code} sudah dipakai di baris {first_seen[code]}",
                )
            ]
        else:
            if code:
                first_seen[code] = line
            values, errors = _parse_row(table, line, raw, fields, memos)
            if not errors and check is not None:
                errors = [
                    RowError(table.label, line, column, reason) for column, reason in check(values)
                ]
            if not errors:
                result.rows.append(build(line, values))
                valid_codes.add(code)
                continue
        result.errors.extend(errors)
        if code and code not in valid_codes and code not in result.rejected:
            result.rejected[code] = (line, errors[0].reason)
    return result


def validate_suppliers(table: Table) -> Validated[SupplierRow]:
    assert table.kind == SUPPLIERS
    return validate_table(
        table,
        SUPPLIER_FIELDS,
        lambda line, v: SupplierRow(
            line=line,
            code=v["supplier_id"],
            name=v["name"],
            nib=v["nib"],
            size_class=v["size_class"],
            is_koperasi=v["is_koperasi"],
            region=v["region"],
            kecamatan=v["kecamatan"],
            is_local=v["is_local"],
            verified=v["verified"],
            certs=v["certs"],
        ),
    )


def _offer_check(values: dict[str, Any]) -> list[tuple[str, str]]:
    capacity, min_order = values["capacity"], values["min_order_qty"]
    if capacity > 0 and min_order > capacity:
        return [("min_order_qty", f"min_order_qty ({min_order}) melebihi capacity ({capacity})")]
    return []


def validate_offers(table: Table) -> Validated[OfferRow]:
    assert table.kind == OFFERS
    return validate_table(
        table,
        OFFER_FIELDS,
        lambda line, v: OfferRow(
            line=line,
            code=v["offer_id"],
            supplier_code=v["supplier_id"],
            category=v["category"],
            name=v["name"],
            unit=v["unit"],
            unit_price=v["unit_price"],
            capacity=v["capacity"],
            min_order_qty=v["min_order_qty"],
            lead_time_days=v["lead_time_days"],
        ),
        _offer_check,
    )


def validate_agencies(table: Table) -> Validated[AgencyRow]:
    assert table.kind == AGENCIES
    return validate_table(
        table,
        AGENCY_FIELDS,
        lambda line, v: AgencyRow(
            line=line,
            code=v["agency_id"],
            name=v["name"],
            budget=v["budget"],
            fiscal_year=v["fiscal_year"],
        ),
    )
