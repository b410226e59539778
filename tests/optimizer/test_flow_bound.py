"""The min-cost flow bound of stage 1 (relaxation.flow_bound) and its use by the auto engine's
LP helper on instances beyond a full LP."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from matcher.optimizer import Agency, Instance, SolveOptions, solve
from matcher.optimizer import relaxation as relaxation_module
from matcher.optimizer.formulation import pair_data
from matcher.optimizer.objectives import unmet
from matcher.optimizer.relaxation import FlowBound, RelaxationResult, flow_bound, relax
from matcher.optimizer.solvers import auto
from tests.optimizer.helpers import instance, need, offer
from tests.optimizer.test_properties import instances

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _shared_offer(budget: int) -> Instance:
    # One offer of 5 units for two needs of 4: the flow gives the dearer need all it wants
    # and the other the last unit, 4*100 + 1*50 = 450, whatever the budget.
    return instance(
        [
            need("N1", quantity=4, max_unit_price=100),
            need("N2", quantity=4, max_unit_price=50),
        ],
        [offer("O1", capacity=5, unit_price=40)],
        agencies=[Agency("A1", "Dinas A1", budget)],
    )


def test_capacity_goes_to_the_most_valuable_need() -> None:
    inst = _shared_offer(10**9)
    pd = pair_data(inst)
    result = flow_bound(inst, pd)
    assert result is not None
    assert result.bound == 450
    by_need = dict(zip(pd.need.tolist(), result.x.tolist(), strict=True))
    assert by_need == {0: 4, 1: 1}
    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert inst.demand_value - best.unmet_value == 450


def test_budget_is_relaxed_but_the_pair_bound_keeps_what_one_pair_can_pay() -> None:
    # 200 rupiah buy 5 units at 40 in all; each pair alone can pay for at most 5, so the
    # pair bounds stay 4 and the flow still fills 450, while the optimum buys 4 + 1 = 450
    # only if the budget allows 200: it does exactly.
    inst = _shared_offer(200)
    result = flow_bound(inst, pair_data(inst))
    assert result is not None and result.bound == 450
    # With 120 rupiah (3 units) the pair bounds drop to 3, and the bound to 3*100 + 2*50.
    tight = _shared_offer(120)
    result = flow_bound(tight, pair_data(tight))
    assert result is not None and result.bound == 400
    best = solve(tight, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert tight.demand_value - best.unmet_value == 300 < result.bound


@SLOW
@given(instances())
def test_bound_holds_and_flow_keeps_the_transport_rows(inst: Instance) -> None:
    pd = pair_data(inst)
    result = flow_bound(inst, pd)
    assert result is not None
    x = result.x
    assert ((x >= 0) & (x <= pd.ub)).all()
    quantity = np.array([n.quantity for n in inst.needs])
    capacity = np.array([o.capacity for o in inst.offers])
    assert (np.bincount(pd.need, weights=x, minlength=len(quantity)) <= quantity).all()
    assert (np.bincount(pd.offer, weights=x, minlength=len(capacity)) <= capacity).all()
    assert result.bound == int(np.dot(pd.hps, x))
    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert best.stages[0].status == "optimal"
    assert result.bound >= inst.demand_value - best.unmet_value


def _beyond_full_lp(
    monkeypatch: pytest.MonkeyPatch, rounds: int
) -> tuple[Instance, FlowBound, RelaxationResult]:
    """30 offers for 8 needs, every instance "beyond a full LP": one pricing round does not
    reach every useful pair. The instance, its flow bound and the LP after ``rounds``."""
    monkeypatch.setattr(relaxation_module, "FULL_LP_PAIRS", 0)
    monkeypatch.setattr(relaxation_module, "FULL_LATER_LP_PAIRS", 0)
    inst = instance(
        [need(f"N{i}", quantity=20 + 3 * i, max_unit_price=100 + 10 * i) for i in range(8)],
        [
            offer(f"O{j}", f"S{j % 5}", capacity=2 + (7 * j) % 11, unit_price=50 + (13 * j) % 50)
            for j in range(30)
        ],
        agencies=[Agency("A1", "Dinas A1", 12_000)],
        k=2,
    )
    pd = pair_data(inst)
    flow = flow_bound(inst, pd)
    assert flow is not None
    lp = relax(inst, pd, pd.hps, "max", [], time_limit=30, max_iterations=rounds)
    return inst, flow, lp


def _report(inst: Instance, rounds: int) -> auto.BoundReport:
    return auto.bound_job(inst, unmet.objective, [], np.zeros(0, dtype=np.int64), 30, rounds)


@pytest.mark.parametrize("rounds", [1, 50])
def test_lp_helper_adds_the_flow_bound_beyond_a_full_lp(
    monkeypatch: pytest.MonkeyPatch, rounds: int
) -> None:
    # After one pricing round the LP has not converged and the flow bound is the better one;
    # after fifty it has, and its own bound (with the budget and the k row) stands alone.
    inst, flow, lp = _beyond_full_lp(monkeypatch, rounds)
    report = _report(inst, rounds)
    best = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert report.bound >= inst.demand_value - best.unmet_value - 1e-6
    assert report.converged == lp.converged == (rounds == 50)
    if report.converged:
        assert report.bound == lp.bound < flow.bound
    else:
        assert flow.bound < lp.bound
        assert report.bound == flow.bound


def test_lp_helper_skips_the_flow_when_it_does_not_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    # The flow cannot be interrupted: where its estimated time exceeds what is left of the
    # stage, the helper reports the pricing rounds' bound alone.
    inst, flow, lp = _beyond_full_lp(monkeypatch, 1)
    assert flow.bound < lp.bound
    monkeypatch.setattr(auto, "FLOW_SECONDS_PER_PAIR", 60.0 / len(pair_data(inst)))
    assert _report(inst, 1).bound == lp.bound
