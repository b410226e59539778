"""The LNS on two threads (:func:`matcher.optimizer.solvers.lns.improve_parallel`): whole
categories per worker, the shared limits split so that merged results stay feasible, and the
auto engine using it once the LP helper no longer needs the second core."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.optimizer import Instance, SolveOptions, read_instance, solve, validate
from matcher.optimizer.formulation import pair_data
from matcher.optimizer.objectives import STAGES
from matcher.optimizer.solvers import auto, lns
from matcher.optimizer.solvers.base import SolveParams
from matcher.optimizer.solvers.greedy import greedy
from matcher.optimizer.solvers.lns import (
    improve,
    improve_parallel,
    rows_hold,
    split_by_category,
    worker_shares,
)
from matcher.optimizer.solvers.lp_rounding import feasible
from matcher.optimizer.solvers.submip import ExtraRow, Limits, Usage
from tests.optimizer.helpers import instance, need, offer, supplier
from tests.optimizer.test_io import EXAMPLE
from tests.optimizer.test_lns import SLOW
from tests.optimizer.test_properties import instances


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_split_by_category_gives_whole_categories_once_and_balances(workers: int) -> None:
    inst = read_instance(EXAMPLE)
    groups = split_by_category(inst, workers, seed=3)
    assert len(groups) == workers
    assert (np.sum(groups, axis=0) == 1).all()
    category = np.array([n.category for n in inst.needs])
    for group in groups:
        for code in set(category[group]):
            assert group[category == code].all()
    sizes = {code: int((category == code).sum()) for code in set(category)}
    loads = [int(group.sum()) for group in groups]
    assert max(loads) - min(loads) <= max(sizes.values())
    again = split_by_category(inst, workers, seed=3)
    assert all((a == b).all() for a, b in zip(groups, again, strict=True))


@SLOW
@given(inst=instances(max_offers=6, max_needs=5), workers=st.integers(2, 3))
def test_shares_add_up_to_the_slack(inst: Instance, workers: int) -> None:
    pd = pair_data(inst)
    x, _ = greedy(inst, pd)
    limits = Limits.of(inst)
    used = Usage.of(pd, limits, x)
    act = int(np.dot(pd.hps, x))
    floor = ExtraRow(pd.hps.astype(np.int64), float(act - 7), np.inf)
    ceiling = ExtraRow(pd.price.astype(np.int64), -np.inf, float(int(np.dot(pd.price, x)) + 5))
    shares = worker_shares(limits, used, x, (floor, ceiling), workers)
    budget = sum(own.budget - used.budget for own, _ in shares)
    assert (budget == limits.budget - used.budget).all()
    cap = sum(own.cap - used.cap for own, _ in shares)
    assert (cap == limits.cap - used.cap).all()
    assert sum(act - rows[0].lo for _, rows in shares) == 7
    assert all(rows[0].hi == np.inf and rows[1].lo == -np.inf for _, rows in shares)
    assert sum(rows[1].hi - int(np.dot(pd.price, x)) for _, rows in shares) == 5


@SLOW
@given(inst=instances(max_offers=6, max_needs=5))
def test_workers_within_their_shares_merge_into_a_feasible_allocation(inst: Instance) -> None:
    # Each worker maximises alone from nothing, within its own share: the worst case for the
    # shared budgets and caps. Without the split, two workers would each spend all of them.
    pd = pair_data(inst)
    x = np.zeros(len(pd), dtype=np.int64)
    groups = split_by_category(inst, 2, seed=0)
    merged = x.copy()
    limits = Limits.of(inst)
    shares = worker_shares(limits, Usage.of(pd, limits, x), x, (), 2)
    for group, (own, _) in zip(groups, shares, strict=True):
        found, _ = improve(
            inst,
            pd,
            x,
            pd.hps,
            group[pd.need],
            5.0,
            deterministic=True,
            chunk=2,
            limits=own,
            members=group,
        )
        moved = group[pd.need]
        assert (found[~moved] == 0).all()
        merged[moved] = found[moved]
    assert feasible(inst, pd, merged)


@SLOW
@given(inst=instances(max_offers=6, max_needs=5))
def test_parallel_lns_never_worsens_and_keeps_the_fixed_rows(inst: Instance) -> None:
    pd = pair_data(inst)
    x, _ = greedy(inst, pd)
    # Stage 3's shape: minimise cost with stage 1 (served value) held as a row.
    served = ExtraRow(pd.hps.astype(np.int64), float(np.dot(pd.hps, x)), np.inf)
    value = -pd.price.astype(np.int64)
    out, _ = improve_parallel(
        inst,
        pd,
        x,
        value,
        np.ones(len(pd), dtype=np.bool_),
        3.0,
        extra=(served,),
        chunk=2,
        epoch=0.5,
    )
    assert feasible(inst, pd, out)
    assert rows_hold((served,), out)
    assert int(np.dot(value, out)) >= int(np.dot(value, x))


@pytest.mark.parametrize("categories", [("ATK",), ("ATK", "BATIK", "CETAK")])
def test_parallel_lns_stops_once_settled(categories: tuple[str, ...]) -> None:
    # Small enough for every sub-MIP to be solved to optimality: once no worker finds more,
    # the epochs stop instead of running to the time limit, also with a worker that has no
    # category at all.
    full = read_instance(EXAMPLE)
    inst = replace(full, needs=tuple(n for n in full.needs if n.category in categories))
    pd = pair_data(inst)
    x, _ = greedy(inst, pd)
    out, report = improve_parallel(inst, pd, x, pd.hps, np.ones(len(pd), dtype=np.bool_), 60.0)
    assert report.seconds < 30
    assert feasible(inst, pd, out)
    assert int(np.dot(pd.hps, out)) >= int(np.dot(pd.hps, x))


@pytest.mark.parametrize(
    ("threads", "deterministic", "parallel"),
    [(2, False, True), (1, False, False), (2, True, False)],
)
def test_auto_searches_on_both_cores_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, threads: int, deterministic: bool, parallel: bool
) -> None:
    monkeypatch.setattr(auto, "FULL_MIP_PAIRS", 10)
    calls: list[int] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["workers"])
        return lns.improve_parallel(*args, **kwargs)

    monkeypatch.setattr(auto, "improve_parallel", spy)
    inst = read_instance(EXAMPLE)
    options = SolveOptions(
        solver="auto", time_limit=9, threads=threads, deterministic=deterministic
    )
    result = solve(inst, options)
    assert validate(inst, result.lines).ok
    assert (calls == [2, 2, 2]) if parallel else not calls


def test_a_stalled_search_widens_its_candidates_once() -> None:
    # Over the greedy's own pairs only, the search settles early; given wider candidates, it
    # goes on over them instead of stopping, and finds more.
    inst = read_instance(EXAMPLE)
    pd = pair_data(inst)
    x, _ = greedy(inst, pd)
    narrow, report = improve_parallel(inst, pd, x, pd.hps, x > 0, 60.0)
    assert report.seconds < 30
    everything = np.ones(len(pd), dtype=np.bool_)
    wide, report = improve_parallel(inst, pd, x, pd.hps, x > 0, 60.0, wider=everything)
    assert report.seconds < 30
    assert feasible(inst, pd, wide)
    assert int(np.dot(pd.hps, wide)) > int(np.dot(pd.hps, narrow))


def test_the_search_on_both_cores_takes_the_final_lp_reports_candidates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The helper reports early (not converged) and again at the end; the LNS on both cores
    # runs after the final report, so it must search that LP's candidates, not the early
    # one's (which a stage beyond a full simplex LP gets long before its LP converges).
    monkeypatch.setattr(auto, "FULL_MIP_PAIRS", 10)
    inst = read_instance(EXAMPLE)
    pd = pair_data(inst)
    x, _ = greedy(inst, pd)
    stage_one = STAGES[0][1]
    lp = auto.bound_job(inst, stage_one, [], np.flatnonzero(x), 5.0, 50, pd)
    assert lp.duals is not None
    early = replace(lp, converged=False, wider=np.array([0]), bound=lp.bound * 1.01)
    final = replace(lp, wider=np.array([len(pd) - 1]))

    class Helper:
        def __init__(self, *args: Any) -> None:
            pass

        def ready(self) -> bool:
            return True

        def next(self, timeout: float) -> auto.BoundReport:
            return early

        def close(self, timeout: float) -> auto.BoundReport:
            return final

    searched: list[np.ndarray] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        searched.append(kwargs["wider"])
        return lns.improve_parallel(*args, **kwargs)

    monkeypatch.setattr(auto, "_Helper", Helper)
    monkeypatch.setattr(auto, "_can_spawn", lambda: True)
    monkeypatch.setattr(auto, "improve_parallel", spy)
    params = SolveParams(4.0, 2, 0, False)
    out = auto.solve_stage(inst, pd, stage_one, [], x, 4.0, params)
    assert feasible(inst, pd, out.x)
    assert len(searched) == 1
    assert np.flatnonzero(searched[0]).tolist() == [len(pd) - 1]


def test_a_settled_search_grows_its_neighbourhoods_instead_of_stopping() -> None:
    # Need B can only use o1 (certificate), need A either offer, and A holds o1. Re-solving
    # one need at a time is a local optimum (A gains nothing by moving, B finds o1 full);
    # the two needs together move A to o2 and serve B from o1.
    inst = instance(
        [
            need("A", category="SNACK", quantity=10),
            need("B", category="SNACK", quantity=10, required_certs=frozenset({"PIRT"})),
        ],
        [
            offer("o1", "S1", category="SNACK", capacity=10),
            offer("o2", "S2", category="SNACK", capacity=10),
        ],
        [supplier("S1", certs=frozenset({"PIRT"})), supplier("S2")],
    )
    pd = pair_data(inst)
    assert len(pd) == 3  # A-o1, A-o2, B-o1 (B lacks the certificate for o2)
    x = np.zeros(len(pd), dtype=np.int64)
    a_o1 = [p for p in range(len(pd)) if pd.need[p] == 0 and pd.offer[p] == 0]
    x[a_o1] = 10
    assert feasible(inst, pd, x)
    everything = np.ones(len(pd), dtype=np.bool_)
    single = improve(inst, pd, x, pd.hps, everything, 30.0, chunk=1)[0]
    assert int(np.dot(pd.hps, single)) == int(np.dot(pd.hps, x))
    out, report = improve_parallel(inst, pd, x, pd.hps, everything, 30.0, chunk=1)
    assert report.seconds < 20
    assert feasible(inst, pd, out)
    assert int(out.sum()) == 20
