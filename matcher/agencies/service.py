"""Agency services: create, update (tim pengelola only), list."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from matcher.agencies.repository import AgencyRepository
from matcher.agencies.schemas import REQUIRED_FIELDS, AgencyCreate, AgencyUpdate
from matcher.auth.principal import Principal
from matcher.errors import Conflict, FieldError, Forbidden, InvalidInput
from matcher.models import Agency
from matcher.money import format_rupiah


def create_agency(session: Session, principal: Principal, data: AgencyCreate) -> Agency:
    if not principal.is_admin:
        raise Forbidden("Hanya tim pengelola yang dapat mendaftarkan perangkat daerah")
    if session.scalar(select(Agency.id).where(Agency.code == data.code)) is not None:
        raise Conflict(
            f"Kode perangkat daerah {data.code} sudah dipakai",
            errors=[FieldError(("body", "code"), "sudah dipakai")],
        )
    agency = Agency(**data.model_dump())
    session.add(agency)
    session.flush()
    return agency


def update_agency(
    session: Session, principal: Principal, agency_id: int, data: AgencyUpdate
) -> Agency:
    """An agency outside the principal's scope is 404; one it may read but not change, 403."""
    agency = AgencyRepository(session).get_readable(principal, agency_id)
    if not principal.is_admin:
        raise Forbidden("Hanya tim pengelola yang dapat mengubah data perangkat daerah")
    changes = data.model_dump(exclude_unset=True)
    empty = sorted(name for name in REQUIRED_FIELDS & changes.keys() if changes[name] is None)
    if empty:
        raise InvalidInput(
            f"{', '.join(empty)} tidak boleh kosong",
            errors=[FieldError(("body", name), "tidak boleh kosong") for name in empty],
        )
    for name, value in changes.items():
        setattr(agency, name, value)
    session.flush()
    if "budget" in changes:
        _check_budget_covers_commitments(session, agency)
    return agency


def _check_budget_covers_commitments(session: Session, agency: Agency) -> None:
    """A budget may not drop below what approved orders already hold. Read after the row is
    written, so an order reserving concurrently either waits for this transaction (and then
    sees the new budget) or is already counted here."""
    committed = session.scalar(select(Agency.committed_amount).where(Agency.id == agency.id))
    if committed is not None and agency.budget < committed:
        raise Conflict(
            "Anggaran tidak boleh kurang dari yang sudah terikat pesanan "
            f"({format_rupiah(committed)})",
            errors=[FieldError(("body", "budget"), f"minimal {committed}")],
        )


def list_statement(
    session: Session,
    principal: Principal,
    *,
    fiscal_year: int | None = None,
    search: str | None = None,
) -> Select[Agency]:
    statement = AgencyRepository(session).readable(principal)
    if fiscal_year is not None:
        statement = statement.where(Agency.fiscal_year == fiscal_year)
    if search:
        pattern = f"%{search.strip()}%"
        statement = statement.where(Agency.name.ilike(pattern) | Agency.code.ilike(pattern))
    return statement.order_by(Agency.id)
