"""Property tests: every returned allocation passes the independent validator, later stages
never worsen earlier ones, and on tiny instances the proven optimum equals brute force."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.optimizer import Agency, AllocationLine, Instance, SolveOptions, solve, validate
from tests.optimizer.helpers import instance, need, offer, supplier


@st.composite
def instances(
    draw: st.DrawFn, max_offers: int = 4, max_needs: int = 3, max_qty: int = 12
) -> Instance:
    n_sup = draw(st.integers(1, 3))
    suppliers = [
        supplier(
            f"S{i}",
            size_class=draw(st.sampled_from(["mikro", "besar"])),
            is_local=draw(st.booleans()),
        )
        for i in range(n_sup)
    ]
    offers = [
        offer(
            f"O{j}",
            f"S{draw(st.integers(0, n_sup - 1))}",
            category=draw(st.sampled_from(["BERAS", "CETAK"])),
            unit_price=draw(st.integers(5, 12)) * 10,
            capacity=draw(st.integers(0, max_qty)),
            min_order_qty=draw(st.integers(1, 4)),
        )
        for j in range(draw(st.integers(1, max_offers)))
    ]
    n_ag = draw(st.integers(1, 2))
    needs = [
        need(
            f"N{i}",
            f"A{draw(st.integers(0, n_ag - 1))}",
            category=draw(st.sampled_from(["BERAS", "CETAK"])),
            quantity=draw(st.integers(1, max_qty)),
            max_unit_price=draw(st.integers(8, 14)) * 10,
        )
        for i in range(draw(st.integers(1, max_needs)))
    ]
    agencies = [Agency(f"A{i}", "Dinas", draw(st.integers(0, 40)) * 100) for i in range(n_ag)]
    cap = draw(st.one_of(st.none(), st.integers(5, 30).map(lambda v: v * 100)))
    return instance(needs, offers, suppliers, agencies, k=draw(st.integers(1, 2)), cap=cap)


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances(), st.sampled_from(["greedy", "cpsat", "highs", "auto"]))
def test_allocation_passes_validator(inst: Instance, solver: str) -> None:
    result = solve(inst, SolveOptions(solver=solver, time_limit=10, threads=1))
    report = validate(inst, result.lines)
    assert report.ok, report.violations
    assert report.unmet_value == result.unmet_value == result.stages[0].value
    assert report.priority_value == result.priority_value == result.stages[1].value
    assert report.cost == result.cost == result.stages[2].value
    for stage in result.stages:
        assert stage.bound is None or stage.status != "optimal" or stage.bound == stage.value


@FAST
@given(instances())
def test_later_stage_never_worsens_earlier(inst: Instance) -> None:
    # The final allocation keeps stage 1's optimum, and is no worse than greedy lexicographically.
    result = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    only_stage1 = solve(inst, SolveOptions(solver="highs", time_limit=10, threads=1))
    assert result.stages[0].status == "optimal"
    assert result.unmet_value == only_stage1.stages[0].value
    greedy = solve(inst, SolveOptions(solver="greedy"))
    assert (result.unmet_value, -result.priority_value, result.cost) <= (
        greedy.unmet_value,
        -greedy.priority_value,
        greedy.cost,
    )


def _brute_force(inst: Instance) -> tuple[int, int, int]:
    pairs = [
        (n.need_id, o.offer_id, min(n.quantity, o.capacity))
        for n in inst.needs
        for o in inst.offers
    ]
    best: tuple[int, int, int] | None = None
    for combo in itertools.product(*[range(max(0, ub) + 1) for _, _, ub in pairs]):
        lines = [AllocationLine(n, o, q) for (n, o, _), q in zip(pairs, combo, strict=True) if q]
        report = validate(inst, lines)
        if report.ok:
            key = (report.unmet_value, -report.priority_value, report.cost)
            best = key if best is None or key < best else best
    assert best is not None
    return best


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_offers=2, max_needs=2, max_qty=4))
def test_optimum_equals_brute_force(inst: Instance) -> None:
    result = solve(inst, SolveOptions(solver="cpsat", time_limit=10, threads=1))
    assert all(s.status == "optimal" for s in result.stages)
    assert (result.unmet_value, -result.priority_value, result.cost) == _brute_force(inst)


@settings(max_examples=10, deadline=None)
@given(instances())
def test_same_input_same_allocation(inst: Instance) -> None:
    options = SolveOptions(solver="auto", time_limit=10, threads=2, deterministic=True)
    assert solve(inst, options).lines == solve(inst, options).lines
