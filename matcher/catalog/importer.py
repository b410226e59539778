"""Catalogue import: suppliers, offers and agencies from the spec's tables into the database.

``import_catalogue`` validates every row (``matcher.catalog.rows``), then upserts the valid
ones by their public code in bulk, inside the caller's transaction (it flushes, never
commits). Rules beyond the field rules:

* suppliers.csv ``supplier_id`` is ``Supplier.code``. A new supplier is ``verified`` when the
  ``verified`` column is true, else ``pending``. On update the column only moves a supplier
  between pending and verified: a rejected or suspended supplier keeps its status. Every
  status set or changed by an import is recorded as a verification event with the reason
  "impor katalog".
* ``certs`` become certificates numbered ``IMPOR-<type>`` without expiry when the supplier
  holds no certificate of that type (whatever its validity). A certificate type absent from
  the file is removed only when the import created it (number ``IMPOR-<type>``); certificates
  entered with a real number are never removed by an import.
* offers.csv ``offer_id`` is ``Offer.code``. New offers are ``verified`` and active: the
  importer is the tim pengelola, so an imported offer is a verified one. An update changes
  the offer's fields through ``apply_changes`` (recording the offer history, source
  ``import``) and never its status. An offer cannot move to another supplier by import.
  The supplier must be a valid row of the same import or exist in the database; offers of a
  rejected supplier row are rejected with that row's reason.
* agencies.csv ``agency_id`` is ``Agency.code``; the optional ``fiscal_year`` column sets
  the fiscal year (a new agency without it gets the current year; an existing one keeps its).

A row whose values equal the database's counts as unchanged and is not written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, insert, select
from sqlalchemy import Table as SqlTable
from sqlalchemy.orm import Session

from matcher.catalog.offers import apply_changes
from matcher.catalog.rows import (
    AgencyRow,
    OfferRow,
    SupplierRow,
    Validated,
    validate_agencies,
    validate_offers,
    validate_suppliers,
)
from matcher.catalog.tabular import AGENCIES, OFFERS, SUPPLIERS, Source, Table
from matcher.errors import RowError
from matcher.models import (
    Agency,
    Certificate,
    CertificateType,
    ChangeSource,
    Offer,
    Supplier,
    VerifiableEntity,
    VerificationEvent,
    VerificationStatus,
)
from matcher.models.base import utcnow

IMPORT_REASON = "impor katalog"
IMPORT_CERT_PREFIX = "IMPOR-"
AUDIT_ENTITY = "catalog_import"
# Bound parameters per IN (...) query: well under every backend's limit.
CHUNK = 900

SUPPLIER_FIELDS: tuple[str, ...] = (
    "name",
    "nib",
    "size_class",
    "is_koperasi",
    "region",
    "kecamatan",
    "is_local",
)
OFFER_FIELDS: tuple[str, ...] = (
    "category",
    "name",
    "unit",
    "unit_price",
    "capacity",
    "min_order_qty",
    "lead_time_days",
)

T = TypeVar("T")


def import_certificate_number(cert_type: str) -> str:
    return f"{IMPORT_CERT_PREFIX}{cert_type}"


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows


@dataclass
class ImportReport:
    """What an import did. ``rejected`` lists one entry per column at fault; a file that
    could not be read at all has an entry with row 0 (the file) or 1 (its header)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    files: dict[str, Counts] = field(default_factory=dict)
    # False when nothing could be read (no file, unreadable files): exit status 2.
    readable: bool = True

    @classmethod
    def nothing_read(cls, errors: Sequence[RowError]) -> ImportReport:
        return cls(rejected=list(errors), readable=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [error.as_dict() for error in self.rejected],
        }

    @property
    def rejected_rows(self) -> int:
        return len({(e.file, e.row) for e in self.rejected})

    @property
    def exit_code(self) -> int:
        """0 when every row was accepted, 1 when some were rejected, 2 when nothing could
        be read."""
        if not self.readable:
            return 2
        return 1 if self.rejected else 0

    def _counts(self, table: Table) -> Counts:
        return self.files.setdefault(table.label, Counts())

    def inserted_row(self, table: Table) -> None:
        self.inserted += 1
        self._counts(table).inserted += 1

    def updated_row(self, table: Table) -> None:
        self.updated += 1
        self._counts(table).updated += 1

    def unchanged_row(self, table: Table) -> None:
        self.unchanged += 1
        self._counts(table).unchanged += 1

    def reject(self, table: Table, errors: Sequence[RowError]) -> None:
        self.rejected.extend(errors)
        self._counts(table).rejected += len({e.row for e in errors})


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_catalogue(
    session: Session,
    source: Source,
    *,
    actor_user_id: int | None = None,
    today: date | None = None,
) -> ImportReport:
    """Validate and upsert the tables of ``source``; returns the report. Flushes only: the
    caller's unit of work commits (or rolls everything back)."""
    if today is None:
        from matcher.clock import today as clock_today

        today = clock_today()
    return _Importer(session, actor_user_id, today).run(source)


