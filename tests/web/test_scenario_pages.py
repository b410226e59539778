"""Planner pages for what-if scenarios: the list, running an example, a stored run's figures
and chart."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.models import Role, ScenarioRun
from matcher.scenarios import service
from tests.factories import Factory
from tests.scenarios.test_api import _yaml, inline
from tests.web.conftest import csrf_of, log_in

__all__ = ["inline"]


def test_viewer_reads_runs_but_cannot_start_one(web: TestClient, factory: Factory) -> None:
    log_in(web, factory.user(Role.VIEWER))
    page = web.get("/perencana/skenario")
    assert page.status_code == 200
    assert "Skenario what-if" in page.text
    assert 'action="/perencana/skenario"' not in page.text
    assert web.post("/perencana/skenario", data={"example": "halal-wajib.yaml"}).status_code == 403


def test_planner_starts_an_example(
    web: TestClient, factory: Factory, db: Session, inline: None
) -> None:
    log_in(web, factory.user(Role.PLANNER))
    page = web.get("/perencana/skenario")
    assert "halal-wajib.yaml" in page.text
    response = web.post(
        "/perencana/skenario",
        data={"example": "halal-wajib.yaml", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    run = db.scalars(select(ScenarioRun)).one()
    assert response.headers["location"] == f"/perencana/skenario/{run.id}"
    assert run.file_name == "halal-wajib.yaml"


def test_stored_run_shows_figures_and_chart(
    web: TestClient, factory: Factory, db: Session, tmp_path: Path
) -> None:
    request = service.RunRequest(yaml=_yaml(tmp_path, "  - {type: budget, percent: -50}\n"))
    run = service.create_run(db, None, request)
    service.execute(db, run)
    db.commit()
    assert run.status == "done"
    log_in(web, factory.user(Role.PLANNER))
    page = web.get(f"/perencana/skenario/{run.id}")
    assert page.status_code == 200
    assert "Dasar dibanding skenario" in page.text
    assert "<svg" in page.text
    listing = web.get("/perencana/skenario")
    assert f'href="/perencana/skenario/{run.id}"' in listing.text


def test_unknown_run_is_404(web: TestClient, factory: Factory) -> None:
    log_in(web, factory.user(Role.PLANNER))
    assert web.get("/perencana/skenario/999999").status_code == 404
