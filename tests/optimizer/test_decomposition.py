"""Decomposition (matcher.optimizer.decomposition): blocks share budgets, capacities and caps
without ever exceeding them in total, every result passes the validator on the whole
instance, the bound holds, and blocks that do not interact give the whole solve's optimum."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generator import generate_province
from matcher.executors import DaskExecutor, LocalExecutor, SerialExecutor
from matcher.optimizer import Agency, AllocationLine, Instance, SolveOptions, solve, validate
from matcher.optimizer.decomposition import (
    DecompositionOptions,
    Regions,
    solve_decomposed,
    split,
    unmet_lower_bound,
)
from tests.optimizer.helpers import instance, need, offer, supplier

MIP = DecompositionOptions(
    mip_max_pairs=10_000,
    block_options=SolveOptions(solver="highs", time_limit=10, threads=1, diagnostics=False),
)
GREEDY = DecompositionOptions(mip_max_pairs=0)


def spent(inst: Instance, lines: tuple[AllocationLine, ...], *, by: str) -> dict[str, int]:
    """Rupiah per agency or supplier, units per offer."""
    totals: dict[str, int] = {}
    for line in lines:
        o = inst.offer_by_id[line.offer_id]
        key = {
            "agency": inst.need_by_id[line.need_id].agency_id,
            "supplier": o.supplier_id,
            "offer": o.offer_id,
        }[by]
        amount = line.quantity if by == "offer" else line.quantity * o.unit_price
        totals[key] = totals.get(key, 0) + amount
    return totals


def test_split_adds_up_exactly_and_follows_weights() -> None:
    assert split(10, {0: 1, 1: 1, 2: 1}) == {0: 4, 1: 3, 2: 3}
    assert split(7, {0: 0, 1: 5}) == {0: 0, 1: 7}
    assert split(5, {0: 0, 1: 0}) == {0: 0, 1: 0}
    assert split(0, {0: 3}) == {0: 0}
    shares = split(1_000_003, {3: 2, 1: 7, 9: 11})
    assert sum(shares.values()) == 1_000_003
    assert shares[9] > shares[1] > shares[3]


@pytest.mark.parametrize("options", [GREEDY, MIP], ids=["greedy", "mip"])
def test_supplier_in_two_categories_stays_within_its_cap(options: DecompositionOptions) -> None:
    # S1 sells rice and printing; each category alone would take the whole cap of 6 000.
    inst = instance(
        [
            need("N1", category="BERAS", quantity=60, max_unit_price=100),
            need("N2", category="CETAK", quantity=60, max_unit_price=100),
        ],
        [
            offer("O1", "S1", category="BERAS", unit_price=100, capacity=60),
            offer("O2", "S1", category="CETAK", unit_price=100, capacity=60),
        ],
        cap=6_000,
    )
    result = solve_decomposed(inst, options)
    assert result.blocks == 2
    assert result.feasible, result.violations
    assert spent(inst, result.lines, by="supplier")["S1"] <= 6_000
    # The cap is divided, not wasted: the supplier sells up to it.
    assert spent(inst, result.lines, by="supplier")["S1"] == 6_000
    assert result.unmet_value == 6_000


@pytest.mark.parametrize("options", [GREEDY, MIP], ids=["greedy", "mip"])
def test_agency_buying_in_two_categories_stays_within_its_budget(
    options: DecompositionOptions,
) -> None:
    inst = instance(
        [
            need("N1", "A1", category="BERAS", quantity=50, max_unit_price=100),
            need("N2", "A1", category="CETAK", quantity=50, max_unit_price=100),
        ],
        [
            offer("O1", "S1", category="BERAS", unit_price=80, capacity=50),
            offer("O2", "S2", category="CETAK", unit_price=80, capacity=50),
        ],
        agencies=[Agency("A1", "Dinas", 5_000)],
    )
    result = solve_decomposed(inst, options)
    assert result.feasible, result.violations
    assert spent(inst, result.lines, by="agency")["A1"] <= 5_000
    # 5 000 buys 62 units at 80: the coordination rounds leave at most one unit's worth.
    assert spent(inst, result.lines, by="agency")["A1"] >= 5_000 - 2 * 80


def test_offer_serving_two_regions_shares_its_capacity() -> None:
    inst = instance(
        [
            need("N1", "A1", quantity=10, region="Kota Batu"),
            need("N2", "A2", quantity=10, region="Kota Malang"),
            need("N3", "A2", quantity=10, region="Kota Malang"),
        ],
        [
            offer("O1", "S1", capacity=10),
            offer("O2", "S2", capacity=10),
        ],
    )
    regions = Regions(
        need={},  # each need's own region
        supplier={"S1": frozenset({"Kota Batu", "Kota Malang"}), "S2": frozenset({"Kota Batu"})},
    )
    for options in (GREEDY, MIP):
        result = solve_decomposed(inst, options, regions=regions)
        assert result.blocks == 2
        assert result.feasible, result.violations
        sold = spent(inst, result.lines, by="offer")
        assert sold.get("O1", 0) <= 10
        assert sold.get("O2", 0) <= 10
        # S2 serves only Kota Batu: the decomposition never sends it to Kota Malang.
        for line in result.lines:
            if line.offer_id == "O2":
                assert inst.need_by_id[line.need_id].region == "Kota Batu"
        # 20 units of capacity, 30 units needed: all capacity is used.
        assert result.unmet_value == 10 * 100


def test_blocks_that_do_not_interact_give_the_whole_optimum() -> None:
    # Two categories with their own agencies and suppliers, no cap: nothing is shared.
    inst = instance(
        [
            need("N1", "A1", category="BERAS", quantity=30, max_unit_price=120),
            need("N2", "A1", category="BERAS", quantity=25, max_unit_price=100),
            need("N3", "A2", category="CETAK", quantity=40, max_unit_price=90),
        ],
        [
            offer("O1", "S1", category="BERAS", unit_price=90, capacity=40, min_order_qty=5),
            offer("O2", "S2", category="BERAS", unit_price=70, capacity=20),
            offer("O3", "S3", category="CETAK", unit_price=60, capacity=50),
            offer("O4", "S4", category="CETAK", unit_price=80, capacity=50),
        ],
        [
            supplier("S1"),
            supplier("S2", size_class="mikro"),
            supplier("S3", size_class="besar"),
            supplier("S4", size_class="kecil"),
        ],
        agencies=[Agency("A1", "Dinas 1", 4_000), Agency("A2", "Dinas 2", 2_500)],
        k=1,
    )
    whole = solve(inst, SolveOptions(solver="highs", time_limit=10, threads=1))
    assert all(stage.status == "optimal" for stage in whole.stages)
    result = solve_decomposed(inst, MIP)
    assert result.engines == {"mip": 2}
    assert result.feasible
    assert (result.unmet_value, result.priority_value, result.cost) == (
        whole.unmet_value,
        whole.priority_value,
        whole.cost,
    )
    assert result.bound is not None and result.bound <= whole.unmet_value


def test_engine_is_chosen_by_block_size() -> None:
    inst = instance(
        [need(f"N{i}", category=c) for i, c in enumerate(["BERAS"] * 3 + ["CETAK"])],
        [offer(f"O{j}", f"S{j}", category="BERAS") for j in range(3)]
        + [offer("O9", "S9", category="CETAK")],
    )
    # BERAS has 9 eligible pairs, CETAK 1.
    result = solve_decomposed(inst, replace(MIP, mip_max_pairs=4))
    assert result.engines == {"greedy": 1, "mip": 1}
    assert solve_decomposed(inst, GREEDY).engines == {"greedy": 2}


def test_bound_is_tight_on_a_budget_bound_need() -> None:
    # 100 units at HPS 100; the cheapest offer costs 50 and the budget buys 50 units.
    inst = instance(
        [need("N1", quantity=100, max_unit_price=100)],
        [offer("O1", unit_price=50, capacity=100), offer("O2", "S2", unit_price=80)],
        agencies=[Agency("A1", "Dinas", 2_500)],
    )
    bound = unmet_lower_bound(inst)
    assert 4_990 <= bound <= 5_000
    assert solve_decomposed(inst, MIP).unmet_value == 5_000


def test_bound_prices_capacity_in_tiers() -> None:
    # The cheap offer has only 50 units: the rest costs 80 a unit. 4 000 buys 50 + 37 units.
    inst = instance(
        [need("N1", quantity=100, max_unit_price=100)],
        [offer("O1", unit_price=20, capacity=50), offer("O2", "S2", unit_price=80, capacity=100)],
        agencies=[Agency("A1", "Dinas", 4_000)],
    )
    assert solve_decomposed(inst, MIP).unmet_value == 1_300
    assert 1_240 <= unmet_lower_bound(inst) <= 1_300
    # One tier prices every unit at 20, which proves nothing here.
    assert unmet_lower_bound(inst, tiers=1) == 0


def test_bound_respects_certificates_and_lead_time() -> None:
    # Only the slow or uncertified offers have capacity: nothing can be bought.
    inst = instance(
        [need("N1", quantity=10, required_certs=frozenset({"HALAL"}))],
        [
            offer("O1", "S1", capacity=10),
            offer("O2", "S2", capacity=10, lead_time_days=60),
        ],
        [supplier("S1"), supplier("S2", certs=frozenset({"HALAL"}))],
    )
    assert unmet_lower_bound(inst) >= 10 * 100 - 2
    assert solve_decomposed(inst, GREEDY).unmet_value == 10 * 100


def test_min_priority_share_is_refused() -> None:
    inst = instance([need("N1")], [offer("O1")])
    inst = replace(inst, policy=replace(inst.policy, min_priority_share=0.5))
    with pytest.raises(ValueError, match="min_priority_share"):
        solve_decomposed(inst)


def test_province_is_deterministic_on_any_executor() -> None:
    province = generate_province(240, cities=3, seed=4)
    inst = province.instance
    assert {n.region for n in inst.needs} == set(province.cities)
    options = DecompositionOptions(mip_max_pairs=0, coordination_rounds=2, guide=True)
    serial = solve_decomposed(inst, options, regions=province.regions)
    again = solve_decomposed(inst, options, regions=province.regions, executor=SerialExecutor())
    pool = LocalExecutor(2)
    try:
        parallel = solve_decomposed(inst, options, regions=province.regions, executor=pool)
    finally:
        pool.close()
    assert serial.feasible, serial.violations
    assert serial.lines == again.lines == parallel.lines
    assert serial.bound is not None and serial.regional_bound is not None
    assert serial.bound <= serial.regional_bound <= serial.unmet_value
    report = validate(inst, serial.lines)
    assert report.unmet_value == serial.unmet_value
    # A supplier never serves a city it does not serve.
    for line in serial.lines:
        sid = inst.offer_by_id[line.offer_id].supplier_id
        assert inst.need_by_id[line.need_id].region in province.regions.supplier[sid]


def test_dask_cluster_gives_the_same_plan() -> None:
    distributed = pytest.importorskip("dask.distributed")
    province = generate_province(120, cities=2, seed=9)
    options = DecompositionOptions(mip_max_pairs=0)
    serial = solve_decomposed(province.instance, options, regions=province.regions)
    with (
        # In-process workers over the inproc transport: nothing listens on the network.
        distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        runner = DaskExecutor(client=client)
        on_dask = solve_decomposed(
            province.instance, options, regions=province.regions, executor=runner
        )
        runner.close()
    assert on_dask.feasible, on_dask.violations
    assert on_dask.lines == serial.lines


@st.composite
def coupled_instances(draw: st.DrawFn) -> tuple[Instance, Regions]:
    """Small instances where suppliers, agencies and offers span categories and regions."""
    cities = ["Kota Batu", "Kota Malang"]
    n_sup = draw(st.integers(1, 3))
    suppliers = [
        supplier(f"S{i}", size_class=draw(st.sampled_from(["mikro", "besar"])))
        for i in range(n_sup)
    ]
    offers = [
        offer(
            f"O{j}",
            f"S{draw(st.integers(0, n_sup - 1))}",
            category=draw(st.sampled_from(["BERAS", "CETAK"])),
            unit_price=draw(st.integers(5, 12)) * 10,
            capacity=draw(st.integers(0, 15)),
            min_order_qty=draw(st.integers(1, 4)),
        )
        for j in range(draw(st.integers(1, 5)))
    ]
    n_ag = draw(st.integers(1, 2))
    needs = [
        need(
            f"N{i}",
            f"A{draw(st.integers(0, n_ag - 1))}",
            category=draw(st.sampled_from(["BERAS", "CETAK"])),
            quantity=draw(st.integers(1, 12)),
            max_unit_price=draw(st.integers(8, 14)) * 10,
            region=draw(st.sampled_from(cities)),
        )
        for i in range(draw(st.integers(1, 5)))
    ]
    agencies = [Agency(f"A{i}", "Dinas", draw(st.integers(0, 40)) * 100) for i in range(n_ag)]
    cap = draw(st.one_of(st.none(), st.integers(5, 30).map(lambda v: v * 100)))
    served = {
        s.supplier_id: frozenset(draw(st.lists(st.sampled_from(cities), min_size=1)))
        for s in suppliers
        if draw(st.booleans())
    }
    inst = instance(needs, offers, suppliers, agencies, k=draw(st.integers(1, 2)), cap=cap)
    return inst, Regions({}, served)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coupled_instances(), st.booleans(), st.booleans(), st.booleans())
def test_every_decomposed_allocation_passes_the_validator(
    case: tuple[Instance, Regions], by_region: bool, mip: bool, guide: bool
) -> None:
    inst, regions = case
    options = replace(MIP if mip else GREEDY, guide=guide)
    result = solve_decomposed(inst, options, regions=regions if by_region else None)
    report = validate(inst, result.lines)
    assert report.ok, report.violations
    assert result.feasible
    assert result.unmet_value == report.unmet_value
    whole = solve(inst, SolveOptions(solver="highs", time_limit=10, threads=1))
    assert result.bound is not None
    assert result.bound <= result.unmet_value
    assert result.bound <= whole.unmet_value
    if by_region and guide:
        # The regional bound holds for every allocation that keeps suppliers in their
        # regions, which the decomposed one does.
        assert result.regional_bound is not None
        assert result.bound <= result.regional_bound <= result.unmet_value
    else:
        assert result.regional_bound is None
