"""The lexicographic solve: stage 1 (unmet value), stage 2 (priority value), stage 3 (cost).

Each stage starts from the previous stage's solution (a warm start that is feasible for the
new stage by construction) and fixes the earlier objectives at their *achieved* values, so a
later stage never worsens an earlier one; its bound holds relative to those fixings. A stage
keeps the incoming solution whenever the solver returns nothing better."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matcher.optimizer.build import build_formulation, complete_columns, with_objective_fixed
from matcher.optimizer.diagnostics import diagnose
from matcher.optimizer.eligibility import eligible_pairs
from matcher.optimizer.formulation import Formulation
from matcher.optimizer.model import Allocation, AllocationLine, Instance, StageResult, StageStatus
from matcher.optimizer.objectives import STAGES, Objective
from matcher.optimizer.solvers.base import IntArray, MipBackend, SolveOutcome, SolveParams
from matcher.optimizer.solvers.greedy import greedy
from matcher.optimizer.solvers.highs import LpResult, solve_lp

SOLVERS: tuple[str, ...] = ("auto", "cpsat", "highs", "mathopt", "greedy")


@dataclass(frozen=True)
class SolveOptions:
    """``time_limit`` is the total wall time in seconds for all stages; each stage gets a share
    of what is left (``stage_shares``), unused time rolls over to later stages."""

    solver: str = "auto"
    time_limit: float = 60.0
    threads: int = 2
    seed: int = 0
    deterministic: bool = False
    stage_shares: tuple[float, float, float] = (0.6, 0.5, 1.0)
    diagnostics: bool = True


def backend(name: str) -> MipBackend:
    if name in ("cpsat", "auto"):
        from matcher.optimizer.solvers.cpsat import CpSatBackend

        return CpSatBackend()
    if name == "highs":
        from matcher.optimizer.solvers.highs import HighsBackend

        return HighsBackend()
    if name == "mathopt":
        from matcher.optimizer.solvers.mathopt_highs import MathOptBackend

        return MathOptBackend()
    raise ValueError(f"unknown solver {name!r} (choose from {', '.join(SOLVERS)})")


def gap(value: int | None, bound: int | None) -> float | None:
    if value is None or bound is None:
        return None
    return abs(value - bound) / max(abs(value), 1)


def _stage_result(
    objective: Objective,
    outcome: SolveOutcome | None,
    value_internal: int,
    bound_internal: float | None,
    seconds: float,
    solver: str,
) -> StageResult:
    value = objective.report(value_internal)
    bound = objective.report_bound(bound_internal) if bound_internal is not None else None
    status: StageStatus = "feasible"
    if bound is not None and bound == value:
        status = "optimal"
    if outcome is not None and outcome.status == "optimal" and bound == value:
        status = "optimal"
    return StageResult(objective.name, status, value, bound, gap(value, bound), seconds, solver)


def _tighter(objective: Objective, a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b) if objective.sense == "max" else max(a, b)


def lines_of(form: Formulation, x: IntArray) -> tuple[AllocationLine, ...]:
    inst = form.instance
    used = np.flatnonzero(x[: form.num_pairs] > 0)
    return tuple(
        AllocationLine(
            inst.needs[int(form.pairs.need[p])].need_id,
            inst.offers[int(form.pairs.offer[p])].offer_id,
            int(x[p]),
        )
        for p in used
    )


def solve(instance: Instance, options: SolveOptions | None = None) -> Allocation:
    """Solve the spec's lexicographic allocation model for ``instance``."""
    opts = options or SolveOptions()
    if opts.solver not in SOLVERS:
        raise ValueError(f"unknown solver {opts.solver!r} (choose from {', '.join(SOLVERS)})")
    start = time.perf_counter()
    deadline = start + opts.time_limit
    pairs = eligible_pairs(instance)
    form = build_formulation(instance, pairs)
    x0, greedy_seconds = greedy(form)
    cols = complete_columns(form, x0)
    stages: list[StageResult] = []
    lp_stage1: LpResult | None = None
    current = form
    mip = None if opts.solver == "greedy" else backend(opts.solver)
    for index, (_name, make) in enumerate(STAGES):
        objective = make(form)
        stage_start = time.perf_counter()
        bound: float | None = None
        outcome: SolveOutcome | None = None
        if index == 0:
            lp_stage1 = solve_lp(current, objective, max(1.0, deadline - time.perf_counter()))
            if lp_stage1.optimal:
                bound = lp_stage1.objective
        if mip is not None and len(pairs):
            left = max(0.0, deadline - time.perf_counter())
            share = opts.stage_shares[min(index, len(opts.stage_shares) - 1)]
            params = SolveParams(
                time_limit=max(0.05, left * share),
                threads=opts.threads,
                seed=opts.seed,
                deterministic=opts.deterministic,
            )
            outcome = mip.solve(current, objective, params, hint=cols)
            if outcome.values is not None and outcome.objective is not None:
                better = (
                    outcome.objective >= objective.internal(cols)
                    if objective.sense == "max"
                    else outcome.objective <= objective.internal(cols)
                )
                if better:
                    cols = outcome.values
            bound = _tighter(objective, bound, outcome.bound)
        elif not len(pairs):
            bound = 0.0
        value = objective.internal(cols)
        seconds = time.perf_counter() - stage_start + (greedy_seconds if index == 0 else 0.0)
        solver_name = outcome.solver if outcome is not None else "greedy"
        stages.append(_stage_result(objective, outcome, value, bound, seconds, solver_name))
        current = with_objective_fixed(current, objective, value)
    x = cols[: form.num_pairs]
    lines = lines_of(form, x)
    reported = [s.value or 0 for s in stages]
    needs_diag, binding = diagnose(form, x, lp_stage1) if opts.diagnostics else ((), ())
    return Allocation(
        lines=lines,
        unmet_value=reported[0],
        priority_value=reported[1],
        cost=reported[2],
        stages=stages,
        seconds=time.perf_counter() - start,
        eligible_pairs=len(pairs),
        needs=needs_diag,
        binding=binding,
        solver=opts.solver,
    )
