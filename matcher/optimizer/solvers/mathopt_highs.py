"""OR-Tools MathOpt back end (HiGHS through MathOpt by default; any MathOpt MIP solver
can be passed). Kept for comparison; building the model goes through Python objects, so it
is the slowest to build at scale."""

from __future__ import annotations

import time
from datetime import timedelta

import numpy as np
from ortools.math_opt.python import mathopt

from matcher.optimizer.formulation import Formulation
from matcher.optimizer.objectives import Objective
from matcher.optimizer.solvers.base import IntArray, SolveOutcome, SolveParams, proven


class MathOptBackend:
    def __init__(self, solver_type: mathopt.SolverType = mathopt.SolverType.HIGHS) -> None:
        self.solver_type = solver_type
        self.name = f"mathopt-{solver_type.name.lower()}"

    def solve(
        self,
        form: Formulation,
        objective: Objective,
        params: SolveParams,
        hint: IntArray | None = None,
    ) -> SolveOutcome:
        start = time.perf_counter()
        model = mathopt.Model(name="matcher")
        lb = form.col_lb.tolist()
        ub = form.col_ub.tolist()
        cols = [model.add_integer_variable(lb=lb[i], ub=ub[i]) for i in range(form.num_cols)]
        for fam in form.families.values():
            order = np.argsort(fam.row, kind="stable")
            rows, colidx, vals = fam.row[order], fam.col[order], fam.val[order]
            bounds = np.searchsorted(rows, np.arange(fam.size + 1)).tolist()
            colidx_l, vals_l = colidx.tolist(), vals.tolist()
            for r in range(fam.size):
                a, b = bounds[r], bounds[r + 1]
                expr = mathopt.fast_sum(
                    v * cols[c] for c, v in zip(colidx_l[a:b], vals_l[a:b], strict=True)
                )
                lo, hi = float(fam.lo[r]), float(fam.hi[r])
                model.add_linear_constraint(lb=lo, ub=hi, expr=expr)
        nz = np.flatnonzero(objective.coef).tolist()
        coef = objective.coef.tolist()
        obj = mathopt.fast_sum(coef[c] * cols[c] for c in nz)
        model.set_objective(obj, is_maximize=objective.sense == "max")
        remaining = max(0.01, params.time_limit - (time.perf_counter() - start))
        solve_params = mathopt.SolveParameters(
            time_limit=timedelta(seconds=remaining),
            random_seed=params.seed,
            relative_gap_tolerance=1e-9,
            absolute_gap_tolerance=0.5,
            threads=max(1, params.threads),
        )
        model_params = mathopt.ModelSolveParameters()
        if hint is not None:
            model_params = mathopt.ModelSolveParameters(
                solution_hints=[
                    mathopt.SolutionHint(
                        variable_values=dict(zip(cols, hint.astype(float).tolist(), strict=True))
                    )
                ]
            )
        try:
            result = mathopt.solve(
                model, self.solver_type, params=solve_params, model_params=model_params
            )
        except Exception:  # a solver that rejects hints or threads: retry plainly
            solve_params = mathopt.SolveParameters(time_limit=timedelta(seconds=remaining))
            result = mathopt.solve(model, self.solver_type, params=solve_params)
        seconds = time.perf_counter() - start
        reason = result.termination.reason
        if reason == mathopt.TerminationReason.INFEASIBLE:
            return SolveOutcome("infeasible", None, None, None, seconds, self.name)
        if not result.has_primal_feasible_solution():
            return SolveOutcome("unknown", None, None, None, seconds, self.name)
        raw = result.variable_values(cols)
        values = np.rint(np.asarray(raw, dtype=np.float64)).astype(np.int64)
        value = objective.internal(values)
        bound = float(result.termination.objective_bounds.dual_bound)
        ok = reason == mathopt.TerminationReason.OPTIMAL and proven(objective, value, bound)
        return SolveOutcome(
            "optimal" if ok else "feasible", values, value, bound, seconds, self.name
        )
