"""Faults: the database going away answers 503 problem+json and the app recovers without a
restart (PostgreSQL stopped and started under it); a planning process killed mid-run leaves
a failed plan and no plan lines."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from matcher.auth.security import create_access_token
from matcher.db import make_engine, unit_of_work
from matcher.models import Need, NeedStatus, Plan, PlanLine, PlanStatus, Role, User
from matcher.planning.service import recover_interrupted
from tests.fuzz.world import load_world
from tests.pg import postgres_cluster, server_binaries


def _pg_ctl_at(bindir: Path, data: Path, port: int, action: str) -> None:
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    options = f"-p {port} -k {data.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
    command = [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "60"]
    if action == "stop":
        command += ["-m", "fast", "stop"]
    else:
        command += ["-l", str(data.parent / "server.log"), "-o", options, "start"]
    subprocess.run(command, check=True, capture_output=True)


@pytest.mark.slow
def test_database_down_is_503_and_recovers_without_restart(
    point_at: Callable[[str], None],
) -> None:
    with postgres_cluster() as url:
        from matcher.migrations import upgrade

        upgrade(url)
        point_at(url)
        with unit_of_work() as session:
            world = load_world(session)
            token = create_access_token(world.users[Role.VIEWER].id)[0]
        from api.main import app

        headers = {"Authorization": f"Bearer {token}"}
        engine = make_engine(url)
        with engine.connect() as connection:
            data = Path(connection.execute(text("SHOW data_directory")).scalar_one())
            port = int(connection.execute(text("SHOW port")).scalar_one())
        engine.dispose()
        bindir = server_binaries()
        assert bindir is not None
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/api/v1/agencies", headers=headers).status_code == 200
            _pg_ctl_at(bindir, data, port, "stop")
            try:
                for _ in range(3):
                    down = client.get("/api/v1/agencies", headers=headers)
                    assert down.status_code == 503, down.text
                    assert down.headers["content-type"].startswith("application/problem+json")
                    assert down.headers["retry-after"] == "5"
                    assert down.json()["status"] == 503
            finally:
                _pg_ctl_at(bindir, data, port, "start")
            # Same process, same engine: pre-ping drops the dead pooled connections.
            back = client.get("/api/v1/agencies", headers=headers)
            assert back.status_code == 200, back.text
            assert back.json()["total"] > 0


@pytest.mark.slow
def test_killed_planning_run_leaves_a_failed_plan_and_no_lines(
    fresh_database: Callable[[], str], point_at: Callable[[str], None]
) -> None:
    url = fresh_database()
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        load_world(session)
        session.commit()
        submitted = session.scalar(
            select(func.count()).select_from(Need).where(Need.status == NeedStatus.SUBMITTED)
        )
    assert submitted
    env = {**os.environ, "MATCHER_DATABASE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "matcher.cli.main", "plan", "run", "--solver", "cpsat",
         "--time-limit", "60", "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            with Session(engine) as session:
                status = session.scalar(select(Plan.status).order_by(Plan.id.desc()))
            if status == PlanStatus.RUNNING:
                break
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the plan never started running"
            time.sleep(0.05)
        time.sleep(0.5)  # mid-run: loading, building or solving
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    with Session(engine) as session:
        plan = session.scalars(select(Plan).order_by(Plan.id.desc())).first()
        assert plan is not None and plan.status == PlanStatus.RUNNING  # as the kill left it
        assert session.scalar(select(func.count()).select_from(PlanLine)) == 0
    # What the server does at start-up: the interrupted run is marked failed, visibly.
    point_at(url)
    with unit_of_work() as session:
        recover_interrupted(session)
    with Session(engine) as session:
        plan = session.scalars(select(Plan).order_by(Plan.id.desc())).first()
        assert plan is not None and plan.status == PlanStatus.FAILED
        assert plan.error and "Terputus" in plan.error
        assert session.scalar(select(func.count()).select_from(PlanLine)) == 0
        still = session.scalar(
            select(func.count()).select_from(Need).where(Need.status == NeedStatus.SUBMITTED)
        )
        assert still == submitted  # no need was marked planned
        assert (session.scalar(select(func.count()).select_from(User)) or 0) > 0
    engine.dispose()
