"""Writing the demo dataset to the database: bulk inserts in the caller's transaction.

``load_dataset`` refuses a database that already holds data (it never duplicates); it only
flushes, the caller's unit of work commits. All demo users share one Argon2 hash of
``DEMO_PASSWORD`` (hashing is deliberately slow, so it is done once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from matcher.auth.security import hash_password
from matcher.demo.data import DEMO_PASSWORD
from matcher.demo.generate import DemoDataset, StatusEvent
from matcher.errors import Conflict
from matcher.models import (
    Agency,
    Certificate,
    Need,
    Offer,
    Role,
    Supplier,
    User,
    VerifiableEntity,
    VerificationEvent,
)

# Tables whose rows mean "this database is in use"; the demo loads only into an empty one.
_CHECKED: tuple[tuple[str, type[Any]], ...] = (
    ("perangkat daerah", Agency),
    ("penyedia", Supplier),
    ("penawaran", Offer),
    ("kebutuhan", Need),
    ("pengguna", User),
)


class DemoDataExists(Conflict):
    """The database already holds data; demo data is loaded only into an empty database."""


@dataclass(frozen=True)
class LoadSummary:
    agencies: int
    suppliers: int
    certificates: int
    offers: int
    needs: int
    users: int
    verification_events: int


def existing_counts(session: Session) -> dict[str, int]:
    """Rows per checked table, by Indonesian label."""
    return {
        label: session.scalar(select(func.count()).select_from(model)) or 0
        for label, model in _CHECKED
    }


def is_empty(session: Session) -> bool:
    return not any(existing_counts(session).values())


@cache
def demo_password_hash() -> str:
    return hash_password(DEMO_PASSWORD)


def _insert(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Bulk INSERT ... RETURNING id, ids in the order of ``rows``."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, list(rows)))


def _event_rows(
    entity_type: VerifiableEntity, entity_id: int, events: Sequence[StatusEvent], actor: int
) -> list[dict[str, Any]]:
    return [
        {
            "entity_type": entity_type,
            "entity_id": entity_id,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
            # The registration is the supplier's own act; decisions are the tim pengelola's.
            "actor_user_id": None if e.from_status is None else actor,
            "at": e.at,
        }
        for e in events
    ]


def load_dataset(
    session: Session, dataset: DemoDataset, *, password_hash: str | None = None
) -> LoadSummary:
    """Insert the whole dataset; raises ``DemoDataExists`` when the database is not empty."""
    counts = {label: n for label, n in existing_counts(session).items() if n}
    if counts:
        listing = ", ".join(f"{n} {label}" for label, n in counts.items())
        raise DemoDataExists(
            f"Basis data sudah berisi data ({listing}); data demo hanya dimuat ke basis data kosong"
        )
    hashed = password_hash or demo_password_hash()

    agency_ids = dict(
        zip(
            (a.code for a in dataset.agencies),
            _insert(
                session,
                Agency,
                [
                    {
                        "code": a.code,
                        "name": a.name,
                        "fiscal_year": a.fiscal_year,
                        "budget": a.budget,
                        "address": a.address,
                        "region": a.region,
                        "version": 1,
                    }
                    for a in dataset.agencies
                ],
            ),
            strict=True,
        )
    )
    supplier_ids = _insert(
        session,
        Supplier,
        [
            {
                "code": s.code,
                "name": s.name,
                "nib": s.nib,
                "size_class": s.size_class,
                "is_koperasi": s.is_koperasi,
                "region": s.region,
                "kecamatan": s.kecamatan,
                "is_local": s.is_local,
                "address": s.address,
                "contact_name": s.contact_name,
                "phone": s.phone,
                "email": s.email,
                "bank_name": s.bank_name,
                "bank_account_number": s.bank_account_number,
                "bank_account_name": s.bank_account_name,
                "status": s.status,
                "status_reason": s.status_reason,
                "version": 1,
            }
            for s in dataset.suppliers
        ],
    )
    supplier_by_code = {s.code: sid for s, sid in zip(dataset.suppliers, supplier_ids, strict=True)}
    certificate_rows = [
        {
            "supplier_id": sid,
            "type": c.type,
            "number": c.number,
            "issued_on": c.issued_on,
            "valid_until": c.valid_until,
            "status": c.status,
        }
        for s, sid in zip(dataset.suppliers, supplier_ids, strict=True)
        for c in s.certificates
    ]
    _insert(session, Certificate, certificate_rows)
    offers = [
        (sid, o) for s, sid in zip(dataset.suppliers, supplier_ids, strict=True) for o in s.offers
    ]
    offer_ids = _insert(
        session,
        Offer,
        [
            {
                "code": o.code,
                "supplier_id": sid,
                "category": o.category,
                "name": o.name,
                "description": o.description,
                "unit": o.unit,
                "unit_price": o.unit_price,
                "capacity": o.capacity,
                "min_order_qty": o.min_order_qty,
                "lead_time_days": o.lead_time_days,
                "active": o.active,
                "status": o.status,
                "status_reason": o.status_reason,
                "version": 1,
            }
            for sid, o in offers
        ],
    )
    user_ids = _insert(
        session,
        User,
        [
            {
                "email": u.email,
                "full_name": u.full_name,
                "hashed_password": hashed,
                "role": u.role,
                "agency_id": agency_ids[u.agency_code] if u.agency_code else None,
                "supplier_id": supplier_by_code[u.supplier_code] if u.supplier_code else None,
                "is_active": True,
            }
            for u in dataset.users
        ],
    )
    admin_id = next(
        uid for u, uid in zip(dataset.users, user_ids, strict=True) if u.role == Role.ADMIN
    )
    officer_of = {
        u.agency_code: uid
        for u, uid in zip(dataset.users, user_ids, strict=True)
        if u.role == Role.OFFICER and u.agency_code
    }
    event_rows: list[dict[str, Any]] = []
    for s, sid in zip(dataset.suppliers, supplier_ids, strict=True):
        event_rows += _event_rows(VerifiableEntity.SUPPLIER, sid, s.events, admin_id)
    for (_, o), oid in zip(offers, offer_ids, strict=True):
        event_rows += _event_rows(VerifiableEntity.OFFER, oid, o.events, admin_id)
    _insert(session, VerificationEvent, event_rows)
    _insert(
        session,
        Need,
        [
            {
                "code": n.code,
                "agency_id": agency_ids[n.agency_code],
                "category": n.category,
                "description": n.description,
                "quantity": n.quantity,
                "unit": n.unit,
                "max_unit_price": n.max_unit_price,
                "required_certs": list(n.required_certs),
                "needed_by": n.needed_by,
                "region": n.region,
                "status": n.status,
                "created_by_user_id": officer_of.get(n.agency_code),
                "submitted_at": n.submitted_at,
                "version": 1,
            }
            for n in dataset.needs
        ],
    )
    session.flush()
    return LoadSummary(
        agencies=len(agency_ids),
        suppliers=len(supplier_ids),
        certificates=len(certificate_rows),
        offers=len(offer_ids),
        needs=len(dataset.needs),
        users=len(user_ids),
        verification_events=len(event_rows),
    )
