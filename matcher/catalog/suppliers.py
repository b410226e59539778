"""Supplier services: create, update (with the identity-field rule), list."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.catalog.repository import SupplierRepository
from matcher.catalog.schemas import IDENTITY_FIELDS, SupplierCreate, SupplierUpdate
from matcher.catalog.verification import record_initial_status
from matcher.errors import Conflict, FieldError, Forbidden, InvalidInput
from matcher.models import Supplier, VerificationStatus
from matcher.models.enums import SizeClass


def create_supplier(session: Session, principal: Principal, data: SupplierCreate) -> Supplier:
    if not principal.is_admin:
        raise Forbidden("Hanya tim pengelola yang dapat mendaftarkan penyedia")
    if session.scalar(select(Supplier.id).where(Supplier.code == data.code)) is not None:
        raise Conflict(
            f"Kode penyedia {data.code} sudah dipakai",
            errors=[FieldError(("body", "code"), "sudah dipakai")],
        )
    supplier = Supplier(**data.model_dump(), status=VerificationStatus.PENDING)
    session.add(supplier)
    session.flush()
    record_initial_status(session, principal, supplier, "didaftarkan")
    return supplier


def update_supplier(
    session: Session, principal: Principal, supplier_id: int, data: SupplierUpdate
) -> Supplier:
    supplier = SupplierRepository(session).get_writable(principal, supplier_id)
    changes = data.model_dump(exclude_unset=True)
    if not principal.is_admin:
        locked = sorted(IDENTITY_FIELDS & changes.keys())
        if locked:
            raise Forbidden(
                "Data identitas usaha hanya dapat diubah oleh tim pengelola",
                errors=[FieldError(("body", name), "hanya admin") for name in locked],
            )
    for name, value in changes.items():
        if name in IDENTITY_FIELDS and value is None:
            raise InvalidInput(
                f"{name} tidak boleh kosong",
                errors=[FieldError(("body", name), "tidak boleh kosong")],
            )
        setattr(supplier, name, value)
    session.flush()
    return supplier


def list_statement(
    session: Session,
    principal: Principal,
    *,
    status: VerificationStatus | None = None,
    kecamatan: str | None = None,
    size_class: SizeClass | None = None,
    is_koperasi: bool | None = None,
    search: str | None = None,
) -> Select[Supplier]:
    statement = SupplierRepository(session).readable(principal)
    if status is not None:
        statement = statement.where(Supplier.status == status)
    if kecamatan:
        statement = statement.where(Supplier.kecamatan == kecamatan)
    if size_class is not None:
        statement = statement.where(Supplier.size_class == size_class)
    if is_koperasi is not None:
        statement = statement.where(Supplier.is_koperasi.is_(is_koperasi))
    if search:
        statement = statement.where(Supplier.name.ilike(f"%{search.strip()}%"))
    return statement.order_by(Supplier.id)
