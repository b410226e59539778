"""The OpenAPI document is complete: every operation declares the problem responses it can
return, as application/problem+json, and the declarations match what the API really does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import app
from matcher.models import Role
from tests.factories import Factory

METHODS = frozenset({"get", "post", "put", "patch", "delete"})
# Operations anyone may call without a token.
PUBLIC = frozenset(
    {
        ("post", "/api/v1/auth/token"),
        ("get", "/api/v1/taxonomy"),
        ("get", "/api/v1/taxonomy/{code}"),
        ("get", "/api/v1/documents/verify/{code}"),
        ("get", "/api/v1/public/summary"),
        ("get", "/api/v1/opendata/ocds"),
    }
)


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = app.openapi()
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


OPERATIONS = _operations()
IDS = [f"{method.upper()} {path}" for method, path, _ in OPERATIONS]


def test_there_are_operations() -> None:
    paths = {path for _, path, _ in OPERATIONS}
    for expected in (
        "/api/v1/offers/{offer_id}",
        "/api/v1/agencies/{agency_id}",
        "/api/v1/users/me/password",
        "/api/v1/certificates/{certificate_id}",
    ):
        assert expected in paths


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_operation_declares_its_problems(method: str, path: str, operation: dict[str, Any]) -> None:
    declared = set(operation["responses"])
    if operation.get("parameters") or operation.get("requestBody"):
        assert "422" in declared, "takes input but does not declare 422"
    if "security" in operation:
        assert "401" in declared, "needs a token but does not declare 401"
    else:
        assert (method, path) in PUBLIC, "operation is callable without a token"
    if any(p["in"] == "path" for p in operation.get("parameters", [])):
        assert "404" in declared, "addresses one resource but does not declare 404"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_problems_are_problem_json(method: str, path: str, operation: dict[str, Any]) -> None:
    for code, response in operation["responses"].items():
        if code.isdigit() and int(code) >= 400:
            content = response.get("content", {})
            assert "application/problem+json" in content, f"{code} is not problem+json"
            schema = content["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, code


def test_problem_schema_is_published() -> None:
    problem = app.openapi()["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(problem["properties"])


SECURED = [(m, p) for m, p, op in OPERATIONS if "security" in op]


@pytest.mark.parametrize(("method", "path"), SECURED, ids=[f"{m.upper()} {p}" for m, p in SECURED])
def test_declared_401_is_real(client: TestClient, method: str, path: str) -> None:
    """Without a token every secured operation answers 401 problem+json, before validating
    anything else."""
    url = re.sub(r"\{[^}]+\}", "1", path)
    response = client.request(method.upper(), url)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["status"] == 401


def test_bad_query_parameter_is_problem_naming_it(client: TestClient, factory: Factory) -> None:
    _, headers = factory.login(Role.VIEWER)
    response = client.get("/api/v1/agencies", params={"page": "dua"}, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["status"], body["instance"]) == (422, "/api/v1/agencies")
    assert [e["loc"] for e in body["errors"]] == [["query", "page"]]
    assert "page" in body["detail"]
