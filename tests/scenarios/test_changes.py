"""One test per change type on the tiny rice instance, with hand-computed answers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matcher.optimizer import Instance, SolveOptions, solve
from matcher.scenarios.changes import ChangeError, apply_changes
from matcher.scenarios.loader import parse_scenario
from matcher.scenarios.runner import run_on_base
from tests.scenarios.conftest import need, offer, supplier, tiny

OPTS = SolveOptions(time_limit=5)


def changed(instance: Instance, yaml_changes: str) -> Instance:
    scenario = parse_scenario(f"name: t\nbase: {{instance: x}}\nchanges:\n{yaml_changes}")
    return apply_changes(instance, scenario.changes)


def test_base_solution_by_hand(rice: Instance) -> None:
    a = solve(rice, OPTS)
    assert a.unmet_value == 0
    assert a.priority_value == 60 * 13_000
    assert a.cost == 60 * 12_000 + 40 * 10_000


def test_budget_percent_and_amount(rice: Instance) -> None:
    cut = changed(rice, "  - {type: budget, percent: -95}\n")
    assert cut.agencies[0].budget == 500_000
    a = solve(cut, OPTS)
    # Rp500.000 buys at most 50 kg at Rp10.000, but the priority stage comes second: stage 1
    # maximises the HPS value filled, i.e. units: 50 kg from B.
    assert a.unmet_value == 50 * 13_000
    assert changed(rice, "  - {type: budget, amount: -9999999}\n").agencies[0].budget == 1
    assert changed(rice, "  - {type: budget, agencies: [A1], amount: 5}\n").agencies[0].budget == (
        10_000_005
    )
    with pytest.raises(ChangeError, match="A9"):
        changed(rice, "  - {type: budget, agencies: [A9], percent: 10}\n")


def test_capacity_by_size_class(rice: Instance) -> None:
    more = changed(rice, "  - {type: capacity, size_classes: [mikro], percent: 50}\n")
    assert [o.capacity for o in more.offers] == [90, 100]
    a = solve(more, OPTS)
    assert a.priority_value == 90 * 13_000  # L now covers 90 kg
    fewer = changed(rice, "  - {type: capacity, suppliers: [B], amount: -70}\n")
    assert [o.capacity for o in fewer.offers] == [60, 30]
    assert solve(fewer, OPTS).unmet_value == 10 * 13_000


def test_capacity_by_kecamatan_and_category(rice: Instance) -> None:
    out = changed(
        rice, "  - {type: capacity, kecamatan: [batu], categories: [BERAS], percent: -50}\n"
    )
    assert [o.capacity for o in out.offers] == [30, 100]
    none = changed(rice, "  - {type: capacity, categories: [SNACK], percent: -50}\n")
    assert none == rice


def test_add_suppliers_one_per_desa(rice: Instance) -> None:
    out = changed(
        rice,
        "  - type: add_suppliers\n    prefix: KMP\n    per_desa: true\n"
        "    name: 'Koperasi Merah Putih {desa}'\n"
        "    offers: [{category: BERAS, capacity: 20, unit_price: 11000}]\n",
    )
    new = [s for s in out.suppliers if s.supplier_id.startswith("KMP")]
    assert len(new) == 24
    assert new[0].supplier_id == "KMP001" and new[0].name == "Koperasi Merah Putih Oro-oro Ombo"
    assert {s.kecamatan for s in new} == {"Batu", "Bumiaji", "Junrejo"}
    assert all(s.is_priority for s in new)
    a = solve(out, OPTS)
    # k = 3: 60 kg from L and 2 x 20 kg from koperasi: all from priority suppliers.
    assert a.priority_value == 100 * 13_000 and a.unmet_value == 0
    median = changed(
        rice,
        "  - {type: add_suppliers, prefix: K, count: 1, offers: [{category: BERAS, capacity: 1}]}\n",
    )
    assert median.offers[-1].unit_price == 10_000  # median_low of 12.000 and 10.000


def test_add_suppliers_code_clash(rice: Instance) -> None:
    add = (
        "  - {type: add_suppliers, prefix: K, count: 1, offers: [{category: BERAS, capacity: 1}]}\n"
    )
    with pytest.raises(ChangeError, match="K001"):
        changed(rice, add + add)


def test_remove_and_suspend(rice: Instance) -> None:
    gone = changed(rice, "  - {type: remove_suppliers, suppliers: [B]}\n")
    assert [s.supplier_id for s in gone.suppliers] == ["L"] and len(gone.offers) == 1
    assert solve(gone, OPTS).unmet_value == 40 * 13_000
    held = changed(rice, "  - {type: remove_suppliers, suppliers: [L], mode: suspend}\n")
    assert len(held.suppliers) == 2 and not held.supplier_by_id["L"].verified
    a = solve(held, OPTS)
    assert a.priority_value == 0 and a.cost == 100 * 10_000


def test_price_change(rice: Instance) -> None:
    out = changed(rice, "  - {type: price, categories: [BERAS], percent: 25}\n")
    assert [o.unit_price for o in out.offers] == [15_000, 12_500]
    a = solve(out, OPTS)
    assert a.unmet_value == 0 and a.priority_value == 0  # L now above HPS: ineligible
    assert a.cost == 100 * 12_500


def test_certificate_rule(rice: Instance) -> None:
    out = changed(rice, "  - {type: certificate_rule, certificate: HALAL, food_categories: true}\n")
    assert out.needs[0].required_certs == frozenset({"HALAL"})
    assert solve(out, OPTS).unmet_value == 100 * 13_000  # nobody holds HALAL
    later = changed(
        rice,
        "  - {type: certificate_rule, certificate: PIRT, categories: [BERAS],"
        " effective_from: 2027-01-01}\n",
    )
    assert later == rice  # the need is delivered before the rule starts


def test_policy_k_and_cap(rice: Instance) -> None:
    one = changed(rice, "  - {type: policy, max_suppliers_per_need: 1}\n")
    a = solve(one, OPTS)
    assert a.unmet_value == 0 and a.cost == 100 * 10_000  # only B can supply 100 kg alone
    capped = changed(rice, "  - {type: policy, max_supplier_value: 300000}\n")
    b = solve(capped, OPTS)
    # L: 25 kg (Rp300.000), B: 30 kg -> 45 kg unmet.
    assert b.unmet_value == 45 * 13_000


def test_policy_min_share_hard(rice: Instance) -> None:
    share = changed(rice, "  - {type: policy, min_local_share: {share: 0.6}}\n")
    assert share.policy.min_priority_share == 0.6
    a = solve(share, OPTS)
    assert a.priority_value >= 60 * 13_000 and a.unmet_value == 0
    impossible = changed(rice, "  - {type: policy, min_local_share: {share: 0.7}}\n")
    b = solve(impossible, OPTS)
    assert {s.status for s in b.stages} == {"infeasible"}
    assert b.lines == ()


def test_policy_min_share_weighted(rice: Instance) -> None:
    out = changed(
        rice, "  - {type: policy, min_local_share: {share: 0.5, mode: weighted, weight: 0}}\n"
    )
    assert out.policy.priority_weight == 0 and out.policy.min_priority_share is None
    a = solve(out, OPTS)
    # weight 0: stage 2 minimises cost, so everything from the cheaper B.
    assert a.unmet_value == 0 and a.cost == 100 * 10_000 and a.priority_value == 0
    assert [s.name for s in a.stages] == ["unmet", "priority_weighted", "cost"]
    assert a.stages[1].value == -1_000_000


def test_demand_change(rice: Instance) -> None:
    out = changed(rice, "  - {type: demand, categories: [BERAS], percent: -45}\n")
    assert out.needs[0].quantity == 55
    a = solve(out, OPTS)
    assert a.priority_value == 55 * 13_000 and a.cost == 55 * 12_000
    gone = changed(rice, "  - {type: demand, percent: -100}\n")
    assert gone.needs == ()


def test_no_change_equals_base(rice: Instance) -> None:
    scenario = parse_scenario("name: kosong\nbase: {instance: x}\n")
    result = run_on_base(scenario, rice, time_limit=5)
    assert result.scenario == result.base
    assert all(v == 0 for v in result.diff.values())
    assert result.winners == [] and result.losers == [] and result.binding_new == []


def test_run_reports_winners_and_infeasible_target(rice: Instance) -> None:
    scenario = parse_scenario(
        "name: t\nbase: {instance: x}\nchanges:\n"
        "  - {type: policy, min_local_share: {share: 0.9}}\n"
    )
    result = run_on_base(scenario, rice, time_limit=5)
    assert result.status == "infeasible"
    assert result.message == "target tidak dapat dicapai"
    assert result.target == {"share": 0.9, "mode": "hard", "met": False}
    assert result.scenario.unmet_value == rice.demand_value
    grow = parse_scenario(
        "name: t\nbase: {instance: x}\nchanges:\n  - {type: capacity, suppliers: [L], amount: 40}\n"
    )
    r = run_on_base(grow, rice, time_limit=5)
    assert r.winners == [
        {"supplier_id": "L", "base": 720_000, "scenario": 1_200_000, "change": 480_000}
    ]
    assert r.losers[0]["supplier_id"] == "B" and r.diff["priority_share"] == pytest.approx(0.4)


def test_priority_supplier_helpers() -> None:
    inst = replace(
        tiny(),
        suppliers=(supplier("L", kop=True, size="menengah"), supplier("B", local=False)),
        offers=(offer("OL", "L", 12_000, 60), offer("OB", "B", 10_000, 100)),
        needs=(need("N1", 10, 13_000),),
    )
    assert inst.supplier_by_id["L"].is_priority
