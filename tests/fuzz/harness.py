"""Schemathesis in-process against the ASGI app: every operation of the published OpenAPI
document, generated requests sent with a real bearer token, each response checked for
server errors, undeclared status codes, undeclared content types and bodies outside the
declared schema. ``MATCHER_FUZZ_EXAMPLES`` sets the examples per operation (``make fuzz``
raises it)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Operations left out: logging out revokes the token the run uses (tested in tests/security).
SKIPPED = frozenset({("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/logout/all")})


def examples_per_operation(default: int) -> int:
    return int(os.environ.get("MATCHER_FUZZ_EXAMPLES", default))


@dataclass
class FuzzReport:
    requests: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def load_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in SKIPPED:
            yield operation


def fuzz_operation(
    operation: Any,
    headers: dict[str, str],
    ids: dict[str, list[int]],
    report: FuzzReport,
    *,
    examples: int,
) -> None:
    """Send ``examples`` generated requests (half of them aimed at real rows) and record every
    check failure in ``report`` rather than stopping at the first."""
    names = [p.name for p in operation.path_parameters]
    real = {name: ids[name] for name in names if ids.get(name)}
    strategies = [operation.as_strategy()]
    if real:
        strategies.append(
            st.fixed_dictionaries({n: st.sampled_from(v) for n, v in real.items()}).flatmap(
                lambda fixed: operation.as_strategy(path_parameters=fixed)
            )
        )

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case: Any) -> None:
        report.requests += 1
        try:
            response = case.call(headers=headers)
        except Exception as error:  # the app raised: a 500 reached the ASGI server
            report.by_status[500] += 1
            report.failures.append(
                f"{operation.method.upper()} {operation.path}: server error "
                f"{type(error).__name__}: {error}"[:3000]
            )
            return
        report.by_status[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as error:
            report.failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:3000])

    run()
