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
from matcher.optimizer.constraints import priority_share
from matcher.optimizer.diagnostics import diagnose
from matcher.optimizer.eligibility import eligible_pairs
from matcher.optimizer.formulation import Formulation, PairData, pair_data
from matcher.optimizer.model import Allocation, AllocationLine, Instance, StageResult, StageStatus
from matcher.optimizer.objectives import STAGES, Objective, ObjectiveModule, PairsView
from matcher.optimizer.relaxation import Duals, fixings, lp_free_bound, relax
from matcher.optimizer.solvers.auto import solve_stage
from matcher.optimizer.solvers.base import IntArray, MipBackend, SolveParams, tighter
from matcher.optimizer.solvers.greedy import greedy

SOLVERS: tuple[str, ...] = ("auto", "cpsat", "highs", "mathopt", "greedy")


FINISH_SECONDS_PER_PAIR = 5e-7


@dataclass(frozen=True)
class SolveOptions:
    """``time_limit`` is the total wall time in seconds for all stages; each stage gets a share
    of what is left (``stage_shares``), unused time rolls over to later stages."""

    solver: str = "auto"
    time_limit: float = 60.0
    threads: int = 2
    seed: int = 0
    deterministic: bool = False
    stage_shares: tuple[float, float, float] = (0.7, 0.5, 1.0)
    diagnostics: bool = True


def backend(name: str) -> MipBackend:
    if name == "cpsat":
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
    proven: bool,
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
    if proven and bound == value:
        status = "optimal"
    return StageResult(objective.name, status, value, bound, gap(value, bound), seconds, solver)


def lines_of(inst: Instance, pd: PairData, x: IntArray) -> tuple[AllocationLine, ...]:
    used = np.flatnonzero(x[: len(pd)] > 0)
    return tuple(
        AllocationLine(
            inst.needs[int(pd.need[p])].need_id,
            inst.offers[int(pd.offer[p])].offer_id,
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
    pairs = eligible_pairs(instance)
    # What follows the last stage (lines, diagnostics: ~2 s at 6.8 million pairs) is inside
    # the time limit too.
    deadline = (
        start + opts.time_limit - min(0.05 * opts.time_limit, FINISH_SECONDS_PER_PAIR * len(pairs))
    )
    pd = pair_data(instance, pairs)
    x, greedy_seconds = greedy(instance, pd)
    x = priority_share.start(instance, pd, x)
    params = SolveParams(opts.time_limit, opts.threads, opts.seed, opts.deterministic)
    stages: list[StageResult] = []
    fixed: list[tuple[ObjectiveModule, int]] = priority_share.initial_fixed(instance)
    stage1_duals: Duals | None = None
    form: Formulation | None = None
    lp_support: IntArray | None = None  # the previous stage's LP columns (auto engine)
    mip = None if opts.solver in ("greedy", "auto") else backend(opts.solver)
    if mip is not None:
        form = build_formulation(instance, pairs)
    for index, (_name, make) in enumerate(priority_share.stages(instance, STAGES)):
        stage_start = time.perf_counter()
        share = opts.stage_shares[min(index, len(opts.stage_shares) - 1)]
        budget = max(0.05, (deadline - stage_start) * share)
        objective = make(PairsView(instance, pd))
        solver_name = opts.solver
        bound: float | None
        proven = False
        if opts.solver == "auto":
            out = solve_stage(instance, pd, make, fixed, x, budget, params, lp_support)
            x, bound, proven = out.x, out.bound, out.proven_by_mip
            duals, lp_support = out.duals, out.lp_support
        else:
            fixed_rows = fixings(instance, pd, fixed)
            lp_time = budget * (0.3 if mip is not None else 1.0)
            relaxed = relax(
                instance, pd, objective.coef, objective.sense, fixed_rows, x > 0, lp_time
            )
            sign = 1.0 if objective.sense == "max" else -1.0
            bound = sign * relaxed.bound if np.isfinite(relaxed.bound) else None
            bound = tighter(
                objective.sense, bound, lp_free_bound(instance, pd, objective.name, fixed).bound
            )
            duals = relaxed.duals
            if mip is not None and form is not None and len(pairs):
                staged = form
                for m, v in fixed:
                    staged = with_objective_fixed(staged, m(staged), v)
                stage_objective = make(staged)
                left = max(0.05, deadline - time.perf_counter()) * share
                outcome = mip.solve(
                    staged,
                    stage_objective,
                    SolveParams(max(0.05, left), opts.threads, opts.seed, opts.deterministic),
                    hint=complete_columns(staged, x),
                )
                solver_name = outcome.solver
                current = objective.internal(x)
                if outcome.values is not None and outcome.objective is not None:
                    better = (
                        outcome.objective > current
                        if objective.sense == "max"
                        else outcome.objective < current
                    )
                    if better:
                        x = outcome.values[: len(pd)]
                bound = tighter(objective.sense, bound, outcome.bound)
                proven = outcome.status == "optimal"
        if index == 0:
            stage1_duals = duals
        value = objective.internal(x)
        seconds = time.perf_counter() - stage_start + (greedy_seconds if index == 0 else 0.0)
        stages.append(_stage_result(objective, proven, value, bound, seconds, solver_name))
        fixed.append((make, value))
    lines = lines_of(instance, pd, x)
    reported = [s.value or 0 for s in stages]
    needs_diag, binding = diagnose(instance, pd, x, stage1_duals) if opts.diagnostics else ((), ())
    allocation = Allocation(
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
    return priority_share.finish(instance, pd, x, allocation)