class _Importer:
    def __init__(self, session: Session, actor_user_id: int | None, today: date) -> None:
        self.session = session
        self.actor_user_id = actor_user_id
        self.today = today
        self.report = ImportReport()
        self.now = utcnow()

    def run(self, source: Source) -> ImportReport:
        self.report.rejected.extend(source.errors)
        tables = {table.kind: table for table in source.tables}
        for table in source.tables:
            self.report.files.setdefault(table.label, Counts())
        suppliers: Validated[SupplierRow] | None = None
        if SUPPLIERS in tables:
            suppliers = validate_suppliers(tables[SUPPLIERS])
            self.report.reject(suppliers.table, suppliers.errors)
        supplier_ids = self._suppliers(suppliers) if suppliers else {}
        if OFFERS in tables:
            offers = validate_offers(tables[OFFERS])
            self.report.reject(offers.table, offers.errors)
            self._offers(offers, suppliers, supplier_ids)
        if AGENCIES in tables:
            agencies = validate_agencies(tables[AGENCIES])
            self.report.reject(agencies.table, agencies.errors)
            self._agencies(agencies)
        self.session.flush()
        self.report.rejected.sort(key=lambda e: (_file_order(e.file), e.row))
        self._audit()
        return self.report

    def _audit(self) -> None:
        """One audit entry for the import as a whole: its bulk inserts bypass the ORM (and
        so the per-row audit listener); its ORM updates are audited row by row."""
        from matcher.audit import record

        record(
            self.session,
            AUDIT_ENTITY,
            None,
            "import",
            after={
                "inserted": self.report.inserted,
                "updated": self.report.updated,
                "unchanged": self.report.unchanged,
                "rejected_rows": self.report.rejected_rows,
                "files": {
                    label: [c.inserted, c.updated, c.unchanged, c.rejected]
                    for label, c in self.report.files.items()
                },
            },
        )

    # -- helpers ---------------------------------------------------------------------

    def _event(
        self,
        entity_type: VerifiableEntity,
        entity_id: int,
        from_status: VerificationStatus | None,
        to_status: VerificationStatus,
    ) -> dict[str, Any]:
        return {
            "entity_type": entity_type,
            "entity_id": entity_id,
            "from_status": from_status,
            "to_status": to_status,
            "reason": IMPORT_REASON,
            "actor_user_id": self.actor_user_id,
            "at": self.now,
        }

    def _insert(self, model: type[Any], rows: list[dict[str, Any]]) -> None:
        """INSERT many rows through the driver's executemany, the bulk path of large imports.

        Each value still goes through its column type's bind processor (enum to text,
        datetime to the SQLite text format, ...), memoised per column: the repeated values
        of an import (timestamps, statuses) are converted once instead of once per row. No
        ORM events fire, as with any bulk statement; every row has the same keys."""
        if not rows:
            return
        table: SqlTable = model.__table__
        connection = self.session.connection()
        dialect = connection.dialect
        names = list(rows[0])
        compiled = insert(table).compile(dialect=dialect, column_keys=names)
        # Columns the rows leave out whose Python-side default the statement binds (e.g. a
        # counter defaulting to 0): evaluated once, the same for every row.
        defaults: dict[str, Any] = {}
        for name in compiled.binds:
            if name not in rows[0]:
                default = table.c[name].default
                if default is None or not (default.is_scalar or default.is_callable):
                    self.session.execute(insert(table), rows)
                    return
                arg = default.arg  # type: ignore[attr-defined]
                defaults[name] = arg if default.is_scalar else arg(None)
        if defaults:
            names += list(defaults)
            rows = [{**row, **defaults} for row in rows]
            compiled = insert(table).compile(dialect=dialect, column_keys=names)
        processors = {
            name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
        }
        # Column by column (faster than value by value), then zipped into the driver's rows.
        order = list(compiled.positiontup or ()) if dialect.positional else names
        columns: list[list[Any]] = []
        for name in order:
            values = [row[name] for row in rows]
            processor = processors[name]
            if processor is not None:
                memo: dict[Any, Any] = {}
                for value in set(values):
                    memo[value] = None if value is None else processor(value)
                values = [memo[value] for value in values]
            columns.append(values)
        params: list[Any] = list(zip(*columns, strict=True))
        if not dialect.positional:
            params = [dict(zip(order, values, strict=True)) for values in params]
        for chunk in _chunks(params, 10_000):
            connection.exec_driver_sql(compiled.string, list(chunk))

    def _insert_returning_ids(
        self, model: type[Supplier] | type[Offer], rows: list[dict[str, Any]]
    ) -> dict[str, int]:
        """Insert in bulk; the new ids by code."""
        self._insert(model, rows)
        found = self._load((model.id, model.code), model.code, (row["code"] for row in rows))
        return {code: record.id for code, record in found.items()}

    def _load(self, columns: Sequence[Any], key: Any, values: Iterable[Any]) -> dict[Any, Any]:
        """Rows of ``columns`` whose ``key`` is in ``values``, by key."""
        found: dict[Any, Any] = {}
        keys = sorted(set(values))
        # Core execution on the session's connection: plain rows, no ORM loading overhead.
        # (The importer flushes its ORM changes before it reads again.)
        connection = self.session.connection()
        position = next(index for index, column in enumerate(columns) if column is key)
        for chunk in _chunks(keys):
            for row in connection.execute(select(*columns).where(key.in_(chunk))):
                found[row[position]] = row
        return found

    def _objects(self, model: type[T], ids: Iterable[int]) -> dict[int, T]:
        id_column: ColumnElement[int] = model.id  # type: ignore[attr-defined]
        found: dict[int, T] = {}
        for chunk in _chunks(sorted(ids)):
            for obj in self.session.scalars(select(model).where(id_column.in_(chunk))):
                found[obj.id] = obj  # type: ignore[attr-defined]
        return found

    # -- suppliers -------------------------------------------------------------------

    def _suppliers(self, validated: Validated[SupplierRow]) -> dict[str, int]:
        """Upsert valid supplier rows; returns the ids of the file's suppliers by code."""
        table, rows = validated.table, validated.rows
        if not rows:
            return {}
        existing = self._load(
            (Supplier.id, Supplier.code, Supplier.status, *_columns(Supplier, SUPPLIER_FIELDS)),
            Supplier.code,
            (row.code for row in rows),
        )
        held: dict[int, list[tuple[int, str, str]]] = {}
        existing_ids = [record.id for record in existing.values()]
        for chunk in _chunks(existing_ids):
            statement = select(
                Certificate.id, Certificate.supplier_id, Certificate.type, Certificate.number
            ).where(Certificate.supplier_id.in_(chunk))
            for cert_id, supplier_id, cert_type, number in self.session.execute(statement):
                held.setdefault(supplier_id, []).append((cert_id, cert_type.value, number))

        new_rows: list[SupplierRow] = []
        changes: dict[int, tuple[dict[str, Any], VerificationStatus | None]] = {}
        cert_inserts: list[dict[str, Any]] = []
        cert_deletes: list[int] = []
        for row in rows:
            record = existing.get(row.code)
            if record is None:
                new_rows.append(row)
                continue
            values = {
                name: getattr(row, name)
                for name in SUPPLIER_FIELDS
                if getattr(row, name) != getattr(record, name)
            }
            status = _next_status(record.status, row.verified)
            certs = held.get(record.id, [])
            held_types = {cert_type for _, cert_type, _ in certs}
            to_add = sorted(row.certs - held_types)
            to_remove = [
                cert_id
                for cert_id, cert_type, number in certs
                if number == import_certificate_number(cert_type) and cert_type not in row.certs
            ]
            cert_inserts.extend(self._certificate(record.id, cert_type) for cert_type in to_add)
            cert_deletes.extend(to_remove)
            if values or status is not None or to_add or to_remove:
                self.report.updated_row(table)
                if values or status is not None:
                    changes[record.id] = (values, status)
            else:
                self.report.unchanged_row(table)

        ids = {row.code: existing[row.code].id for row in rows if row.code in existing}
        if new_rows:
            new_ids = self._insert_returning_ids(
                Supplier,
                [
                    {
                        "code": row.code,
                        **{name: getattr(row, name) for name in SUPPLIER_FIELDS},
                        "status": _initial_status(row.verified),
                        "version": 1,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                    for row in new_rows
                ],
            )
            ids.update(new_ids)
            self._insert(
                VerificationEvent,
                [
                    self._event(
                        VerifiableEntity.SUPPLIER,
                        new_ids[row.code],
                        None,
                        _initial_status(row.verified),
                    )
                    for row in new_rows
                ],
            )
            for row in new_rows:
                cert_inserts.extend(
                    self._certificate(new_ids[row.code], cert_type)
                    for cert_type in sorted(row.certs)
                )
                self.report.inserted_row(table)

        events: list[dict[str, Any]] = []
        for supplier in self._objects(Supplier, changes).values():
            values, status = changes[supplier.id]
            for name, value in values.items():
                setattr(supplier, name, value)
            if status is not None:
                events.append(
                    self._event(VerifiableEntity.SUPPLIER, supplier.id, supplier.status, status)
                )
                supplier.status = status
                supplier.status_reason = IMPORT_REASON
        self.session.flush()
        self._insert(VerificationEvent, events)
        for chunk in _chunks(cert_deletes):
            self.session.execute(delete(Certificate).where(Certificate.id.in_(chunk)))
        self._insert(Certificate, cert_inserts)
        return ids

    def _certificate(self, supplier_id: int, cert_type: str) -> dict[str, Any]:
        return {
            "supplier_id": supplier_id,
            "type": CertificateType(cert_type),
            "number": import_certificate_number(cert_type),
            "issued_on": None,
            "valid_until": None,
            # Imports are the tim pengelola's (admin only): what they list is verified.
            "status": VerificationStatus.VERIFIED,
            "created_at": self.now,
            "updated_at": self.now,
        }

    # -- offers ----------------------------------------------------------------------

    def _offers(
        self,
        validated: Validated[OfferRow],
        suppliers: Validated[SupplierRow] | None,
        file_supplier_ids: dict[str, int],
    ) -> None:
        table = validated.table
        rows = validated.rows
        rejected_suppliers = suppliers.rejected if suppliers else {}
        supplier_label = suppliers.table.label if suppliers else "suppliers.csv"
        unknown = {
            row.supplier_code
            for row in rows
            if row.supplier_code not in file_supplier_ids
            and row.supplier_code not in rejected_suppliers
        }
        db_suppliers = {
            code: record.id
            for code, record in self._load(
                (Supplier.id, Supplier.code), Supplier.code, unknown
            ).items()
        }
        existing = self._load(
            (Offer.id, Offer.code, Offer.supplier_id, *_columns(Offer, OFFER_FIELDS)),
            Offer.code,
            (row.code for row in rows),
        )
        new_rows: list[tuple[OfferRow, int]] = []
        changes: dict[int, dict[str, Any]] = {}
        moved: list[tuple[OfferRow, int]] = []
        for row in rows:
            supplier_id = file_supplier_ids.get(row.supplier_code)
            if supplier_id is None and row.supplier_code in rejected_suppliers:
                line, reason = rejected_suppliers[row.supplier_code]
                self.report.reject(
                    table,
                    [
                        RowError(
                            table.label,
                            row.line,
                            "supplier_id",
                            f"penyedia {row.supplier_code} ditolak ({supplier_label} baris "
                            f"{line}: {reason})",
                        )
                    ],
                )
                continue
            if supplier_id is None:
                supplier_id = db_suppliers.get(row.supplier_code)
            if supplier_id is None:
                self.report.reject(
                    table,
                    [
                        RowError(
                            table.label,
                            row.line,
                            "supplier_id",
                            f"penyedia {row.supplier_code} tidak ada di {supplier_label} "
                            "maupun di katalog",
                        )
                    ],
                )
                continue
            record = existing.get(row.code)
            if record is None:
                new_rows.append((row, supplier_id))
                continue
            if record.supplier_id != supplier_id:
                moved.append((row, record.supplier_id))
                continue
            values = {
                name: getattr(row, name)
                for name in OFFER_FIELDS
                if getattr(row, name) != getattr(record, name)
            }
            if values:
                changes[record.id] = values
                self.report.updated_row(table)
            else:
                self.report.unchanged_row(table)

        if moved:
            owners = self._load(
                (Supplier.id, Supplier.code), Supplier.id, (owner for _, owner in moved)
            )
            for row, owner in moved:
                self.report.reject(
                    table,
                    [
                        RowError(
                            table.label,
                            row.line,
                            "supplier_id",
                            f"penawaran {row.code} milik penyedia {owners[owner].code}; "
                            "penawaran tidak dapat dipindah ke penyedia lain lewat impor",
                        )
                    ],
                )

        if new_rows:
            new_ids = self._insert_returning_ids(
                Offer,
                [
                    {
                        "code": row.code,
                        "supplier_id": supplier_id,
                        **{name: getattr(row, name) for name in OFFER_FIELDS},
                        "active": True,
                        "status": VerificationStatus.VERIFIED,
                        "version": 1,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                    for row, supplier_id in new_rows
                ],
            )
            self._insert(
                VerificationEvent,
                [
                    self._event(
                        VerifiableEntity.OFFER,
                        new_ids[row.code],
                        None,
                        VerificationStatus.VERIFIED,
                    )
                    for row, _ in new_rows
                ],
            )
            for _ in new_rows:
                self.report.inserted_row(table)

        for offer in self._objects(Offer, changes).values():
            apply_changes(
                self.session,
                offer,
                changes[offer.id],
                source=ChangeSource.IMPORT,
                actor_user_id=self.actor_user_id,
            )

    # -- agencies --------------------------------------------------------------------

    def _agencies(self, validated: Validated[AgencyRow]) -> None:
        table = validated.table
        rows = validated.rows
        existing = self._load(
            (Agency.id, Agency.code, Agency.name, Agency.budget, Agency.fiscal_year),
            Agency.code,
            (row.code for row in rows),
        )
        new: list[dict[str, Any]] = []
        changes: dict[int, dict[str, Any]] = {}
        for row in rows:
            record = existing.get(row.code)
            if record is None:
                new.append(
                    {
                        "code": row.code,
                        "name": row.name,
                        "budget": row.budget,
                        "fiscal_year": row.fiscal_year or self.today.year,
                        "version": 1,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                )
                self.report.inserted_row(table)
                continue
            wanted = {"name": row.name, "budget": row.budget}
            if row.fiscal_year is not None:
                wanted["fiscal_year"] = row.fiscal_year
            values = {
                name: value for name, value in wanted.items() if getattr(record, name) != value
            }
            if values:
                changes[record.id] = values
                self.report.updated_row(table)
            else:
                self.report.unchanged_row(table)
        self._insert(Agency, new)
        for agency in self._objects(Agency, changes).values():
            for name, value in changes[agency.id].items():
                setattr(agency, name, value)


def _columns(model: type[Any], names: Sequence[str]) -> list[Any]:
    return [getattr(model, name) for name in names]


def _initial_status(verified: bool) -> VerificationStatus:
    return VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING


def _next_status(current: VerificationStatus, verified: bool) -> VerificationStatus | None:
    """The status an import moves a supplier to, or None. Only pending <-> verified: a
    rejected or suspended supplier is never changed by an import."""
    if current == VerificationStatus.PENDING and verified:
        return VerificationStatus.VERIFIED
    if current == VerificationStatus.VERIFIED and not verified:
        return VerificationStatus.PENDING
    return None


def _file_order(label: str) -> int:
    from matcher.catalog.tabular import kind_of

    kind = kind_of(label)
    return (SUPPLIERS, OFFERS, AGENCIES).index(kind) if kind else -1
