"""Contract fuzzing: for each role, every operation with generated requests (half aimed at
rows of the seeded demo data) and that role's real token. No 5xx, no status code, content
type or body outside the OpenAPI document. At least 2 000 requests in all (5 roles)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from matcher.models import Role
from tests.fuzz.harness import FuzzReport, examples_per_operation, fuzz_operation, load_schema
from tests.fuzz.harness import operations as schema_operations
from tests.fuzz.world import load_world

MIN_TOTAL_REQUESTS = 2_000
MIN_PER_ROLE = math.ceil(MIN_TOTAL_REQUESTS / len(Role))


@pytest.mark.slow
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_operation_keeps_its_contract(
    client: TestClient, db: Session, role: Role, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.idempotency import get_idempotency_sessions
    from api.main import app
    from matcher.planning import jobs

    # Queued planning runs are recorded, not solved: a solver thread's own session could not
    # see the test transaction (tests/planning covers the runs themselves).
    queued: list[int] = []
    monkeypatch.setattr(jobs, "_runner", jobs.JobRunner(queued.append))

    connection = db.connection()
    app.dependency_overrides[get_idempotency_sessions] = lambda: (
        lambda: Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    )
    try:
        _fuzz(app, db, role)
    finally:
        app.dependency_overrides.pop(get_idempotency_sessions, None)


def _fuzz(app: Any, db: Session, role: Role) -> None:
    world = load_world(db)
    schema = load_schema(app)
    operations = list(schema_operations(schema))
    assert len(operations) >= 60
    examples = examples_per_operation(max(8, math.ceil(MIN_PER_ROLE / len(operations))))
    report = FuzzReport()
    for operation in operations:
        fuzz_operation(operation, world.headers(role), world.ids, report, examples=examples)
    print(
        f"{role.value}: {report.requests} requests, statuses {dict(sorted(report.by_status.items()))}"
    )
    summary = "\n".join(sorted({f.splitlines()[0] for f in report.failures}))
    assert not report.failures, summary + "\n\n" + "\n\n".join(report.failures[:5])
    assert report.requests >= MIN_PER_ROLE
    # The token worked: most requests got past authentication.
    assert report.by_status[401] < report.requests / 2
