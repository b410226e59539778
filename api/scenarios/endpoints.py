"""/api/v1/scenarios: what-if scenario runs (planner and admin run; viewer reads)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Response, status
from pydantic import BaseModel

from api.deps import SessionDep, require_roles
from api.problems import responses
from matcher.auth.principal import Principal
from matcher.errors import NotFound
from matcher.models import Role
from matcher.scenarios import service
from matcher.scenarios.service import RunRequest

# Every operation: planner, admin or viewer; running a scenario: planner or admin.
router = APIRouter(
    prefix="/scenarios",
    tags=["Skenario (scenarios)"],
    dependencies=[Depends(require_roles(Role.PLANNER, Role.ADMIN, Role.VIEWER))],
)

Runner = Annotated[Principal, Depends(require_roles(Role.PLANNER, Role.ADMIN))]


class ScenarioExample(BaseModel):
    file_name: str
    name: str
    description: str
    yaml: str


class ScenarioRunRead(BaseModel):
    id: int
    name: str
    file_name: str
    kind: str
    status: str
    message: str | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    created_by_user_id: int | None


class ScenarioRunDetail(ScenarioRunRead):
    yaml: str
    summary: dict[str, Any]
    sweep: dict[str, Any]


@router.get("/examples", response_model=list[ScenarioExample], responses=responses(401, 403))
def list_examples() -> list[ScenarioExample]:
    """The example scenarios shipped in ``scenarios/``."""
    return [ScenarioExample.model_validate(e) for e in service.examples()]


@router.post(
    "/runs",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ScenarioRunRead,
    responses=responses(401, 403, 404, 422),
)
def start_run(
    body: RunRequest,
    session: SessionDep,
    principal: Runner,
    background: BackgroundTasks,
    response: Response,
) -> ScenarioRunRead:
    """Queue a scenario (YAML text or an example's file name, optionally a sweep); poll
    ``GET /scenarios/runs/{id}``. A bad file answers 422 with every problem located."""
    run = service.create_run(session, principal.user_id, body)
    background.add_task(service.get_runner().submit, run.id)
    response.headers["Location"] = f"/api/v1/scenarios/runs/{run.id}"
    return ScenarioRunRead.model_validate(service.run_json(run, full=False))


@router.get("/runs", response_model=list[ScenarioRunRead], responses=responses(401, 403, 422))
def list_runs(session: SessionDep) -> list[ScenarioRunRead]:
    return [
        ScenarioRunRead.model_validate(service.run_json(r, full=False))
        for r in service.list_runs(session)
    ]


@router.get(
    "/runs/{run_id}", response_model=ScenarioRunDetail, responses=responses(401, 403, 404, 422)
)
def get_run(run_id: int, session: SessionDep) -> ScenarioRunDetail:
    return ScenarioRunDetail.model_validate(service.run_json(service.get_run(session, run_id)))


def _chart(session: SessionDep, run_id: int, fmt: str) -> bytes:
    from matcher.scenarios.charts import comparison_figure, render, sweep_figure

    run = service.get_run(session, run_id)
    if run.status != "done":
        raise NotFound(f"Skenario {run_id} belum selesai (status {run.status})")
    figure = (
        sweep_figure(run.sweep_points) if run.kind == "sweep" else comparison_figure(run.summary)
    )
    return render(figure, fmt)


@router.get(
    "/runs/{run_id}/chart.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **responses(401, 403, 404, 422)},
)
def chart_svg(run_id: int, session: SessionDep) -> Response:
    """The sweep curve (sweep runs) or base-vs-scenario bars."""
    return Response(content=_chart(session, run_id, "svg"), media_type="image/svg+xml")


@router.get(
    "/runs/{run_id}/chart.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **responses(401, 403, 404, 422)},
)
def chart_png(run_id: int, session: SessionDep) -> Response:
    return Response(content=_chart(session, run_id, "png"), media_type="image/png")
