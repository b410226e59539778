"""Creating and changing user accounts. Role bindings: an officer belongs to one agency,
a supplier user to one supplier, the other roles to neither."""

from __future__ import annotations

from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.auth.security import check_password_policy, hash_password, verify_password
from matcher.auth.service import revoke_tokens
from matcher.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from matcher.models import Agency, Role, Supplier, User
from matcher.users.repository import UserRepository
from matcher.users.schemas import UserUpdate

_email = TypeAdapter(EmailStr)


def normalise_email(email: str) -> str:
    try:
        return str(_email.validate_python(email.strip())).lower()
    except ValidationError:
        raise InvalidInput(
            f"Alamat e-mail tidak valid: {email!r}",
            errors=[FieldError(("body", "email"), "tidak valid")],
        ) from None


def check_role_binding(
    session: Session, role: Role, agency_id: int | None, supplier_id: int | None
) -> None:
    """An officer belongs to exactly one existing agency, a supplier user to exactly one
    existing supplier, every other role to neither. Problems name ``agency_id`` or
    ``supplier_id``."""
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
    check_role_binding(session, role, agency_id, supplier_id)
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


def update_user(session: Session, principal: Principal, user_id: int, data: UserUpdate) -> User:
    """Change name, active flag and role binding (tim pengelola only). The resulting role,
    agency and supplier must fit together; an administrator cannot demote or deactivate
    their own account (so the last one cannot lock everybody out)."""
    if not principal.is_admin:
        raise Forbidden("Hanya tim pengelola yang dapat mengubah akun pengguna")
    user = UserRepository(session).get_readable(principal, user_id)
    changes = data.model_dump(exclude_unset=True)
    empty = sorted(
        n for n in ("full_name", "is_active", "role") if n in changes and changes[n] is None
    )
    if empty:
        raise InvalidInput(
            f"{', '.join(empty)} tidak boleh kosong",
            errors=[FieldError(("body", name), "tidak boleh kosong") for name in empty],
        )
    if user.id == principal.user_id:
        if changes.get("is_active") is False:
            raise Conflict(
                "Anda tidak dapat menonaktifkan akun Anda sendiri",
                errors=[FieldError(("body", "is_active"), "akun sendiri")],
            )
        if "role" in changes and changes["role"] != Role.ADMIN:
            raise Conflict(
                "Anda tidak dapat mencabut peran admin dari akun Anda sendiri",
                errors=[FieldError(("body", "role"), "akun sendiri")],
            )
    if changes.keys() & {"role", "agency_id", "supplier_id"}:
        role = changes.get("role", user.role)
        agency_id = changes.get("agency_id", user.agency_id)
        supplier_id = changes.get("supplier_id", user.supplier_id)
        check_role_binding(session, role, agency_id, supplier_id)
    revoke = changes.get("is_active") is False or any(
        name in changes and changes[name] != getattr(user, name)
        for name in ("role", "agency_id", "supplier_id")
    )
    for name, value in changes.items():
        setattr(user, name, value)
    if revoke:
        revoke_tokens(user)
    session.flush()
    return user


def change_own_password(
    session: Session, principal: Principal, current_password: str, new_password: str
) -> None:
    """Any signed-in user, given the current password; the new one must meet the policy and
    differ from the current one."""
    user = session.get(User, principal.user_id) if principal.user_id is not None else None
    if user is None:
        raise NotFound("Pengguna tidak ditemukan")
    if not verify_password(current_password, user.hashed_password):
        raise InvalidInput(
            "Kata sandi saat ini salah",
            errors=[FieldError(("body", "current_password"), "salah")],
        )
    check_password_policy(new_password, loc=("body", "new_password"))
    if new_password == current_password:
        raise InvalidInput(
            "Kata sandi baru harus berbeda dari yang lama",
            errors=[FieldError(("body", "new_password"), "sama dengan yang lama")],
        )
    user.hashed_password = hash_password(new_password)
    revoke_tokens(user)
    session.flush()


def list_statement(
    session: Session,
    principal: Principal,
    *,
    role: Role | None = None,
    agency_id: int | None = None,
    supplier_id: int | None = None,
    is_active: bool | None = None,
    search: str | None = None,
) -> Select[User]:
    statement = UserRepository(session).readable(principal)
    if role is not None:
        statement = statement.where(User.role == role)
    if agency_id is not None:
        statement = statement.where(User.agency_id == agency_id)
    if supplier_id is not None:
        statement = statement.where(User.supplier_id == supplier_id)
    if is_active is not None:
        statement = statement.where(User.is_active.is_(is_active))
    if search:
        pattern = f"%{search.strip()}%"
        statement = statement.where(or_(User.email.ilike(pattern), User.full_name.ilike(pattern)))
    return statement.order_by(User.id)
