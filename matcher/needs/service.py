"""Need intake and the need state machine.

States: draft -> submitted -> planned -> ordered -> fulfilled; cancelled from draft,
submitted or planned. Required certificates default from the category (taxonomy.csv) plus the
dated policy rules in force on the needed-by date (halal for food from 17 October 2026); an
officer may add certificates and drop category defaults, but never a mandatory one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.catalog.taxonomy import CERTIFICATE_TYPES, get_category
from matcher.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from matcher.models import Agency, Need, NeedStatus, Role
from matcher.needs.repository import NeedRepository
from matcher.needs.schemas import NeedCreate, NeedUpdate
from matcher.policy import ProcurementPolicy, policy_on

N = NeedStatus
TRANSITIONS: dict[str, tuple[frozenset[NeedStatus], NeedStatus]] = {
    "submit": (frozenset({N.DRAFT}), N.SUBMITTED),
    "withdraw": (frozenset({N.SUBMITTED}), N.DRAFT),
    "cancel": (frozenset({N.DRAFT, N.SUBMITTED, N.PLANNED}), N.CANCELLED),
    "plan": (frozenset({N.SUBMITTED, N.PLANNED}), N.PLANNED),
    "order": (frozenset({N.PLANNED, N.SUBMITTED}), N.ORDERED),
    "fulfil": (frozenset({N.ORDERED}), N.FULFILLED),
}
EDITABLE = frozenset({N.DRAFT, N.SUBMITTED})


def resolve_required_certs(
    category: str,
    needed_by: date,
    requested: list[str] | None,
    policy: ProcurementPolicy | None = None,
    *,
    loc: tuple[str | int, ...] = ("body", "required_certs"),
) -> list[str]:
    """The certificates a need requires, in the taxonomy's order."""
    policy = policy or policy_on(needed_by)
    defaults = policy.required_certificates(category, needed_by)
    mandatory = {
        rule.certificate for rule in policy.certificate_rules if rule.applies(category, needed_by)
    }
    if requested is None:
        chosen = set(defaults)
    else:
        chosen = {str(c) for c in requested}
        missing = sorted(mandatory - chosen)
        if missing:
            raise InvalidInput(
                f"Sertifikat {', '.join(missing)} wajib untuk kategori {category} "
                f"per {needed_by.isoformat()} dan tidak boleh dihapus",
                errors=[FieldError(loc, f"wajib: {', '.join(missing)}")],
            )
    return [c for c in CERTIFICATE_TYPES if c in chosen]


def _agency_for(session: Session, principal: Principal, agency_id: int | None) -> Agency:
    if principal.role == Role.OFFICER:
        agency_id = agency_id if agency_id is not None else principal.agency_id
        if agency_id != principal.agency_id:
            raise NotFound(
                f"Perangkat daerah {agency_id} tidak ditemukan",
                errors=[FieldError(("body", "agency_id"), "tidak ditemukan")],
            )
    elif not principal.is_admin:
        raise Forbidden("Hanya pejabat pengadaan atau admin yang dapat mencatat kebutuhan")
    if agency_id is None:
        raise InvalidInput(
            "agency_id wajib diisi", errors=[FieldError(("body", "agency_id"), "wajib diisi")]
        )
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(
            f"Perangkat daerah {agency_id} tidak ditemukan",
            errors=[FieldError(("body", "agency_id"), "tidak ditemukan")],
        )
    return agency


def _check_needed_by(needed_by: date, today: date) -> None:
    if needed_by < today:
        raise InvalidInput(
            f"Tanggal dibutuhkan {needed_by.isoformat()} sudah lewat",
            errors=[FieldError(("body", "needed_by"), "tidak boleh sebelum hari ini")],
        )


def create_need(session: Session, principal: Principal, data: NeedCreate, *, today: date) -> Need:
    agency = _agency_for(session, principal, data.agency_id)
    _check_needed_by(data.needed_by, today)
    if data.code and session.scalar(select(Need.id).where(Need.code == data.code)) is not None:
        raise Conflict(
            f"Kode kebutuhan {data.code} sudah dipakai",
            errors=[FieldError(("body", "code"), "sudah dipakai")],
        )
    need = Need(
        code=data.code or f"tmp-{datetime.now(UTC).timestamp()}",
        agency_id=agency.id,
        category=data.category,
        description=data.description,
        quantity=data.quantity,
        unit=data.unit or get_category(data.category).unit,
        max_unit_price=data.max_unit_price,
        required_certs=resolve_required_certs(
            data.category,
            data.needed_by,
            [c.value for c in data.required_certs] if data.required_certs is not None else None,
        ),
        needed_by=data.needed_by,
        region=data.region,
        budget_line=data.budget_line,
        notes=data.notes,
        status=N.DRAFT,
        created_by_user_id=principal.user_id,
    )
    session.add(need)
    session.flush()
    if not data.code:
        need.code = f"N{need.id:06d}"
    if data.submit:
        transition(session, principal, need, "submit")
    session.flush()
    return need


def update_need(
    session: Session, principal: Principal, need_id: int, data: NeedUpdate, *, today: date
) -> Need:
    need = NeedRepository(session).get_writable(principal, need_id)
    if need.status not in EDITABLE:
        raise InvalidTransition(
            f"Kebutuhan berstatus '{need.status.value}' tidak dapat diubah",
            current_state=need.status.value,
        )
    changes = data.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name in {
            "description",
            "quantity",
            "unit",
            "max_unit_price",
            "needed_by",
            "region",
        }:
            raise InvalidInput(
                f"{name} tidak boleh kosong",
                errors=[FieldError(("body", name), "tidak boleh kosong")],
            )
    if "needed_by" in changes:
        _check_needed_by(changes["needed_by"], today)
    for name, value in changes.items():
        if name != "required_certs":
            setattr(need, name, value)
    requested = (
        [str(c) for c in changes["required_certs"]]
        if changes.get("required_certs") is not None
        else (list(need.required_certs) if "needed_by" in changes else None)
    )
    if requested is not None or "needed_by" in changes:
        need.required_certs = resolve_required_certs(need.category, need.needed_by, requested)
    session.flush()
    return need


def transition(session: Session, principal: Principal, need: Need, action: str) -> Need:
    """Move a need through its states; a wrong state is a 409 naming the current state."""
    if action not in TRANSITIONS:
        raise InvalidInput(f"Tindakan tidak dikenal: {action}")
    if action in {"submit", "withdraw", "cancel"} and not (
        principal.is_admin or principal.belongs_to_agency(need.agency_id)
    ):
        raise NotFound(f"Kebutuhan {need.id} tidak ditemukan")
    sources, target = TRANSITIONS[action]
    if need.status not in sources:
        raise InvalidTransition(
            f"Kebutuhan berstatus '{need.status.value}' tidak dapat di-{action}",
            current_state=need.status.value,
        )
    need.status = target
    if target == N.SUBMITTED:
        need.submitted_at = datetime.now(UTC)
    session.flush()
    return need


def list_statement(
    session: Session,
    principal: Principal,
    *,
    status: NeedStatus | None = None,
    agency_id: int | None = None,
    category: str | None = None,
) -> Select[Need]:
    statement = NeedRepository(session).readable(principal)
    if status is not None:
        statement = statement.where(Need.status == status)
    if agency_id is not None:
        statement = statement.where(Need.agency_id == agency_id)
    if category:
        statement = statement.where(Need.category == category.upper())
    return statement.order_by(Need.id)
