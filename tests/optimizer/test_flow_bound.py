"""The min-cost flow of stage 1 (relaxation.flow_bound) and its use by the auto engine: a
bound on the stage and LNS candidates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from matcher.optimizer import Agency, Instance, SolveOptions, solve
from matcher.optimizer import relaxation as relaxation_module
from matcher.optimizer.formulation import pair_data
from matcher.optimizer.relaxation import flow_bound
from matcher.optimizer.solvers import auto, lns
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


def test_each_category_flows_apart() -> None:
    # Offers serve one category, so the flow is solved per category: the cheap offer of
    # category B cannot serve category A's need, however valuable.
    inst = instance(
        [
            need("A1", quantity=4, max_unit_price=300, category="ATK"),
            need("B1", quantity=4, max_unit_price=100, category="BERAS"),
        ],
        [
            offer("OA", capacity=1, unit_price=200, category="ATK"),
            offer("OB", "S2", capacity=10, unit_price=50, category="BERAS"),
        ],
    )
    pd = pair_data(inst)
    result = flow_bound(inst, pd)
    assert result is not None
    assert result.bound == 1 * 300 + 4 * 100
    assert dict(zip(pd.offer.tolist(), result.x.tolist(), strict=True)) == {0: 1, 1: 4}


def _beyond_full_lp(monkeypatch: pytest.MonkeyPatch) -> Instance:
    """30 offers for 8 needs on the LNS path (beyond the full MIP) and beyond a full LP:
    one pricing round does not reach every useful pair."""
    monkeypatch.setattr(relaxation_module, "FULL_LP_PAIRS", 0)
    monkeypatch.setattr(relaxation_module, "FULL_LATER_LP_PAIRS", 0)
    monkeypatch.setattr(auto, "FULL_MIP_PAIRS", 0)
    return instance(
        [need(f"N{i}", quantity=20 + 3 * i, max_unit_price=100 + 10 * i) for i in range(8)],
        [
            offer(f"O{j}", f"S{j % 5}", capacity=2 + (7 * j) % 11, unit_price=50 + (13 * j) % 50)
            for j in range(30)
        ],
        agencies=[Agency("A1", "Dinas A1", 12_000)],
        k=2,
    )


def test_stage_one_bound_takes_the_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    # With the LP off and the combinatorial bounds down to "nothing can be filled beyond the
    # demand", stage 1 reports exactly the flow's bound; without the flow, the trivial one.
    inst = _beyond_full_lp(monkeypatch)
    flow = flow_bound(inst, pair_data(inst))
    assert flow is not None

    def no_lp(*args: object, **kwargs: object) -> auto.BoundReport:
        none = np.zeros(0, dtype=np.int64)
        return auto.BoundReport(np.inf, None, none, np.zeros(0), none, False, none)

    monkeypatch.setattr(auto, "bound_job", no_lp)
    monkeypatch.setattr(
        relaxation_module,
        "aggregate_bound",
        lambda instance, *args, **kwargs: float(instance.demand_value),
    )
    monkeypatch.setattr(relaxation_module, "cheap_bound", lambda *args, **kwargs: None)
    options = SolveOptions(solver="auto", time_limit=20, deterministic=True)
    stage = solve(inst, options).stages[0]
    assert stage.bound == inst.demand_value - int(np.floor(flow.bound + 1e-6))
    assert stage.status == "feasible"
    monkeypatch.setattr(relaxation_module, "flow_bound", lambda *args: None)
    assert solve(inst, options).stages[0].bound == 0


def test_flow_pairs_are_lns_candidates_at_stage_one_only(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = _beyond_full_lp(monkeypatch)
    pd = pair_data(inst)
    flow = flow_bound(inst, pd)
    assert flow is not None
    masks: list[tuple[int, np.ndarray]] = []
    improve = lns.improve

    def spy(*args: object, **kwargs: object) -> object:
        masks.append((len(kwargs["extra"]), np.asarray(args[4]).copy()))  # type: ignore[arg-type]
        return improve(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(auto, "improve", spy)
    solve(inst, SolveOptions(solver="auto", time_limit=20, deterministic=True))
    stage_one = [mask for fixed, mask in masks if fixed == 0]
    assert stage_one and all(mask[flow.x > 0].all() for mask in stage_one)
    later = [mask for fixed, mask in masks if fixed > 0]
    assert later and not any(mask[flow.x > 0].all() for mask in later)
