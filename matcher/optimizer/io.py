"""Reading an instance folder (spec: shared/spec/allocation-model.md) and reading/writing
allocation.csv. Every problem is reported as a :class:`RowError` naming the file, the
spreadsheet line (header is line 1) and the column; all problems of a folder are raised
together as :class:`RowErrors`."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from matcher.errors import RowError, RowErrors
from matcher.optimizer.model import Agency, AllocationLine, Instance, Need, Offer, Policy, Supplier
from matcher.parsing import (
    format_certs,
    parse_bool,
    parse_category,
    parse_certs,
    parse_date,
    parse_int,
    parse_nib,
    parse_rupiah,
    parse_size_class,
)

SUPPLIER_COLUMNS = (
    "supplier_id",
    "name",
    "nib",
    "size_class",
    "is_koperasi",
    "region",
    "kecamatan",
    "is_local",
    "verified",
    "certs",
)
OFFER_COLUMNS = (
    "offer_id",
    "supplier_id",
    "category",
    "name",
    "unit",
    "unit_price",
    "capacity",
    "min_order_qty",
    "lead_time_days",
)
AGENCY_COLUMNS = ("agency_id", "name", "budget")
NEED_COLUMNS = (
    "need_id",
    "agency_id",
    "category",
    "description",
    "quantity",
    "max_unit_price",
    "required_certs",
    "needed_by",
    "region",
)
ALLOCATION_COLUMNS = ("need_id", "offer_id", "quantity")

T = TypeVar("T")


class _RowReader:
    """Parses the cells of one row, collecting errors instead of stopping at the first."""

    def __init__(self, file: str, line: int, row: dict[str, str], errors: list[RowError]) -> None:
        self.file = file
        self.line = line
        self.row = row
        self.errors = errors
        self.ok = True

    def get(self, column: str, parse: Callable[[str], T], default: T) -> T:
        raw = self.row.get(column)
        try:
            return parse(raw if raw is not None else "")
        except ValueError as exc:
            self.error(column, str(exc))
            return default

    def text(self, column: str, *, required: bool = True) -> str:
        value = (self.row.get(column) or "").strip()
        if required and not value:
            self.error(column, "wajib diisi")
        return value

    def error(self, column: str, reason: str) -> None:
        self.ok = False
        self.errors.append(RowError(self.file, self.line, column, reason))


def _read_csv(
    folder: Path, name: str, columns: Sequence[str], errors: list[RowError]
) -> list[tuple[int, dict[str, str]]] | None:
    path = folder / name
    if not path.is_file():
        errors.append(RowError(name, 0, "-", "berkas tidak ditemukan"))
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in columns if c not in header]
        if missing:
            for column in missing:
                errors.append(RowError(name, 1, column, "kolom tidak ada"))
            return None
        reader.fieldnames = header
        rows: list[tuple[int, dict[str, str]]] = []
        for line, row in enumerate(reader, start=2):
            rows.append((line, {k: (v or "") for k, v in row.items() if k is not None}))
        return rows


def _duplicate(reader: _RowReader, seen: set[str], column: str, key: str) -> None:
    if key in seen:
        reader.error(column, f"id ganda: {key!r}")
    seen.add(key)


def read_suppliers(folder: Path, errors: list[RowError]) -> list[Supplier]:
    out: list[Supplier] = []
    rows = _read_csv(folder, "suppliers.csv", SUPPLIER_COLUMNS, errors)
    seen: set[str] = set()
    for line, row in rows or []:
        r = _RowReader("suppliers.csv", line, row, errors)
        supplier = Supplier(
            supplier_id=r.text("supplier_id"),
            name=r.text("name"),
            nib=r.get("nib", parse_nib, ""),
            size_class=r.get("size_class", parse_size_class, "mikro"),
            is_koperasi=r.get("is_koperasi", parse_bool, False),
            region=r.text("region"),
            kecamatan=r.text("kecamatan"),
            is_local=r.get("is_local", parse_bool, False),
            verified=r.get("verified", parse_bool, False),
            certs=r.get("certs", parse_certs, frozenset()),
        )
        _duplicate(r, seen, "supplier_id", supplier.supplier_id)
        if r.ok:
            out.append(supplier)
    return out


def read_offers(folder: Path, errors: list[RowError], supplier_ids: set[str]) -> list[Offer]:
    out: list[Offer] = []
    rows = _read_csv(folder, "offers.csv", OFFER_COLUMNS, errors)
    seen: set[str] = set()
    for line, row in rows or []:
        r = _RowReader("offers.csv", line, row, errors)
        offer = Offer(
            offer_id=r.text("offer_id"),
            supplier_id=r.text("supplier_id"),
            category=r.get("category", parse_category, ""),
            name=r.text("name", required=False),
            unit=r.text("unit", required=False),
            unit_price=r.get("unit_price", parse_rupiah, 0),
            capacity=r.get("capacity", lambda v: parse_int(v, minimum=0), 0),
            min_order_qty=r.get("min_order_qty", lambda v: parse_int(v, minimum=0), 0),
            lead_time_days=r.get("lead_time_days", lambda v: parse_int(v, minimum=0), 0),
        )
        _duplicate(r, seen, "offer_id", offer.offer_id)
        if offer.supplier_id and supplier_ids and offer.supplier_id not in supplier_ids:
            r.error("supplier_id", f"penyedia tidak dikenal: {offer.supplier_id!r}")
        if r.ok:
            out.append(offer)
    return out


def read_agencies(folder: Path, errors: list[RowError]) -> list[Agency]:
    out: list[Agency] = []
    rows = _read_csv(folder, "agencies.csv", AGENCY_COLUMNS, errors)
    seen: set[str] = set()
    for line, row in rows or []:
        r = _RowReader("agencies.csv", line, row, errors)
        agency = Agency(
            agency_id=r.text("agency_id"),
            name=r.text("name", required=False),
            budget=r.get("budget", lambda v: parse_rupiah(v, allow_zero=True), 0),
        )
        _duplicate(r, seen, "agency_id", agency.agency_id)
        if r.ok:
            out.append(agency)
    return out


def read_needs(folder: Path, errors: list[RowError], agency_ids: set[str]) -> list[Need]:
    out: list[Need] = []
    rows = _read_csv(folder, "needs.csv", NEED_COLUMNS, errors)
    seen: set[str] = set()
    for line, row in rows or []:
        r = _RowReader("needs.csv", line, row, errors)
        need = Need(
            need_id=r.text("need_id"),
            agency_id=r.text("agency_id"),
            category=r.get("category", parse_category, ""),
            description=r.text("description", required=False),
            quantity=r.get("quantity", lambda v: parse_int(v, minimum=0), 0),
            max_unit_price=r.get("max_unit_price", parse_rupiah, 0),
            required_certs=r.get("required_certs", parse_certs, frozenset()),
            needed_by=r.get("needed_by", parse_date, _EPOCH),
            region=r.text("region", required=False),
        )
        _duplicate(r, seen, "need_id", need.need_id)
        if need.agency_id and agency_ids and need.agency_id not in agency_ids:
            r.error("agency_id", f"instansi tidak dikenal: {need.agency_id!r}")
        if r.ok:
            out.append(need)
    return out


_EPOCH = parse_date("1970-01-01")


def read_policy(folder: Path, errors: list[RowError]) -> Policy | None:
    name = "policy.json"
    path = folder / name
    if not path.is_file():
        errors.append(RowError(name, 0, "-", "berkas tidak ditemukan"))
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        errors.append(RowError(name, exc.lineno, "-", f"JSON tidak valid: {exc.msg}"))
        return None
    if not isinstance(data, dict):
        errors.append(RowError(name, 1, "-", "harus berupa objek JSON"))
        return None
    before = len(errors)
    today = parse_date("1970-01-01")
    if "today" not in data:
        errors.append(RowError(name, 1, "today", "wajib diisi"))
    else:
        try:
            today = parse_date(str(data["today"]))
        except ValueError as exc:
            errors.append(RowError(name, 1, "today", str(exc)))
    k = data.get("max_suppliers_per_need", 3)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        errors.append(RowError(name, 1, "max_suppliers_per_need", "harus bilangan bulat >= 1"))
    cap = data.get("max_supplier_value")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 0):
        errors.append(RowError(name, 1, "max_supplier_value", "harus rupiah bulat >= 0"))
    if len(errors) > before:
        return None
    return Policy(today=today, max_suppliers_per_need=int(k), max_supplier_value=cap)


def read_instance(folder: Path | str) -> Instance:
    """The instance in ``folder``; raises :class:`RowErrors` listing every problem."""
    root = Path(folder)
    errors: list[RowError] = []
    if not root.is_dir():
        raise RowErrors([RowError(str(root), 0, "-", "folder tidak ditemukan")])
    suppliers = read_suppliers(root, errors)
    offers = read_offers(root, errors, {s.supplier_id for s in suppliers})
    agencies = read_agencies(root, errors)
    needs = read_needs(root, errors, {a.agency_id for a in agencies})
    policy = read_policy(root, errors)
    if errors or policy is None:
        raise RowErrors(errors)
    return Instance(tuple(suppliers), tuple(offers), tuple(agencies), tuple(needs), policy)


def read_allocation(path: Path | str) -> list[AllocationLine]:
    """allocation.csv rows (need_id, offer_id, quantity); raises :class:`RowErrors`."""
    file = Path(path)
    errors: list[RowError] = []
    rows = _read_csv(file.parent, file.name, ALLOCATION_COLUMNS, errors)
    lines: list[AllocationLine] = []
    for line, row in rows or []:
        r = _RowReader(file.name, line, row, errors)
        item = AllocationLine(
            need_id=r.text("need_id"),
            offer_id=r.text("offer_id"),
            quantity=r.get("quantity", lambda v: parse_int(v, minimum=0), 0),
        )
        if r.ok:
            lines.append(item)
    if errors:
        raise RowErrors(errors)
    return lines


def write_allocation(path: Path | str, lines: Iterable[AllocationLine]) -> None:
    """allocation.csv with rows of positive quantity, sorted by need then offer."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ALLOCATION_COLUMNS)
        for item in sorted(lines, key=lambda x: (x.need_id, x.offer_id)):
            if item.quantity > 0:
                writer.writerow([item.need_id, item.offer_id, item.quantity])


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _write_rows(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def write_instance(instance: Instance, folder: Path | str) -> None:
    """The instance as a spec folder (created if missing); ``read_instance`` reads it back
    equal. The one writer of the format: plans, demo data and scenarios use it."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    _write_rows(
        root / "suppliers.csv",
        SUPPLIER_COLUMNS,
        (
            (
                s.supplier_id,
                s.name,
                s.nib,
                s.size_class,
                _flag(s.is_koperasi),
                s.region,
                s.kecamatan,
                _flag(s.is_local),
                _flag(s.verified),
                format_certs(s.certs),
            )
            for s in instance.suppliers
        ),
    )
    _write_rows(
        root / "offers.csv",
        OFFER_COLUMNS,
        (
            (
                o.offer_id,
                o.supplier_id,
                o.category,
                o.name,
                o.unit,
                o.unit_price,
                o.capacity,
                o.min_order_qty,
                o.lead_time_days,
            )
            for o in instance.offers
        ),
    )
    _write_rows(
        root / "agencies.csv",
        AGENCY_COLUMNS,
        ((a.agency_id, a.name, a.budget) for a in instance.agencies),
    )
    _write_rows(
        root / "needs.csv",
        NEED_COLUMNS,
        (
            (
                n.need_id,
                n.agency_id,
                n.category,
                n.description,
                n.quantity,
                n.max_unit_price,
                format_certs(n.required_certs),
                n.needed_by.isoformat(),
                n.region,
            )
            for n in instance.needs
        ),
    )
    policy: dict[str, object] = {
        "today": instance.policy.today.isoformat(),
        "max_suppliers_per_need": instance.policy.max_suppliers_per_need,
    }
    if instance.policy.max_supplier_value is not None:
        policy["max_supplier_value"] = instance.policy.max_supplier_value
    (root / "policy.json").write_text(json.dumps(policy, indent=2) + "\n", encoding="utf-8")
