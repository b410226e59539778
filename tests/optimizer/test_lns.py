"""The auto engine's large-instance parts: sub-MIPs over residual limits, the LNS, the
per-need Lagrangian bound, and the whole LNS path on the shared example."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.optimizer import Instance, SolveOptions, read_instance, solve, validate
from matcher.optimizer.formulation import pair_data
from matcher.optimizer.relaxation import (
    Duals,
    NeedSegments,
    _Rows,
    lagrangian_bound,
)
from matcher.optimizer.solvers import auto
from matcher.optimizer.solvers.greedy import greedy
from matcher.optimizer.solvers.lns import improve, neighbourhoods
from matcher.optimizer.solvers.lp_rounding import feasible
from matcher.optimizer.solvers.submip import ExtraRow, Limits, solve_sub
from tests.optimizer.test_io import EXAMPLE
from tests.optimizer.test_properties import instances

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _optimum_filled(inst: Instance) -> int:
    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert best.stages[0].status == "optimal"
    return inst.demand_value - best.unmet_value


ENGINES = ("highs", "cpsat")


@pytest.mark.parametrize("engine", ENGINES)
@SLOW
@given(inst=instances())
def test_sub_mip_over_all_pairs_is_the_stage_one_optimum(engine: str, inst: Instance) -> None:
    pd = pair_data(inst)
    x = np.zeros(len(pd), dtype=np.int64)
    res = solve_sub(
        pd,
        Limits.of(inst),
        x,
        np.arange(len(pd)),
        pd.hps.astype(float),
        time_limit=10,
        engine=engine,
    )
    assert res.x is not None and res.optimal
    assert feasible(inst, pd, res.x)
    assert int(np.dot(pd.hps, res.x)) == _optimum_filled(inst)


@pytest.mark.parametrize("engine", ENGINES)
@SLOW
@given(inst=instances(max_offers=5, max_needs=4), seed=st.integers(0, 2**16))
def test_sub_mip_keeps_the_rest_and_stays_feasible(engine: str, inst: Instance, seed: int) -> None:
    pd = pair_data(inst)
    x, _ = greedy(inst, pd)
    rng = np.random.default_rng(seed)
    subset = np.flatnonzero(rng.random(len(pd)) < 0.5)
    before = int(np.dot(pd.hps, x))
    # The sub-MIP must also keep a priority row the start satisfies.
    prio = np.where(pd.priority, pd.hps, 0).astype(np.int64)
    row = ExtraRow(prio, float(np.dot(prio, x)), np.inf)
    res = solve_sub(
        pd,
        Limits.of(inst),
        x,
        subset,
        pd.hps[subset].astype(float),
        extra=(row,),
        time_limit=10,
        engine=engine,
    )
    assert res.x is not None
    new = x.copy()
    new[subset] = res.x
    outside = np.setdiff1d(np.arange(len(pd)), subset)
    assert (new[outside] == x[outside]).all()
    assert feasible(inst, pd, new)
    assert int(np.dot(prio, new)) >= row.lo
    assert int(np.dot(pd.hps, new)) >= before


@pytest.mark.parametrize("engine", ENGINES)
@SLOW
@given(inst=instances(max_offers=5, max_needs=4))
def test_lns_never_worsens_and_stays_feasible(engine: str, inst: Instance) -> None:
    pd = pair_data(inst)
    x, _ = greedy(inst, pd)
    mask = np.ones(len(pd), dtype=np.bool_)
    out, report = improve(
        inst, pd, x, pd.hps, mask, 5.0, deterministic=True, chunk=2, engine=engine
    )
    assert feasible(inst, pd, out)
    assert int(np.dot(pd.hps, out)) >= int(np.dot(pd.hps, x))
    assert report.rounds >= 1 or not len(pd)


def test_neighbourhoods_cover_every_need_and_are_fixed_by_seed() -> None:
    inst = read_instance(EXAMPLE)
    hoods = neighbourhoods(inst, chunk=3, seed=7)
    covered = np.unique(np.concatenate(hoods))
    assert covered.tolist() == list(range(len(inst.needs)))
    again = neighbourhoods(inst, chunk=3, seed=7)
    assert all((a == b).all() for a, b in zip(hoods, again, strict=True))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=40),
    st.lists(st.floats(0, 100, allow_nan=False), min_size=40, max_size=40),
    st.integers(1, 4),
)
def test_top_sum_matches_sorting(needs: list[int], values: list[float], k: int) -> None:
    from matcher.optimizer.formulation import PairData

    need = np.array(sorted(needs), dtype=np.int64)
    v = np.array(values[: need.size])
    zeros = np.zeros(need.size, dtype=np.int64)
    pd = PairData(need, zeros, zeros, zeros, zeros, zeros, zeros, zeros, zeros.astype(bool), zeros)
    seg = NeedSegments.of(pd, 6)
    got = dict(zip(seg.needs.tolist(), seg.top_sum(v, k).tolist(), strict=True))
    best = dict(zip(seg.needs.tolist(), seg.max(v).tolist(), strict=True))
    for n in set(needs):
        mine = np.sort(v[need == n])[::-1]
        assert got[n] == pytest.approx(mine[:k].sum())
        assert best[n] == pytest.approx(mine[0])


@SLOW
@given(instances(), st.integers(0, 2**16))
def test_lagrangian_bound_is_valid_for_any_multipliers(inst: Instance, seed: int) -> None:
    pd = pair_data(inst)
    if not len(pd):
        return
    rows = _Rows(inst, pd, [])
    rng = np.random.default_rng(seed)
    scale = float(pd.hps.max())

    def r(size: int, per: float) -> np.ndarray:
        return rng.random(size) * per * (rng.random(size) < 0.5)

    duals = Duals(
        r(rows.n_need, scale),
        r(rows.n_offer, scale),
        r(rows.n_ag, 1.0),
        r(rows.n_sup, 1.0),
        r(rows.n_need, scale * 5),
        np.zeros(0),
    )
    duals.k[~rows.crowded] = 0.0
    if inst.policy.max_supplier_value is None:
        duals.supplier_cap[:] = 0.0
    rc = duals.reduced_costs(pd, pd.hps.astype(float), [])
    bound = lagrangian_bound(pd, rows, duals, rc, NeedSegments.of(pd, rows.n_need))
    assert bound >= _optimum_filled(inst) - 1e-6


def test_lns_path_on_example(monkeypatch: pytest.MonkeyPatch) -> None:
    # Force the large-instance path (LP bound, rounding, LNS) on the shared example.
    monkeypatch.setattr(auto, "FULL_MIP_PAIRS", 10)
    inst = read_instance(EXAMPLE)
    greedy_result = solve(inst, SolveOptions(solver="greedy"))
    for options in (
        SolveOptions(solver="auto", time_limit=20, threads=1),
        SolveOptions(solver="auto", time_limit=20, threads=2),
    ):
        result = solve(inst, options)
        report = validate(inst, result.lines)
        assert report.ok, report.violations
        assert result.unmet_value <= greedy_result.unmet_value
        for stage in result.stages:
            assert stage.bound is not None and stage.value is not None
            if stage.name == "priority":
                assert stage.bound >= stage.value
            else:
                assert stage.bound <= stage.value


def test_lns_path_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auto, "FULL_MIP_PAIRS", 10)
    inst = read_instance(EXAMPLE)
    options = SolveOptions(solver="auto", time_limit=30, threads=2, deterministic=True)
    assert solve(inst, options).lines == solve(inst, options).lines


@SLOW
@given(instances())
def test_aggregate_bound_is_valid_and_tighter_than_its_parts(inst: Instance) -> None:
    from matcher.optimizer.relaxation import aggregate_bound, capacity_bound, knapsack_bound

    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert all(s.status == "optimal" for s in best.stages)
    pd = pair_data(inst)
    filled = inst.demand_value - best.unmet_value
    bound = aggregate_bound(inst, pd)
    assert bound >= filled - 1e-6
    assert bound <= min(knapsack_bound(inst, pd), capacity_bound(inst, pd)) * (1 + 1e-6) + 1e-6
    # The priority stage's optimum (with stage 1 fixed) is at most the priority-only bound.
    assert aggregate_bound(inst, pd, only=pd.priority) >= best.priority_value - 1e-6


def test_later_stages_search_smaller_neighbourhoods(monkeypatch: pytest.MonkeyPatch) -> None:
    from matcher.optimizer.solvers import lns

    monkeypatch.setattr(auto, "FULL_MIP_PAIRS", 10)
    seen: list[tuple[int, float]] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append((kwargs["chunk"], kwargs["sub_seconds"]))
        return lns.improve(*args, **kwargs)

    monkeypatch.setattr(auto, "improve", recording)
    solve(read_instance(EXAMPLE), SolveOptions(solver="auto", time_limit=6, threads=1))
    first = (lns.CHUNK_NEEDS, lns.SUB_SECONDS)
    later = (lns.LATER_CHUNK_NEEDS, lns.LATER_SUB_SECONDS)
    assert first != later
    assert seen and seen[0] == first
    assert later in seen and set(seen) == {first, later}
