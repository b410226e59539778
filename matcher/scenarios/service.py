"""Stored scenario runs: create (queued), execute as a background job, list and read.

The API queues a run and a single worker thread executes it (like planning jobs: a 2-core
machine gains nothing from two solves at once). ``list_runs`` / ``get_run`` are what the web
UI renders; a run's ``summary`` is :meth:`ScenarioResult.to_json` (plus ``sweep`` for sweep
runs, whose points are in ``sweep_points``)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.errors import InvalidInput, NotFound
from matcher.models import ScenarioRun
from matcher.planning.jobs import JobRunner
from matcher.scenarios.changes import apply_changes
from matcher.scenarios.loader import parse_scenario
from matcher.scenarios.runner import REPO_ROOT, load_base, run_on_base
from matcher.scenarios.sweep import PARAMETERS, grid, sweep

EXAMPLES_DIR = REPO_ROOT / "scenarios"
SWEEP_TIME_LIMIT = 5.0


class SweepRequest(BaseModel):
    param: str = "min_local_share"
    start: float = 0.0
    stop: float = 1.0
    steps: int = Field(default=11, ge=1, le=41)


class RunRequest(BaseModel):
    """Either the YAML text of a scenario or the file name of a shipped example."""

    yaml: str | None = Field(default=None, max_length=100_000)
    example: str | None = Field(default=None, max_length=200)
    sweep: SweepRequest | None = None


def examples() -> list[dict[str, str]]:
    out = []
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        scenario = parse_scenario(path.read_text(encoding="utf-8"), path.name)
        out.append(
            {
                "file_name": path.name,
                "name": scenario.name,
                "description": scenario.description,
                "yaml": path.read_text(encoding="utf-8"),
            }
        )
    return out


def create_run(session: Session, user_id: int | None, request: RunRequest) -> ScenarioRun:
    """Validate and queue; a bad file raises with every problem located (422)."""
    if (request.yaml is None) == (request.example is None):
        raise InvalidInput("Isi tepat satu dari 'yaml' atau 'example'")
    if request.example is not None:
        path = EXAMPLES_DIR / Path(request.example).name
        if path.suffix != ".yaml" or not path.is_file():
            raise NotFound(f"Contoh skenario {request.example} tidak ditemukan")
        text, file_name = path.read_text(encoding="utf-8"), path.name
    else:
        text, file_name = request.yaml or "", "skenario.yaml"
    scenario = parse_scenario(text, file_name)
    if request.sweep is not None and request.sweep.param not in PARAMETERS:
        raise InvalidInput(f"Parameter sapuan tidak dikenal: {request.sweep.param}")
    run = ScenarioRun(
        name=scenario.name,
        file_name=file_name,
        yaml_text=text,
        kind="sweep" if request.sweep is not None else "run",
        status="queued",
        created_by_user_id=user_id,
        summary={},
        sweep_points=request.sweep.model_dump() if request.sweep is not None else {},
    )
    session.add(run)
    session.flush()
    return run


def execute(session: Session, run: ScenarioRun) -> None:
    """Run a queued scenario in ``session`` and store its result (or its error)."""
    run.status = "running"
    session.flush()
    try:
        scenario = parse_scenario(run.yaml_text, run.file_name)
        base = load_base(scenario, scenario_dir=EXAMPLES_DIR, session=session)
        if run.kind == "sweep":
            spec = SweepRequest.model_validate(run.sweep_points)
            result = sweep(
                apply_changes(base, scenario.changes),
                spec.param,
                grid(spec.start, spec.stop, spec.steps),
                time_limit=min(scenario.solve.time_limit, SWEEP_TIME_LIMIT),
            ).to_json()
            run.summary = {"name": scenario.name, "sweep": {**spec.model_dump()}}
            run.sweep_points = {**spec.model_dump(), **result}
            run.message = f"{len(result['points'])} titik"
        else:
            outcome = run_on_base(scenario, base).to_json()
            run.summary = outcome
            run.message = outcome["message"] or outcome["status"]
        run.status = "done"
    except Exception as exc:  # recorded on the run; the job thread must not die
        run.status = "failed"
        run.error = str(exc)[:2000]
    run.finished_at = datetime.now(UTC)
    session.flush()


def execute_run(run_id: int) -> None:
    from matcher.db import unit_of_work

    with unit_of_work() as session:
        run = session.get(ScenarioRun, run_id)
        if run is None or run.status != "queued":
            return
        execute(session, run)


def list_runs(session: Session, limit: int = 100) -> list[ScenarioRun]:
    return list(session.scalars(select(ScenarioRun).order_by(ScenarioRun.id.desc()).limit(limit)))


def get_run(session: Session, run_id: int) -> ScenarioRun:
    run = session.get(ScenarioRun, run_id)
    if run is None:
        raise NotFound(f"Skenario {run_id} tidak ditemukan")
    return run


def run_json(run: ScenarioRun, *, full: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": run.id,
        "name": run.name,
        "file_name": run.file_name,
        "kind": run.kind,
        "status": run.status,
        "message": run.message,
        "error": run.error,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "created_by_user_id": run.created_by_user_id,
    }
    if full:
        out |= {"yaml": run.yaml_text, "summary": run.summary, "sweep": run.sweep_points}
    return out


_runner: JobRunner | None = None
_lock = threading.Lock()


def get_runner() -> JobRunner:
    """The process-wide runner of scenario jobs (one worker thread)."""
    global _runner
    with _lock:
        if _runner is None:
            _runner = JobRunner(execute_run)
        return _runner
