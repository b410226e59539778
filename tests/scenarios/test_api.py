"""/api/v1/scenarios: roles, located 422s, a run executed as a job, charts, the service."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from matcher.models import Role, ScenarioRun
from matcher.optimizer.io import write_instance
from matcher.scenarios import service
from tests.factories import Factory
from tests.scenarios.conftest import tiny


class _InlineRunner:
    """Runs the job at once in the test's session (the real runner uses its own session)."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def submit(self, run_id: int) -> None:
        run = self.db.get(ScenarioRun, run_id)
        assert run is not None
        service.execute(self.db, run)
        self.db.commit()


@pytest.fixture
def inline(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "get_runner", lambda: _InlineRunner(db))


def _yaml(tmp_path: Path, changes: str) -> str:
    write_instance(tiny(), tmp_path / "rice")
    return (
        f"name: Uji API\nbase: {{instance: {tmp_path / 'rice'}}}\nsolve: {{time_limit: 5}}\n"
        f"changes:\n{changes}"
    )


def test_roles(client: TestClient, factory: Factory) -> None:
    _, officer = factory.login(Role.OFFICER)
    assert client.get("/api/v1/scenarios/runs", headers=officer).status_code == 403
    _, viewer = factory.login(Role.VIEWER)
    assert client.get("/api/v1/scenarios/runs", headers=viewer).status_code == 200
    examples = client.get("/api/v1/scenarios/examples", headers=viewer).json()
    assert {e["file_name"] for e in examples} >= {"halal-wajib.yaml", "target-umk-60.yaml"}
    response = client.post(
        "/api/v1/scenarios/runs", json={"example": "halal-wajib.yaml"}, headers=viewer
    )
    assert response.status_code == 403


def test_bad_yaml_is_a_located_422(client: TestClient, factory: Factory) -> None:
    _, planner = factory.login(Role.PLANNER)
    body = {"yaml": "name: x\nchanges:\n  - type: budget\n    persen: 5\n"}
    response = client.post("/api/v1/scenarios/runs", json=body, headers=planner)
    assert response.status_code == 422
    problem = response.json()
    assert "skenario.yaml:4:5: changes[0].persen: kolom tidak dikenal" in problem["detail"]
    missing = client.post("/api/v1/scenarios/runs", json={"example": "nope.yaml"}, headers=planner)
    assert missing.status_code == 404


def test_run_and_sweep_are_stored_with_charts(
    client: TestClient, factory: Factory, db: Session, tmp_path: Path, inline: None
) -> None:
    _, planner = factory.login(Role.PLANNER)
    body = {"yaml": _yaml(tmp_path, "  - {type: policy, min_local_share: {share: 0.9}}\n")}
    response = client.post("/api/v1/scenarios/runs", json=body, headers=planner)
    assert response.status_code == 202, response.text
    run_id = response.json()["id"]
    detail = client.get(f"/api/v1/scenarios/runs/{run_id}", headers=planner).json()
    assert detail["status"] == "done"
    assert detail["summary"]["status"] == "infeasible"
    assert detail["message"] == "target tidak dapat dicapai"
    png = client.get(f"/api/v1/scenarios/runs/{run_id}/chart.png", headers=planner)
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")

    sweep_body = {**body, "sweep": {"start": 0, "stop": 0.8, "steps": 3}}
    swept = client.post("/api/v1/scenarios/runs", json=sweep_body, headers=planner).json()
    stored = service.get_run(db, swept["id"])
    assert stored.kind == "sweep"
    assert [p["kind"] for p in stored.sweep_points["points"]] == ["ok", "ok", "infeasible"]
    svg = client.get(f"/api/v1/scenarios/runs/{swept['id']}/chart.svg", headers=planner)
    assert svg.status_code == 200 and "<svg" in svg.text
    listed = [r.id for r in service.list_runs(db)]
    assert listed[:2] == [swept["id"], run_id]
    assert client.get("/api/v1/scenarios/runs/999999", headers=planner).status_code == 404


def test_failed_run_records_the_error(db: Session) -> None:
    request = service.RunRequest(yaml="name: x\nbase: {instance: /nonexistent/folder}\n")
    run = service.create_run(db, None, request)
    service.execute(db, run)
    assert run.status == "failed" and run.error
