"""The order state machine through the API: right role, right state, release arithmetic."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from matcher.models import Agency, Offer, Order, OrderStatus, Role
from matcher.orders.service import TRANSITIONS
from tests.factories import Factory
from tests.orders.helpers import Scene, draft_order, need, scene


def _reserved(db: Session, s: Scene) -> tuple[int, int]:
    db.expire_all()
    offer = db.get(Offer, s.offer.id)
    agency = db.get(Agency, s.agency.id)
    assert offer is not None and agency is not None
    return offer.reserved_quantity, agency.committed_amount


def _post(api: TestClient, path: str, headers: dict[str, str], **kw: Any) -> Any:
    return api.post(f"/api/v1/orders/{path}", headers=headers, **kw)


@pytest.fixture
def s(factory: Factory) -> Scene:
    return scene(factory, capacity=300)


def test_transition_table_names_every_state_change() -> None:
    targets = {target for _, target, _ in TRANSITIONS.values()}
    assert targets == set(OrderStatus) - {OrderStatus.DRAFT}
    assert TRANSITIONS["cancel"][0] == {OrderStatus.DRAFT, OrderStatus.APPROVED}


def test_wrong_role_is_403_and_other_agency_is_404(
    api: TestClient, factory: Factory, db: Session, s: Scene
) -> None:
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    _, stranger = factory.login(Role.OFFICER)  # another agency
    _, other_supplier = factory.login(Role.SUPPLIER)
    _, viewer = factory.login(Role.VIEWER)
    assert _post(api, f"{order.id}/approve", stranger).status_code == 404
    assert _post(api, f"{order.id}/approve", s.supplier_headers).status_code == 404  # draft
    forbidden = _post(api, f"{order.id}/approve", viewer)
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == "application/problem+json"
    assert _post(api, f"{order.id}/approve", s.officer_headers).status_code == 200
    # The supplier now sees it, but approving is not a supplier's action.
    assert _post(api, f"{order.id}/cancel", s.supplier_headers).status_code == 403
    assert _post(api, f"{order.id}/accept", s.officer_headers).status_code == 403
    assert _post(api, f"{order.id}/accept", s.admin_headers).status_code == 403
    assert _post(api, f"{order.id}/accept", other_supplier).status_code == 404
    assert api.get(f"/api/v1/orders/{order.id}", headers=other_supplier).status_code == 404
    assert _post(api, f"{order.id}/accept", s.supplier_headers).status_code == 200
    listed = api.get("/api/v1/orders", headers=stranger).json()
    assert order.id not in [o["id"] for o in listed["items"]]


def test_wrong_state_is_409_naming_the_current_state(
    api: TestClient, db: Session, s: Scene
) -> None:
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    assert _post(api, f"{order.id}/approve", s.officer_headers).status_code == 200
    again = _post(api, f"{order.id}/approve", s.officer_headers)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["current_state"] == "approved"
    early = _post(api, f"{order.id}/deliver", s.supplier_headers, json={})
    assert early.status_code == 409 and early.json()["current_state"] == "approved"
    assert _post(api, f"{order.id}/accept", s.supplier_headers).status_code == 200
    late_cancel = _post(api, f"{order.id}/cancel", s.officer_headers)
    assert late_cancel.status_code == 409
    assert late_cancel.json()["current_state"] == "accepted"
    assert _post(api, f"{order.id}/deliver", s.supplier_headers, json={}).status_code == 200
    unpaid = _post(
        api,
        f"{order.id}/pay",
        s.officer_headers,
        json={"payment_date": "2030-01-01", "payment_reference": "X"},
    )
    assert unpaid.status_code == 409  # receipt not confirmed yet
    assert unpaid.json()["current_state"] == "delivered"
    assert _post(api, f"{order.id}/close", s.officer_headers).json()["current_state"] == "delivered"
    assert _post(api, f"{order.id}/receive", s.officer_headers, json={}).status_code == 200
    twice = _post(api, f"{order.id}/receive", s.officer_headers, json={})
    assert twice.status_code == 409


def test_delivery_quantities_are_checked(api: TestClient, db: Session, s: Scene) -> None:
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    _post(api, f"{order.id}/approve", s.officer_headers)
    _post(api, f"{order.id}/accept", s.supplier_headers)
    line_id = order.lines[0].id
    too_many = _post(
        api,
        f"{order.id}/deliver",
        s.supplier_headers,
        json={"lines": [{"line_id": line_id, "quantity": 101}]},
    )
    assert too_many.status_code == 422
    unknown = _post(
        api,
        f"{order.id}/deliver",
        s.supplier_headers,
        json={"lines": [{"line_id": line_id + 999, "quantity": 1}]},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "lines", 0, "line_id"]


def test_approve_reserves_and_cancel_releases(api: TestClient, db: Session, s: Scene) -> None:
    order = draft_order(db, s.agency, s.offer, s.need, 120)
    assert _reserved(db, s) == (0, 0)
    assert _post(api, f"{order.id}/approve", s.officer_headers).status_code == 200
    assert _reserved(db, s) == (120, 120 * 15_000)
    cancelled = _post(api, f"{order.id}/cancel", s.officer_headers, json={"reason": "Batal"})
    assert cancelled.json()["status"] == "cancelled"
    assert _reserved(db, s) == (0, 0)
    draft = draft_order(db, s.agency, s.offer, s.need, 10)
    assert _post(api, f"{draft.id}/cancel", s.admin_headers).status_code == 200
    assert _reserved(db, s) == (0, 0)


def test_not_enough_capacity_or_budget_is_409_naming_what_remains(
    api: TestClient, factory: Factory, db: Session
) -> None:
    s = scene(factory, capacity=150, budget=2_000_000)
    first = draft_order(db, s.agency, s.offer, s.need, 100)
    second = draft_order(db, s.agency, s.offer, s.need, 60)
    assert _post(api, f"{first.id}/approve", s.officer_headers).status_code == 200
    full = _post(api, f"{second.id}/approve", s.officer_headers)
    assert full.status_code == 409
    assert "tersisa 50 kotak" in full.json()["detail"]
    assert _reserved(db, s) == (100, 1_500_000)
    third = draft_order(db, s.agency, s.offer, s.need, 40)  # Rp600.000 > Rp500.000 left
    broke = _post(api, f"{third.id}/approve", s.officer_headers)
    assert broke.status_code == 409
    assert "Rp500.000" in broke.json()["detail"]
    # Nothing of the refused approval stuck: capacity unchanged, order still draft.
    assert _reserved(db, s) == (100, 1_500_000)
    db.expire_all()
    assert db.get(Order, third.id).status == OrderStatus.DRAFT  # type: ignore[union-attr]


def test_decline_releases_and_offers_the_next_candidate(
    api: TestClient, factory: Factory, db: Session, s: Scene
) -> None:
    expensive = factory.offer(factory.supplier(name="UMKM Cadangan"), unit_price=18_000)
    unfit = factory.offer(factory.supplier(), unit_price=25_000)  # above HPS 20.000
    order = draft_order(db, s.agency, s.offer, s.need, 100)
    _post(api, f"{order.id}/approve", s.officer_headers)
    declined = _post(
        api, f"{order.id}/decline", s.supplier_headers, json={"reason": "Kapasitas habis"}
    ).json()
    assert declined["status"] == "declined"
    assert _reserved(db, s) == (0, 0)
    (replacement_id,) = declined["replacement_order_ids"]
    replacement = api.get(f"/api/v1/orders/{replacement_id}", headers=s.officer_headers).json()
    assert replacement["status"] == "draft"
    assert replacement["supplier_id"] == expensive.supplier_id != unfit.supplier_id
    assert replacement["replaces_order_id"] == order.id
    assert replacement["lines"][0]["quantity"] == 100
    assert replacement["total_amount"] == 1_800_000
    # Declined again: no one else is eligible, so no new draft.
    _post(api, f"{replacement_id}/approve", s.officer_headers)
    other = factory.login(Role.SUPPLIER, supplier_id=expensive.supplier_id)[1]
    again = _post(api, f"{replacement_id}/decline", other).json()
    assert again["replacement_order_ids"] == []


def test_plan_approval_line_by_line_with_reassignment(
    api: TestClient, factory: Factory, db: Session, s: Scene
) -> None:
    from tests.orders.helpers import plan

    second_need = need(factory, s.agency, quantity=50)
    third_need = need(factory, s.agency, quantity=30)
    alternative = factory.offer(factory.supplier(name="Koperasi Junggo"), unit_price=14_000)
    too_small = factory.offer(factory.supplier(), capacity=10, min_order_qty=1)
    plan_row = plan(
        factory,
        s.agency,
        [(s.need, s.offer, 100), (second_need, s.offer, 50), (third_need, s.offer, 30)],
    )
    first, second, third = (line.id for line in plan_row.lines)
    url = f"/api/v1/plans/{plan_row.id}/approval"
    bad = api.post(
        url,
        json={
            "line_ids": [second],
            "reassignments": [{"line_id": second, "offer_id": too_small.id}],
        },
        headers=s.officer_headers,
    )
    assert bad.status_code == 422
    assert "sisa kapasitas 10" in bad.json()["detail"]
    result = api.post(
        url,
        json={
            "line_ids": [first, second],
            "reject_line_ids": [third],
            "reassignments": [{"line_id": second, "offer_id": alternative.id}],
        },
        headers=s.officer_headers,
    )
    assert result.status_code == 201, result.text
    body = result.json()
    assert body["rejected_line_ids"] == [third]
    suppliers = sorted(o["supplier_id"] for o in body["orders"])
    assert suppliers == sorted([s.supplier.id, alternative.supplier_id])
    again = api.post(url, json={"line_ids": [first]}, headers=s.officer_headers)
    assert again.status_code == 409
    assert again.json()["current_state"] == "approved"
    _, stranger = factory.login(Role.OFFICER)
    assert api.post(url, json={}, headers=stranger).status_code == 404


def test_reassignment_respects_the_rounds_supplier_cap(
    api: TestClient, factory: Factory, db: Session, s: Scene
) -> None:
    from tests.orders.helpers import plan

    second_need = need(factory, s.agency, quantity=50)
    third_need = need(factory, s.agency, quantity=30)
    alternative = factory.offer(factory.supplier(name="Koperasi Junggo"), unit_price=14_000)
    plan_row = plan(
        factory,
        s.agency,
        [(s.need, s.offer, 100), (second_need, s.offer, 50), (third_need, alternative, 30)],
    )
    # Koperasi Junggo already holds 30 x Rp14.000 = Rp420.000 of a Rp1.000.000 cap.
    plan_row.max_supplier_value = 1_000_000
    db.commit()
    second = plan_row.lines[1].id
    url = f"/api/v1/plans/{plan_row.id}/approval"
    refused = api.post(
        url,
        json={
            "line_ids": [second],
            "reassignments": [{"line_id": second, "offer_id": alternative.id}],
        },
        headers=s.officer_headers,
    )
    assert refused.status_code == 422
    assert (
        "batas nilai per penyedia dalam rencana tercapai (sisa Rp580.000)"
        in (refused.json()["detail"])
    )
    plan_row.max_supplier_value = 1_200_000
    db.commit()
    allowed = api.post(
        url,
        json={
            "line_ids": [second],
            "reassignments": [{"line_id": second, "offer_id": alternative.id}],
        },
        headers=s.officer_headers,
    )
    assert allowed.status_code == 201, allowed.text
