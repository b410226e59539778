"""Order tests: the idempotency helper's own short transactions join the test transaction
(as savepoints on the test connection), so everything is still rolled back at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session


@pytest.fixture
def api(client: TestClient, db: Session) -> Iterator[TestClient]:
    from api.idempotency import get_idempotency_sessions
    from api.main import app

    connection = db.connection()

    def sessions() -> Callable[[], Session]:
        return lambda: Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    app.dependency_overrides[get_idempotency_sessions] = sessions
    yield client
    app.dependency_overrides.pop(get_idempotency_sessions, None)
