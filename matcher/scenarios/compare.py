"""Several scenarios side by side: each base is solved once, every scenario against it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from matcher.scenarios.runner import (
    Solved,
    load_base,
    options_for,
    run_on_base,
    solve_instance,
)
from matcher.scenarios.schema import Scenario


def compare_scenarios(
    scenarios: Sequence[tuple[Scenario, Path | None]],
    *,
    session: Session | None = None,
    time_limit: float | None = None,
) -> dict[str, Any]:
    """``{"columns": [base, scenario 1, ...]}``: the first base, then each scenario's metrics
    with its status and message; ``results`` holds each scenario's full comparison."""
    solved_bases: dict[Any, Solved] = {}
    columns: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for scenario, folder in scenarios:
        base = load_base(scenario, scenario_dir=folder, session=session)
        key = base
        if key not in solved_bases:
            solved_bases[key] = solve_instance(base, options_for(scenario, time_limit))
            if not columns:
                columns.append(
                    {
                        "name": "Dasar",
                        "status": solved_bases[key].metrics.status,
                        "message": "",
                        "metrics": solved_bases[key].metrics.to_json(),
                    }
                )
        result = run_on_base(
            scenario, base, time_limit=time_limit, base_solved=solved_bases[key]
        ).to_json()
        results.append(result)
        columns.append(
            {
                "name": scenario.name,
                "status": result["status"],
                "message": result["message"],
                "metrics": result["scenario"],
            }
        )
    return {"columns": columns, "results": results}
