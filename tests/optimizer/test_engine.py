"""The default engine's parts: bounds are valid, the restricted path stays feasible."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.optimizer import Instance, SolveOptions, read_instance, relaxation, solve, validate
from matcher.optimizer.formulation import pair_data
from matcher.optimizer.relaxation import knapsack_bound, relax
from matcher.optimizer.solvers import restricted_mip
from matcher.optimizer.solvers.greedy import greedy
from matcher.optimizer.solvers.lp_rounding import feasible, round_lp
from tests.optimizer.test_io import EXAMPLE
from tests.optimizer.test_properties import instances


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_bounds_are_valid(inst: Instance) -> None:
    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert best.stages[0].status == "optimal"
    filled = inst.demand_value - best.unmet_value
    pd = pair_data(inst)
    assert knapsack_bound(inst, pd) >= filled - 1e-6
    relaxed = relax(inst, pd, pd.hps, "max", [], time_limit=10)
    assert relaxed.bound >= filled - 1e-6


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_pricing_rounds_reach_the_full_lp(inst: Instance, data: st.DataObject) -> None:
    # Small instances solve one LP over every pair; large ones price pairs in by rounds,
    # from the incumbent's pairs or the previous stage's LP columns (any start). All must
    # reach the same LP value and a bound at least the optimum's.
    pd = pair_data(inst)
    start = np.array(data.draw(st.lists(st.booleans(), min_size=len(pd), max_size=len(pd))))
    full = relax(inst, pd, pd.hps, "max", [], time_limit=10)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(relaxation, "FULL_LP_PAIRS", 0)
        patch.setattr(relaxation, "FULL_LATER_LP_PAIRS", 0)
        priced = [
            relax(inst, pd, pd.hps, "max", [], start=mask, time_limit=10, per_need=1)
            for mask in (None, start.astype(np.bool_))
        ]
    assert full.converged
    for run in priced:
        assert run.converged
        assert run.lp_value == pytest.approx(full.lp_value, rel=1e-7, abs=1e-3)
        assert run.bound >= full.lp_value - 1e-6 * max(1.0, abs(full.lp_value))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_rounding_and_greedy_feasible(inst: Instance) -> None:
    pd = pair_data(inst)
    x, _ = greedy(inst, pd)
    assert feasible(inst, pd, x)
    relaxed = relax(inst, pd, pd.hps, "max", [], time_limit=10)
    rounded = round_lp(inst, pd, relaxed.x, pd.hps)
    assert feasible(inst, pd, rounded)


def test_restricted_path_on_example(monkeypatch: pytest.MonkeyPatch) -> None:
    # Force the large-instance path (LP-guided candidate subset) on the shared example.
    monkeypatch.setattr(restricted_mip, "FULL_MIP_PAIRS", 10)
    inst = read_instance(EXAMPLE)
    result = solve(inst, SolveOptions(solver="auto", time_limit=20))
    report = validate(inst, result.lines)
    assert report.ok, report.violations
    greedy_result = solve(inst, SolveOptions(solver="greedy"))
    assert result.unmet_value <= greedy_result.unmet_value
    for stage in result.stages:
        assert stage.bound is not None and stage.value is not None
        if stage.name == "priority":
            assert stage.bound >= stage.value
        else:
            assert stage.bound <= stage.value
    assert np.isfinite(result.seconds)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_stage_bounds_are_valid(inst: Instance) -> None:
    from matcher.optimizer.relaxation import min_cost_bound

    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert all(s.status == "optimal" for s in best.stages)
    pd = pair_data(inst)
    assert knapsack_bound(inst, pd, only=pd.priority) >= best.priority_value - 1e-6
    filled = inst.demand_value - best.unmet_value
    assert min_cost_bound(inst, pd, filled) <= best.cost + 1e-6


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_capacity_bound_is_valid(inst: Instance) -> None:
    from matcher.optimizer.relaxation import capacity_bound

    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert capacity_bound(inst, pair_data(inst)) >= inst.demand_value - best.unmet_value - 1e-6
