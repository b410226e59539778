"""Agency endpoints: who sees which agency and its budget, admin-only changes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from matcher.models import Role
from tests.factories import Factory

NEW_AGENCY: dict[str, Any] = {
    "code": "DISKOPUMKM",
    "name": "Dinas Koperasi, Usaha Mikro dan Perdagangan",
    "fiscal_year": 2026,
    "budget": 1_250_000_000,
    "region": "Sisir",
}


def test_admin_creates_and_updates_agency(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    created = client.post("/api/v1/agencies", json=NEW_AGENCY, headers=headers)
    assert created.status_code == 201, created.text
    agency = created.json()
    assert agency["budget"] == 1_250_000_000
    updated = client.patch(
        f"/api/v1/agencies/{agency['id']}",
        json={"budget": 1_300_000_000, "fiscal_year": 2027},
        headers=headers,
    )
    assert updated.status_code == 200, updated.text
    assert (updated.json()["budget"], updated.json()["fiscal_year"]) == (1_300_000_000, 2027)
    assert updated.json()["name"] == NEW_AGENCY["name"]


def test_duplicate_code_conflicts(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.ADMIN)
    assert client.post("/api/v1/agencies", json=NEW_AGENCY, headers=headers).status_code == 201
    again = client.post("/api/v1/agencies", json=NEW_AGENCY, headers=headers)
    assert again.status_code == 409
    assert again.json()["errors"][0]["loc"] == ["body", "code"]


def test_budget_must_be_whole_non_negative_rupiah(client: TestClient, factory: Factory) -> None:
    agency = factory.agency()
    _, headers = factory.login(Role.ADMIN)
    for bad in (-1, 1.5, "banyak"):
        response = client.patch(
            f"/api/v1/agencies/{agency.id}", json={"budget": bad}, headers=headers
        )
        assert response.status_code == 422, bad
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["loc"] == ["body", "budget"]
    zero = client.patch(f"/api/v1/agencies/{agency.id}", json={"budget": 0}, headers=headers)
    assert zero.status_code == 200 and zero.json()["budget"] == 0


def test_required_fields_cannot_be_nulled_and_code_is_fixed(
    client: TestClient, factory: Factory
) -> None:
    agency = factory.agency()
    _, headers = factory.login(Role.ADMIN)
    url = f"/api/v1/agencies/{agency.id}"
    nulled = client.patch(url, json={"name": None}, headers=headers)
    assert nulled.status_code == 422 and nulled.json()["errors"][0]["loc"] == ["body", "name"]
    recoded = client.patch(url, json={"code": "X"}, headers=headers)
    assert recoded.status_code == 422 and recoded.json()["errors"][0]["loc"] == ["body", "code"]
    year = client.post(
        "/api/v1/agencies", json={**NEW_AGENCY, "fiscal_year": 1999}, headers=headers
    )
    assert year.status_code == 422 and year.json()["errors"][0]["loc"] == ["body", "fiscal_year"]


def test_officer_reads_only_own_agency(client: TestClient, factory: Factory) -> None:
    own = factory.agency()
    other = factory.agency()
    _, headers = factory.login(Role.OFFICER, agency_id=own.id)
    mine = client.get(f"/api/v1/agencies/{own.id}", headers=headers)
    assert mine.status_code == 200 and mine.json()["budget"] == own.budget
    assert client.get(f"/api/v1/agencies/{other.id}", headers=headers).status_code == 404
    listed = client.get("/api/v1/agencies", headers=headers).json()
    assert [a["id"] for a in listed["items"]] == [own.id]
    assert listed["total"] == 1


def test_officer_cannot_change_agencies(client: TestClient, factory: Factory) -> None:
    own = factory.agency()
    other = factory.agency()
    _, headers = factory.login(Role.OFFICER, agency_id=own.id)
    body = {"budget": 10**12}
    assert client.patch(f"/api/v1/agencies/{own.id}", json=body, headers=headers).status_code == 403
    assert (
        client.patch(f"/api/v1/agencies/{other.id}", json=body, headers=headers).status_code == 404
    )
    assert client.post("/api/v1/agencies", json=NEW_AGENCY, headers=headers).status_code == 403


def test_planner_and_viewer_read_all_with_budgets(client: TestClient, factory: Factory) -> None:
    agency = factory.agency(budget=77_000_000)
    for role in (Role.PLANNER, Role.VIEWER):
        _, headers = factory.login(role)
        response = client.get(f"/api/v1/agencies/{agency.id}", headers=headers)
        assert response.status_code == 200
        assert response.json()["budget"] == 77_000_000
        patched = client.patch(f"/api/v1/agencies/{agency.id}", json={"budget": 1}, headers=headers)
        assert patched.status_code == 403


def test_supplier_user_sees_public_fields_only(client: TestClient, factory: Factory) -> None:
    agency = factory.agency(name="Dinas Pendidikan")
    _, headers = factory.login(Role.SUPPLIER)
    one = client.get(f"/api/v1/agencies/{agency.id}", headers=headers)
    assert one.status_code == 200
    assert one.json()["name"] == "Dinas Pendidikan"
    assert "budget" not in one.json()
    listed = client.get("/api/v1/agencies", params={"q": "pendidikan"}, headers=headers).json()
    assert agency.id in {a["id"] for a in listed["items"]}
    assert all("budget" not in a for a in listed["items"])


def test_list_filters_and_pagination(client: TestClient, factory: Factory) -> None:
    made = [factory.agency(fiscal_year=2031) for _ in range(3)]
    _, headers = factory.login(Role.ADMIN)
    page = client.get(
        "/api/v1/agencies", params={"fiscal_year": 2031, "size": 2, "page": 2}, headers=headers
    ).json()
    assert (page["total"], page["page"], page["size"]) == (3, 2, 2)
    assert [a["id"] for a in page["items"]] == [made[2].id]
    bad = client.get("/api/v1/agencies", params={"fiscal_year": "tahun ini"}, headers=headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["loc"] == ["query", "fiscal_year"]


def test_budget_cannot_drop_below_commitments(client: TestClient, factory: Factory) -> None:
    agency = factory.agency(budget=100_000_000, committed_amount=40_000_000)
    _, headers = factory.login(Role.ADMIN)
    url = f"/api/v1/agencies/{agency.id}"
    shown = client.get(url, headers=headers).json()
    assert (shown["committed_amount"], shown["available"]) == (40_000_000, 60_000_000)
    too_low = client.patch(url, json={"budget": 39_999_999}, headers=headers)
    assert too_low.status_code == 409
    assert too_low.json()["errors"][0]["loc"] == ["body", "budget"]
    assert client.get(url, headers=headers).json()["budget"] == 100_000_000
    ok = client.patch(url, json={"budget": 40_000_000}, headers=headers)
    assert ok.status_code == 200 and ok.json()["available"] == 0
