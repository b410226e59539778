"""OR-Tools CP-SAT back end. Rows are already gcd-scaled; the objective is divided by the
gcd of its coefficients (exact) to keep CP-SAT's integer coefficients small.

Determinism: with ``params.deterministic`` the search runs on one worker and is limited by
deterministic time, so the same input and parameters give the same solution on any machine
load (see the comment in :meth:`CpSatBackend.solve` for why not ``interleave_search``)."""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from matcher.optimizer.formulation import Formulation
from matcher.optimizer.objectives import Objective
from matcher.optimizer.objectives.base import gcd_of
from matcher.optimizer.solvers.base import IntArray, SolveOutcome, SolveParams, proven


class CpSatBackend:
    name = "cpsat"

    def solve(
        self,
        form: Formulation,
        objective: Objective,
        params: SolveParams,
        hint: IntArray | None = None,
    ) -> SolveOutcome:
        start = time.perf_counter()
        model = cp_model.CpModel()
        lb = form.col_lb.tolist()
        ub = form.col_ub.tolist()
        cols = [model.new_int_var(lb[i], ub[i], "") for i in range(form.num_cols)]
        for fam in form.families.values():
            if not fam.size:
                continue
            order = np.argsort(fam.row, kind="stable")
            rows, colidx, vals = fam.row[order], fam.col[order], fam.val[order]
            bounds = np.searchsorted(rows, np.arange(fam.size + 1)).tolist()
            colidx_l = colidx.tolist()
            vals_l = vals.tolist()
            lo_l = fam.lo.tolist()
            hi_l = fam.hi.tolist()
            for r in range(fam.size):
                a, b = bounds[r], bounds[r + 1]
                expr = cp_model.LinearExpr.weighted_sum(
                    [cols[c] for c in colidx_l[a:b]], vals_l[a:b]
                )
                lo = lo_l[r]
                hi = hi_l[r]
                low = int(lo) if np.isfinite(lo) else cp_model.INT_MIN
                high = int(hi) if np.isfinite(hi) else cp_model.INT_MAX
                model.add_linear_constraint(expr, low, high)
        g = gcd_of(objective.coef)
        nz = np.flatnonzero(objective.coef)
        obj = cp_model.LinearExpr.weighted_sum(
            [cols[int(c)] for c in nz], (objective.coef[nz] // g).tolist()
        )
        if objective.sense == "max":
            model.maximize(obj)
        else:
            model.minimize(obj)
        if hint is not None:
            for var, value in zip(cols, hint.tolist(), strict=True):
                model.add_hint(var, value)
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = max(1, params.threads)
        p.random_seed = params.seed
        remaining = max(0.01, params.time_limit - (time.perf_counter() - start))
        p.max_time_in_seconds = remaining
        if params.deterministic:
            # One worker: CP-SAT's single-thread search is deterministic under a deterministic
            # time limit. ``interleave_search`` with 2+ workers aborted the whole process
            # (OR-Tools 9.15: "Check failed: heuristics.fixed_search != nullptr") on the
            # shipped example with an unreachable priority floor, which showed up as a
            # broken process pool in scenario sweeps.
            p.num_workers = 1
            p.max_deterministic_time = remaining
        status = solver.solve(model)
        seconds = time.perf_counter() - start
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = np.array([solver.value(v) for v in cols], dtype=np.int64)
            value = objective.internal(values)
            bound = float(solver.best_objective_bound) * g
            ok = status == cp_model.OPTIMAL and proven(objective, value, bound)
            return SolveOutcome(
                "optimal" if ok else "feasible", values, value, bound, seconds, self.name
            )
        if status == cp_model.INFEASIBLE:
            return SolveOutcome("infeasible", None, None, None, seconds, self.name)
        return SolveOutcome("unknown", None, None, None, seconds, self.name)
