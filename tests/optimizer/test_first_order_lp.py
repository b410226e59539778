"""The first-order LP (relaxation.first_order_lp), its column generation and the priced flow
bound (first_order_relax, priced_flow_bound), and their use at stage 1 of the auto engine on
instances beyond a full simplex LP."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.optimizer import Agency, Instance, SolveOptions, solve, validate
from matcher.optimizer import relaxation as relaxation_module
from matcher.optimizer.formulation import pair_data
from matcher.optimizer.relaxation import (
    PRICED_FLOW_SCALE,
    Duals,
    first_order_lp,
    first_order_relax,
    flow_bound,
    priced_flow_bound,
    relax,
)
from matcher.optimizer.solvers import auto
from tests.optimizer.helpers import instance, need, offer
from tests.optimizer.test_properties import instances

SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _market() -> Instance:
    """Twelve needs of two agencies sharing 30 offers: budgets, capacities and k bind."""
    return instance(
        [
            need(f"N{i}", f"A{i % 2}", quantity=20 + 3 * i, max_unit_price=100 + 10 * i)
            for i in range(12)
        ],
        [
            offer(f"O{j}", f"S{j % 5}", capacity=2 + (7 * j) % 11, unit_price=50 + (13 * j) % 50)
            for j in range(30)
        ],
        agencies=[Agency("A0", "Dinas A0", 9_000), Agency("A1", "Dinas A1", 15_000)],
        k=2,
    )


def test_reaches_the_simplex_lp_value_within_its_tolerance() -> None:
    inst = _market()
    pd = pair_data(inst)
    exact = relax(inst, pd, pd.hps, "max", [], time_limit=30)
    assert exact.converged
    cols = np.arange(len(pd))
    x = first_order_lp(inst, pd, cols, pd.hps.astype(np.float64), 10.0, deterministic=True)
    assert (x >= 0).all() and (x <= pd.stock_ub).all()
    assert float(np.dot(pd.hps, x)) == pytest.approx(exact.lp_value, rel=1e-3)


def test_stays_on_the_given_pairs() -> None:
    inst = _market()
    pd = pair_data(inst)
    cols = np.flatnonzero(pd.offer % 3 == 0)
    x = first_order_lp(inst, pd, cols, pd.hps.astype(np.float64), 10.0, deterministic=True)
    outside = np.ones(len(pd), dtype=np.bool_)
    outside[cols] = False
    assert (x[outside] == 0).all() and x[cols].sum() > 0
    assert first_order_lp(inst, pd, cols[:0], pd.hps.astype(np.float64), 10.0).sum() == 0


@pytest.fixture
def beyond_full_lp(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every instance on the LNS path and beyond a full simplex LP; records the seconds
    given to each first-order LP."""
    monkeypatch.setattr(relaxation_module, "FULL_LP_PAIRS", 0)
    monkeypatch.setattr(relaxation_module, "FULL_LATER_LP_PAIRS", 0)
    monkeypatch.setattr(auto, "FULL_MIP_PAIRS", 0)
    calls: list[float] = []

    def spy(*args: object, **kwargs: object) -> np.ndarray:
        calls.append(float(args[4]))  # type: ignore[arg-type]
        return first_order_lp(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(auto, "first_order_lp", spy)
    return calls


def test_stage_one_rounds_it_and_stays_deterministic(beyond_full_lp: list[float]) -> None:
    inst = _market()
    options = SolveOptions(solver="auto", time_limit=20, deterministic=True)
    first = solve(inst, options)
    # Stage 1 only, within its share of the stage's time.
    assert len(beyond_full_lp) == 1
    assert 0 < beyond_full_lp[0] <= 20 * auto.FIRST_ORDER_SHARE
    assert validate(inst, first.lines).violations == []
    greedy = solve(inst, SolveOptions(solver="greedy", time_limit=5))
    assert first.unmet_value <= greedy.unmet_value
    again = solve(inst, options)
    assert again.lines == first.lines


@SLOW
@given(instances(max_offers=5, max_needs=4))
def test_allocations_stay_valid(beyond_full_lp: list[float], inst: Instance) -> None:
    result = solve(inst, SolveOptions(solver="auto", time_limit=10, deterministic=True))
    assert validate(inst, result.lines).violations == []
    assert result.stages[0].bound is None or result.unmet_value >= result.stages[0].bound


def _duals(inst: Instance, rng: np.random.Generator | None = None) -> Duals:
    """Zero multipliers, or random nonnegative ones of the k, budget and cap rows."""

    def draw(n: int, scale: float) -> np.ndarray:
        return np.zeros(n) if rng is None else rng.exponential(scale, n)

    return Duals(
        np.zeros(len(inst.needs)),
        np.zeros(len(inst.offers)),
        draw(len(inst.agencies), 0.2),
        draw(len(inst.suppliers), 0.2),
        draw(len(inst.needs), 200.0),
        np.zeros(0),
    )


def test_priced_flow_with_zero_multipliers_is_the_flow() -> None:
    inst = _market()
    pd = pair_data(inst)
    flow = flow_bound(inst, pd)
    assert flow is not None
    assert priced_flow_bound(inst, pd, _duals(inst)) == flow.bound


def test_priced_flow_with_the_lp_multipliers_is_the_lp_bound() -> None:
    # The transportation polytope is integral, so pricing the other rows at their optimal
    # multipliers gives back the LP's value (up to the rounding of the arc values).
    inst = _market()
    pd = pair_data(inst)
    lp = relax(inst, pd, pd.hps, "max", [], time_limit=30)
    assert lp.converged and lp.duals is not None
    flow = flow_bound(inst, pd)
    assert flow is not None and lp.bound < flow.bound - 1
    priced = priced_flow_bound(inst, pd, lp.duals)
    assert priced is not None
    assert priced == pytest.approx(lp.bound, abs=len(pd) / PRICED_FLOW_SCALE + 1e-3)


@SLOW
@given(instances(max_offers=5, max_needs=4), st.integers(0, 2**16))
def test_priced_flow_bounds_the_optimum_for_any_multipliers(inst: Instance, seed: int) -> None:
    pd = pair_data(inst)
    priced = priced_flow_bound(inst, pd, _duals(inst, np.random.default_rng(seed)))
    assert priced is not None
    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert best.stages[0].status == "optimal"
    assert priced >= inst.demand_value - best.unmet_value - 1e-6


def test_first_order_column_generation_bounds_and_guides() -> None:
    inst = _market()
    pd = pair_data(inst)
    start = np.zeros(len(pd), dtype=np.bool_)
    start[np.flatnonzero(pd.offer < 5)] = True
    reports: list[float] = []
    result = first_order_relax(
        inst, pd, start, 20.0, deterministic=True, progress=lambda r: reports.append(r.bound)
    )
    assert not result.converged and result.iterations >= 2 and reports
    assert result.candidates.sum() > start.sum()
    assert result.x[~result.candidates].sum() == 0
    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert result.bound >= inst.demand_value - best.unmet_value - 1e-6
    exact = relax(inst, pd, pd.hps, "max", [], time_limit=30)
    assert result.lp_value == pytest.approx(exact.lp_value, rel=0.02)
