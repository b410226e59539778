"""GET /api/v1/dashboard and /api/v1/public/summary: the service's figures as JSON, scoped by
role."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from matcher.dashboard.service import compute_dashboard
from matcher.models import Role
from tests.dashboard.scene import TODAY, Scene, build_scene
from tests.dashboard.test_service import PERIOD
from tests.factories import Factory

URL = "/api/v1/dashboard"
PARAMS = {"start": "2026-03-01", "end": "2026-04-30"}


@pytest.fixture
def scene(db: Session, factory: Factory, monkeypatch: pytest.MonkeyPatch) -> Scene:
    monkeypatch.setattr("api.dashboard.endpoints.today", lambda: TODAY)
    monkeypatch.setattr("api.public.endpoints.today", lambda: TODAY)
    monkeypatch.setattr("matcher.clock.today", lambda: TODAY)
    return build_scene(db, factory)


def _json(value: object) -> object:
    """The service's dataclass as the API serialises it."""
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(value)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PLANNER, Role.VIEWER])
def test_dinas_roles_see_all_agencies(
    client: TestClient, db: Session, factory: Factory, scene: Scene, role: Role
) -> None:
    _, headers = factory.login(role)
    response = client.get(URL, params=PARAMS, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    expected = compute_dashboard(db, PERIOD, today=TODAY)
    assert body == _json(asdict(expected))
    assert body["total_spend"] == 79_800_000
    assert body["umk_share"] == 78_200_000 / 79_800_000
    assert [r["key"] for r in body["by_agency"]] == ["UJI-KES", "UJI-DIK"]


def test_one_agency_on_request(client: TestClient, factory: Factory, scene: Scene) -> None:
    _, headers = factory.login(Role.VIEWER)
    body = client.get(URL, params={**PARAMS, "agency_id": scene.kes.id}, headers=headers).json()
    assert body["total_spend"] == 71_600_000
    assert body["agency_id"] == scene.kes.id


def test_officer_sees_only_own_agency(client: TestClient, factory: Factory, scene: Scene) -> None:
    _, headers = factory.login(Role.OFFICER, agency_id=scene.dik.id)
    body = client.get(URL, params=PARAMS, headers=headers).json()
    assert (body["agency_id"], body["total_spend"], body["orders"]) == (scene.dik.id, 8_200_000, 7)
    assert [r["key"] for r in body["by_agency"]] == ["UJI-DIK"]
    other = client.get(URL, params={**PARAMS, "agency_id": scene.kes.id}, headers=headers)
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")
    own = client.get(URL, params={**PARAMS, "agency_id": scene.dik.id}, headers=headers)
    assert own.json()["total_spend"] == 8_200_000


def test_supplier_is_refused(client: TestClient, factory: Factory, scene: Scene) -> None:
    _, headers = factory.login(Role.SUPPLIER, supplier_id=scene.s1.id)
    assert client.get(URL, params=PARAMS, headers=headers).status_code == 403


def test_unknown_agency_and_bad_period(client: TestClient, factory: Factory, scene: Scene) -> None:
    _, headers = factory.login(Role.ADMIN)
    assert (
        client.get(URL, params={**PARAMS, "agency_id": 999_999}, headers=headers).status_code == 404
    )
    bad = client.get(URL, params={"start": "2026-05-01", "end": "2026-04-01"}, headers=headers)
    assert bad.status_code == 422
    assert client.get(URL, params={"start": "kemarin"}, headers=headers).status_code == 422


def test_login_required(client: TestClient) -> None:
    assert client.get(URL).status_code == 401


def test_public_summary_without_login(client: TestClient, scene: Scene) -> None:
    response = client.get("/api/v1/public/summary", params={"year": 2026})
    assert response.status_code == 200, response.text
    body = response.json()
    # The year up to today (15 May 2026): March-April plus O12 of 1 May.
    assert body["total_spend"] == 79_800_000 + 200_000
    assert body["umk_spend"] == 78_200_000 + 200_000
    assert body["target_share"] == 0.4
    assert body["end"] == "2026-05-15"
    assert len(body["monthly"]) == 5
    assert "by_agency" not in body and "integrity_flags" not in body
    assert body["ocds_url"] == "/api/v1/opendata/ocds?start=2026-01-01&end=2026-05-15"
