"""A seeded world for tests that reach every endpoint: the deterministic Kota Batu demo data
loaded into the test transaction, a bearer token for a demo user of each role, and the ids of
real rows to aim path parameters at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.auth.security import create_access_token, hash_password
from matcher.demo.generate import DemoDataset, generate
from matcher.demo.load import load_dataset
from matcher.models import (
    Agency,
    AuditEntry,
    Certificate,
    Complaint,
    Need,
    Offer,
    Order,
    Plan,
    Role,
    Supplier,
    User,
    VerificationStatus,
)
from tests.factories import PASSWORD, Factory
from tests.orders.helpers import draft_order, need

DEMO_DAY = date(2026, 11, 23)

# Path parameter name -> the table whose ids are real targets.
ID_SOURCES: dict[str, type] = {
    "agency_id": Agency,
    "supplier_id": Supplier,
    "offer_id": Offer,
    "certificate_id": Certificate,
    "need_id": Need,
    "plan_id": Plan,
    "order_id": Order,
    "complaint_id": Complaint,
    "user_id": User,
    "entry_id": AuditEntry,
}


@cache
def password_hash() -> str:
    """Every demo user's password is ``tests.factories.PASSWORD``."""
    return hash_password(PASSWORD)


@cache
def demo_dataset() -> DemoDataset:
    return generate(today=DEMO_DAY)


@dataclass(frozen=True)
class World:
    tokens: dict[Role, str]
    users: dict[Role, User]
    ids: dict[str, list[int]]

    def headers(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def load_world(session: Session) -> World:
    load_dataset(session, demo_dataset(), password_hash=password_hash())
    session.commit()
    users: dict[Role, User] = {}
    for role in Role:
        user = session.scalar(
            select(User).where(User.role == role, User.is_active.is_(True)).order_by(User.id)
        )
        assert user is not None, f"the demo data has no {role.value} user"
        users[role] = user
    _orders_between(session, users[Role.OFFICER], users[Role.SUPPLIER])
    tokens = {role: create_access_token(user.id)[0] for role, user in users.items()}
    ids = {
        name: list(session.scalars(select(model.id).order_by(model.id).limit(50)))  # type: ignore[attr-defined]
        for name, model in ID_SOURCES.items()
    }
    return World(tokens=tokens, users=users, ids=ids)


def _orders_between(session: Session, officer: User, supplier_user: User) -> None:
    """Draft orders from the demo officer's agency to the demo supplier (the demo data has
    none), so order routes meet rows that their owners and strangers can address."""
    agency = session.get(Agency, officer.agency_id)
    offer = session.scalar(
        select(Offer)
        .where(
            Offer.supplier_id == supplier_user.supplier_id,
            Offer.status == VerificationStatus.VERIFIED,
        )
        .order_by(Offer.id)
    )
    assert agency is not None and offer is not None
    need_row = need(
        Factory(session), agency, category=offer.category, unit=offer.unit, quantity=1_000,
        max_unit_price=offer.unit_price,
    )  # fmt: skip
    for quantity in (offer.min_order_qty, offer.min_order_qty + 1, offer.min_order_qty + 2):
        draft_order(session, agency, offer, need_row, quantity)
