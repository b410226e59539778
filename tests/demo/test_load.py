"""Loading the demo dataset into the test database (the ``db`` fixture's transaction)."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.auth.service import authenticate
from matcher.demo.data import DEMO_PASSWORD
from matcher.demo.generate import DemoDataset
from matcher.demo.load import DemoDataExists, existing_counts, is_empty, load_dataset
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
    VerificationStatus,
)
from tests.demo.conftest import DEMO_DAY


@pytest.fixture
def loaded(db: Session, dataset: DemoDataset) -> DemoDataset:
    assert is_empty(db)
    load_dataset(db, dataset)
    return dataset


def _count(db: Session, model: type[object]) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_load_writes_every_record(db: Session, loaded: DemoDataset) -> None:
    assert _count(db, Agency) == 31
    assert _count(db, Supplier) == len(loaded.suppliers)
    assert _count(db, Offer) == len(loaded.offers)
    assert _count(db, Certificate) == sum(len(s.certificates) for s in loaded.suppliers)
    assert _count(db, Need) == len(loaded.needs)
    assert _count(db, User) == len(loaded.users)
    koperasi = db.scalars(select(Supplier).where(Supplier.is_koperasi)).all()
    assert len(koperasi) == 24 and len({s.region for s in koperasi}) == 24
    budgets = db.scalars(select(Agency.budget)).all()
    assert all(b >= 100_000_000 for b in budgets)


def test_loaded_suppliers_carry_history_and_expired_certificates(
    db: Session, loaded: DemoDataset
) -> None:
    suspended = db.scalars(
        select(Supplier).where(Supplier.status == VerificationStatus.SUSPENDED)
    ).first()
    assert suspended is not None and suspended.status_reason
    events = db.scalars(
        select(VerificationEvent)
        .where(
            VerificationEvent.entity_type == VerifiableEntity.SUPPLIER,
            VerificationEvent.entity_id == suspended.id,
        )
        .order_by(VerificationEvent.at)
    ).all()
    assert [e.to_status for e in events] == [
        VerificationStatus.PENDING,
        VerificationStatus.VERIFIED,
        VerificationStatus.SUSPENDED,
    ]
    admin = db.scalars(select(User).where(User.role == Role.ADMIN)).one()
    assert events[-1].actor_user_id == admin.id
    expired = db.scalars(select(Certificate).where(Certificate.valid_until < DEMO_DAY)).all()
    assert expired
    assert any(c.type.value not in c.supplier.valid_certificate_types(DEMO_DAY) for c in expired)


def test_loading_twice_is_refused_and_adds_nothing(db: Session, loaded: DemoDataset) -> None:
    before = existing_counts(db)
    with pytest.raises(DemoDataExists, match="sudah berisi data"):
        load_dataset(db, loaded)
    assert existing_counts(db) == before


def test_a_database_with_only_a_user_counts_as_not_empty(db: Session, dataset: DemoDataset) -> None:
    from tests.factories import Factory

    Factory(db).user(Role.ADMIN)
    assert not is_empty(db)
    with pytest.raises(DemoDataExists):
        load_dataset(db, dataset)


def test_every_demo_user_authenticates_with_the_demo_password(
    db: Session, loaded: DemoDataset
) -> None:
    roles: Counter[str] = Counter()
    for record in loaded.users:
        user = authenticate(db, record.email, DEMO_PASSWORD)
        roles[user.role.value] += 1
        if user.role == Role.OFFICER:
            assert user.agency is not None and user.agency.code == record.agency_code
        if user.role == Role.SUPPLIER:
            assert user.supplier is not None and user.supplier.code == record.supplier_code
    assert set(roles) == {r.value for r in Role}


def test_demo_password_satisfies_the_policy() -> None:
    from matcher.auth.security import check_password_policy

    check_password_policy(DEMO_PASSWORD)
