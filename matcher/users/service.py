"""Creating and changing user accounts. Role bindings: an officer belongs to one agency,
a supplier user to one supplier, the other roles to neither."""

from __future__ import annotations

from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.auth.security import check_password_policy, hash_password
from matcher.errors import Conflict, FieldError, InvalidInput, NotFound
from matcher.models import Agency, Role, Supplier, User

_email = TypeAdapter(EmailStr)


def normalise_email(email: str) -> str:
    try:
        return str(_email.validate_python(email.strip())).lower()
    except ValidationError:
        raise InvalidInput(
            f"Alamat e-mail tidak valid: {email!r}",
            errors=[FieldError(("body", "email"), "tidak valid")],
        ) from None


def create_user(
    session: Session,
    *,
    email: str,
    role: Role,
    password: str,
    agency_id: int | None = None,
    supplier_id: int | None = None,
    full_name: str = "",
) -> User:
    email = normalise_email(email)
    check_password_policy(password)
    if role == Role.OFFICER and agency_id is None:
        raise InvalidInput(
            "Pengguna officer harus terikat pada satu perangkat daerah",
            errors=[FieldError(("body", "agency_id"), "wajib untuk officer")],
        )
    if role == Role.SUPPLIER and supplier_id is None:
        raise InvalidInput(
            "Pengguna supplier harus terikat pada satu penyedia",
            errors=[FieldError(("body", "supplier_id"), "wajib untuk supplier")],
        )
    if role != Role.OFFICER and agency_id is not None:
        raise InvalidInput(
            "Hanya officer yang terikat pada perangkat daerah",
            errors=[FieldError(("body", "agency_id"), "hanya untuk officer")],
        )
    if role != Role.SUPPLIER and supplier_id is not None:
        raise InvalidInput(
            "Hanya pengguna supplier yang terikat pada penyedia",
            errors=[FieldError(("body", "supplier_id"), "hanya untuk supplier")],
        )
    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise NotFound(
            f"Perangkat daerah {agency_id} tidak ditemukan",
            errors=[FieldError(("body", "agency_id"), "tidak ditemukan")],
        )
    if supplier_id is not None and session.get(Supplier, supplier_id) is None:
        raise NotFound(
            f"Penyedia {supplier_id} tidak ditemukan",
            errors=[FieldError(("body", "supplier_id"), "tidak ditemukan")],
        )
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(
            f"E-mail {email} sudah terdaftar",
            errors=[FieldError(("body", "email"), "sudah terdaftar")],
        )
    user = User(
        email=email,
        full_name=full_name,
        hashed_password=hash_password(password),
        role=role,
        agency_id=agency_id,
        supplier_id=supplier_id,
    )
    session.add(user)
    session.flush()
    return user


def _resolve(session: Session, model: type[Agency] | type[Supplier], reference: str) -> int:
    """An id or a code of an agency or supplier."""
    row_id: int | None = None
    if reference.isdigit():
        row_id = session.scalar(select(model.id).where(model.id == int(reference)))
    if row_id is None:
        row_id = session.scalar(select(model.id).where(model.code == reference))
    if row_id is None:
        label = "Perangkat daerah" if model is Agency else "Penyedia"
        raise NotFound(f"{label} {reference!r} tidak ditemukan")
    return row_id


def resolve_agency_id(session: Session, reference: str) -> int:
    """An agency by id or code (CLI arguments)."""
    return _resolve(session, Agency, reference)


def resolve_supplier_id(session: Session, reference: str) -> int:
    """A supplier by id or code (CLI arguments)."""
    return _resolve(session, Supplier, reference)


def create_user_by_reference(
    session: Session,
    *,
    email: str,
    role: str,
    password: str,
    agency: str | None,
    supplier: str | None,
    full_name: str = "",
) -> User:
    """The CLI's form: role by name, agency and supplier by id or code."""
    try:
        parsed_role = Role(role.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"Peran tidak dikenal: {role!r} (pilihan: {', '.join(r.value for r in Role)})",
            errors=[FieldError(("role",), "tidak dikenal")],
        ) from None
    return create_user(
        session,
        email=email,
        role=parsed_role,
        password=password,
        agency_id=_resolve(session, Agency, agency) if agency else None,
        supplier_id=_resolve(session, Supplier, supplier) if supplier else None,
        full_name=full_name,
    )
