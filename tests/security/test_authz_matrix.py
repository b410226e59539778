"""The authorisation matrix, enumerated from the OpenAPI document: every operation that
addresses one resource is tried, with every method it declares, by an officer of another
agency and by a supplier user of another supplier, at real rows of the other party. None may
succeed (2xx) unless it is a read of data the role may see anyway (the verified catalogue,
the taxonomy, public document checks); each refusal is 403 or 404 problem+json. A read-only
viewer can change nothing anywhere. Lists never show the other party's rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.main import app
from matcher.auth.security import create_access_token
from matcher.models import (
    Agency,
    AuditEntry,
    Certificate,
    Complaint,
    ComplaintStatus,
    Need,
    Offer,
    Order,
    Role,
    Supplier,
    User,
    VerificationStatus,
)
from tests.factories import Factory
from tests.orders.helpers import draft_order, need, plan

METHODS = ("get", "post", "put", "patch", "delete")
PARAM = re.compile(r"\{([^}]+)\}")


def _operations() -> list[tuple[str, str]]:
    schema = app.openapi()
    return [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in METHODS and PARAM.search(path)
    ]


ADDRESSED = _operations()
# Reads of shared data a role may see anyway: officers read the verified catalogue with its
# verification history; supplier users read the directory of agencies (public bodies; no
# budgets); everyone the taxonomy and public document verification.
SHARED_READS = {
    Role.OFFICER: {
        "/api/v1/suppliers/{supplier_id}",
        "/api/v1/suppliers/{supplier_id}/certificates",
        "/api/v1/suppliers/{supplier_id}/verification",
        "/api/v1/certificates/{certificate_id}/verification",
        "/api/v1/offers/{offer_id}",
        "/api/v1/offers/{offer_id}/history",
        "/api/v1/offers/{offer_id}/verification",
        "/api/v1/taxonomy/{code}",
        "/api/v1/documents/verify/{code}",
    },
    Role.SUPPLIER: {
        "/api/v1/agencies/{agency_id}",
        "/api/v1/taxonomy/{code}",
        "/api/v1/documents/verify/{code}",
    },
}
# Path parameters that are not ids: values naming something real.
WORDS = {
    "code": "SNACK",
    "kind": "surat_pesanan",
    "action": "submit",
    "attachment_id": "1",
}
ACTIONS = {
    "/api/v1/needs/{need_id}/{action}": ["submit", "cancel"],
    "/api/v1/complaints/{complaint_id}/{action}": ["review", "resolve", "reject"],
}


@dataclass(frozen=True)
class Party:
    """The stranger's token and the other party's rows, by path parameter name."""

    role: Role
    headers: dict[str, str]
    targets: dict[str, int | str]
    other_agency_id: int | None = None
    other_supplier_id: int | None = None


def _headers(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_access_token(user.id)[0]}"}


def _world(db: Session) -> tuple[Party, Party, dict[str, str]]:
    factory = Factory(db)
    own_agency, other_agency = factory.agency(), factory.agency()
    own_supplier = factory.supplier(certs=["PIRT"])
    other_supplier = factory.supplier(certs=["PIRT"])
    other_offer = factory.offer(other_supplier)
    own_offer = factory.offer(own_supplier)
    other_need = need(factory, other_agency)
    other_plan = plan(factory, other_agency, [(other_need, other_offer, 20)])
    # An order of the other agency at the other supplier: a stranger to both.
    order = draft_order(db, other_agency, other_offer, other_need, 20)
    complaint = Complaint(
        code=f"K-{order.id}",
        order_id=order.id,
        supplier_id=other_supplier.id,
        agency_id=other_agency.id,
        filed_by_role=Role.OFFICER,
        subject="Barang terlambat",
        description="Pengiriman terlambat dua hari",
        document_refs=[],
        status=ComplaintStatus.OPEN,
    )
    db.add(complaint)
    db.commit()
    certificate = db.scalar(select(Certificate).where(Certificate.supplier_id == other_supplier.id))
    other_user = factory.user(Role.OFFICER, agency_id=other_agency.id)
    entry = db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
    assert certificate is not None and entry is not None
    officer = factory.user(Role.OFFICER, agency_id=own_agency.id)
    supplier_user = factory.user(Role.SUPPLIER, supplier_id=own_supplier.id)
    admin = factory.user(Role.ADMIN)
    common: dict[str, int | str] = {
        "need_id": other_need.id,
        "plan_id": other_plan.id,
        "order_id": order.id,
        "complaint_id": complaint.id,
        "user_id": other_user.id,
        "entry_id": entry,
    }
    officer_party = Party(
        Role.OFFICER,
        _headers(officer),
        {
            **common,
            "agency_id": other_agency.id,
            "supplier_id": other_supplier.id,
            "offer_id": other_offer.id,
            "certificate_id": certificate.id,
        },
        other_agency_id=other_agency.id,
    )
    supplier_party = Party(
        Role.SUPPLIER,
        _headers(supplier_user),
        {
            **common,
            "agency_id": other_agency.id,
            "supplier_id": other_supplier.id,
            "offer_id": other_offer.id,
            "certificate_id": certificate.id,
        },
        other_supplier_id=other_supplier.id,
    )
    assert own_offer.status == VerificationStatus.VERIFIED
    return officer_party, supplier_party, _headers(admin)


def _urls(path: str, targets: dict[str, int | str]) -> Iterator[str]:
    for action in ACTIONS.get(path, [""]):
        values: dict[str, int | str] = {**WORDS, **targets}
        if action:
            values["action"] = action
        # A parameter this matrix does not know yet (a new route) still gets an address.
        yield "/".join(_fill(part, values) for part in path.split("/"))


def _fill(part: str, values: dict[str, int | str]) -> str:
    match = PARAM.fullmatch(part)
    return str(values.get(match.group(1), 1)) if match else part


def _body(method: str) -> dict[str, Any] | None:
    # A harmless, mostly valid body: refusals must come from scoping, not from validation.
    return {} if method in ("POST", "PUT", "PATCH") else None


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPPLIER], ids=["officer", "supplier"])
def test_other_partys_rows_are_out_of_reach(client: TestClient, db: Session, role: Role) -> None:
    officer, supplier, admin = _world(db)
    party = officer if role == Role.OFFICER else supplier
    tried = 0
    refused: list[tuple[str, str, int]] = []
    leaks: list[str] = []
    for method, path in ADDRESSED:
        for url in _urls(path, party.targets):
            response = client.request(method, url, json=_body(method), headers=party.headers)
            tried += 1
            if method == "GET" and path in SHARED_READS[role]:
                continue
            if response.status_code < 300:
                leaks.append(f"{method} {url} -> {response.status_code} {response.text[:200]}")
                continue
            refused.append((method, url, response.status_code))
            assert response.headers["content-type"].startswith("application/problem+json"), url
    assert not leaks, "\n".join(leaks)
    unexpected = [r for r in refused if r[2] not in (403, 404, 422)]
    assert not unexpected, unexpected
    assert tried >= len(ADDRESSED)
    # The refusals are scoping, not wrong addresses: the rows exist (admin reads them).
    for method, path in ADDRESSED:
        known = set(PARAM.findall(path)) <= set(party.targets) | {"action"}
        if method == "GET" and known:
            for url in _urls(path, party.targets):
                assert client.get(url, headers=admin).status_code == 200, url


def test_a_viewer_changes_nothing(client: TestClient, db: Session) -> None:
    officer, _, _ = _world(db)
    viewer = _headers(Factory(db).user(Role.VIEWER))
    schema = app.openapi()
    own_account = {("POST", "/api/v1/users/me/password"), ("POST", "/api/v1/auth/token"),
                   ("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/logout/all")}  # fmt: skip
    for path, item in schema["paths"].items():
        for method in (m.upper() for m in item if m in METHODS and m != "get"):
            if (method, path) in own_account:
                continue
            for url in _urls(path, officer.targets):
                response = client.request(method, url, json={}, headers=viewer)
                assert response.status_code in (403, 404, 422), (method, url, response.text)


LISTS = ("/api/v1/needs", "/api/v1/orders", "/api/v1/plans", "/api/v1/complaints",
         "/api/v1/offers", "/api/v1/suppliers", "/api/v1/agencies")  # fmt: skip


def test_lists_never_show_the_other_partys_rows(client: TestClient, db: Session) -> None:
    officer, supplier, admin = _world(db)
    for url in LISTS:
        everything = client.get(url, headers=admin, params={"size": 500}).json()["items"]
        assert everything, f"{url}: no rows to hide"
        for party in (officer, supplier):
            response = client.get(url, headers=party.headers, params={"size": 500})
            if response.status_code in (403, 404):
                continue
            assert response.status_code == 200, (url, response.text)
            for item in response.json()["items"]:
                if party.other_agency_id is not None and url != "/api/v1/agencies":
                    assert item.get("agency_id") != party.other_agency_id, (url, item)
                if party.other_agency_id is not None and url == "/api/v1/agencies":
                    assert item["id"] != party.other_agency_id, (url, item)
                if party.other_supplier_id is not None:
                    owner = item["id"] if url == "/api/v1/suppliers" else item.get("supplier_id")
                    assert owner != party.other_supplier_id, (url, item)
    # Models whose rows were made above exist in the other party's scope.
    assert db.scalar(select(Need.id).where(Need.agency_id == officer.other_agency_id))
    assert db.scalar(select(Order.id).where(Order.supplier_id == supplier.other_supplier_id))
    assert db.scalar(select(Offer.id).where(Offer.supplier_id == supplier.other_supplier_id))
    assert db.get(Agency, officer.other_agency_id) is not None
    assert db.get(Supplier, supplier.other_supplier_id) is not None
