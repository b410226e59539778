"""Factory functions for tests: realistic defaults, every field overridable.

Each factory commits (a savepoint inside the test transaction), so the rows survive a
request that rolls its own work back, as they would in production."""

from __future__ import annotations

import itertools
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from matcher.auth.security import create_access_token, hash_password
from matcher.models import (
    Agency,
    Certificate,
    CertificateType,
    Offer,
    Role,
    SizeClass,
    Supplier,
    User,
    VerificationStatus,
)

PASSWORD = "RahasiaDemo123"
_counter = itertools.count(1)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _n(self) -> int:
        return next(_counter)

    def supplier(self, **fields: Any) -> Supplier:
        n = self._n()
        certs: list[str] = fields.pop("certs", [])
        values: dict[str, Any] = {
            "code": f"TS{n:05d}",
            "name": f"UMKM Uji {n}",
            "nib": f"{9120000000000 + n:013d}",
            "size_class": SizeClass.MIKRO,
            "is_koperasi": False,
            "region": "Sisir",
            "kecamatan": "Batu",
            "is_local": True,
            "status": VerificationStatus.VERIFIED,
        }
        values.update(fields)
        supplier = Supplier(**values)
        self.session.add(supplier)
        self.session.commit()
        for cert in certs:
            self.certificate(supplier, type=CertificateType(cert))
        return supplier

    def certificate(self, supplier: Supplier, **fields: Any) -> Certificate:
        values: dict[str, Any] = {
            "supplier_id": supplier.id,
            "type": CertificateType.PIRT,
            "number": f"C-{self._n():06d}",
            "valid_until": date(2030, 12, 31),
            "status": VerificationStatus.VERIFIED,
        }
        values.update(fields)
        certificate = Certificate(**values)
        self.session.add(certificate)
        self.session.commit()
        self.session.refresh(supplier, ["certificates"])
        return certificate

    def offer(self, supplier: Supplier | None = None, **fields: Any) -> Offer:
        supplier = supplier or self.supplier()
        n = self._n()
        values: dict[str, Any] = {
            "code": f"TO{n:06d}",
            "supplier_id": supplier.id,
            "category": "SNACK",
            "name": f"Snack box {n}",
            "unit": "kotak",
            "unit_price": 15_000,
            "capacity": 500,
            "min_order_qty": 10,
            "lead_time_days": 2,
            "status": VerificationStatus.VERIFIED,
        }
        values.update(fields)
        offer = Offer(**values)
        self.session.add(offer)
        self.session.commit()
        return offer

    def agency(self, **fields: Any) -> Agency:
        n = self._n()
        values: dict[str, Any] = {
            "code": f"TA{n:04d}",
            "name": f"Dinas Uji {n}",
            "fiscal_year": 2026,
            "budget": 500_000_000,
        }
        values.update(fields)
        agency = Agency(**values)
        self.session.add(agency)
        self.session.commit()
        return agency

    def user(self, role: Role = Role.ADMIN, **fields: Any) -> User:
        n = self._n()
        values: dict[str, Any] = {
            "email": f"user{n}@uji.batukota.go.id",
            "full_name": f"Pengguna Uji {n}",
            "hashed_password": _password_hash(),
            "role": role,
        }
        if role == Role.OFFICER and "agency_id" not in fields:
            values["agency_id"] = self.agency().id
        if role == Role.SUPPLIER and "supplier_id" not in fields:
            values["supplier_id"] = self.supplier().id
        values.update(fields)
        user = User(**values)
        self.session.add(user)
        self.session.commit()
        return user

    def headers(self, user: User) -> dict[str, str]:
        token, _ = create_access_token(user.id)
        return {"Authorization": f"Bearer {token}"}

    def login(self, role: Role = Role.ADMIN, **fields: Any) -> tuple[User, dict[str, str]]:
        user = self.user(role, **fields)
        return user, self.headers(user)
