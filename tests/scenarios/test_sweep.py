"""Sweeps: the knee on synthetic curves, cost non-decreasing in the required share (property
test on small random instances), infeasible points, and the executors (processes, Dask)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from matcher.executors import DaskExecutor, LocalExecutor, SerialExecutor
from matcher.optimizer import Agency, Instance, Need, Offer, Policy, Supplier
from matcher.scenarios.charts import render, sweep_figure, sweep_html
from matcher.scenarios.sweep import grid, knee_index, sweep
from tests.scenarios.conftest import tiny


def test_knee_of_synthetic_curves() -> None:
    xs = [i / 10 for i in range(11)]
    assert knee_index(xs, [x**2 for x in xs]) == 5  # farthest from the chord y = x
    # Flat until 0.7, then steep: the knee is the last cheap point.
    assert knee_index(xs, [0, 0, 0, 0, 0, 0, 0, 0.1, 1, 5, 20]) == 8
    assert knee_index(xs, xs) is None  # a straight line has no knee
    assert knee_index([0, 1], [0, 1]) is None
    assert knee_index(xs, [3] * 11) is None


def test_grid() -> None:
    assert grid(0, 1, 11)[:3] == [0.0, 0.1, 0.2] and grid(0, 1, 11)[-1] == 1.0
    assert grid(0.4, 0.4, 1) == [0.4]


def test_share_sweep_on_the_tiny_instance() -> None:
    result = sweep(tiny(), "min_local_share", [0.0, 0.3, 0.6, 0.7], time_limit=5)
    kinds = [p.kind for p in result.points]
    assert kinds == ["ok", "ok", "ok", "infeasible"]
    # share 0 (priority weight 0): all 100 kg from the cheaper B; 0.3: 30 kg from L; 0.6: 60 kg.
    assert [p.cost for p in result.points[:3]] == [1_000_000, 1_060_000, 1_120_000]
    assert result.reference.cost == 1_120_000  # the spec's order prefers L anyway
    assert result.points[3].unmet_value == tiny().demand_value


def test_unmet_rises_when_the_budget_binds() -> None:
    # Rp1.100.000: 100 kg from B (Rp1.000.000) fits; 60 kg from L (Rp720.000) + 38 kg from B.
    result = sweep(tiny(budget=1_100_000), "min_local_share", [0.0, 0.6], time_limit=5)
    assert result.points[0].kind == "ok" and result.points[0].unmet_value == 0
    assert result.points[1].kind == "unmet_rises"
    assert result.points[1].unmet_value == 2 * 13_000


def _instance(data: st.DataObject) -> Instance:
    n_sup = data.draw(st.integers(2, 4))
    suppliers = tuple(
        Supplier(
            f"S{i}",
            f"S{i}",
            "1234567890123",
            data.draw(st.sampled_from(["mikro", "besar"])),
            False,
            "Temas",
            "Batu",
            data.draw(st.booleans()),
            True,
        )
        for i in range(n_sup)
    )
    offers = tuple(
        Offer(
            f"O{i}",
            f"S{i}",
            "BERAS",
            "beras",
            "kg",
            data.draw(st.integers(8, 14)) * 1000,
            data.draw(st.integers(0, 40)),
            1,
            1,
        )
        for i in range(n_sup)
    )
    agencies = (Agency("A1", "A1", data.draw(st.integers(1, 8)) * 100_000),)
    needs = tuple(
        Need(
            f"N{j}",
            "A1",
            "BERAS",
            "beras",
            data.draw(st.integers(1, 40)),
            14_000,
            frozenset(),
            date(2026, 12, 31),
            "Temas",
        )
        for j in range(data.draw(st.integers(1, 2)))
    )
    return Instance(suppliers, offers, agencies, needs, Policy(date(2026, 11, 23), 2))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_cost_non_decreasing_in_required_share(data: st.DataObject) -> None:
    instance = _instance(data)
    result = sweep(instance, "min_local_share", [0.0, 0.25, 0.5, 0.75, 1.0], time_limit=5)
    assume(all(p.status in ("optimal", "infeasible") for p in result.points))
    ok = [p for p in result.points if p.kind == "ok"]
    assert all(a.cost <= b.cost for a, b in itertools.pairwise(ok))
    solved = [p for p in result.points if p.kind in ("ok", "unmet_rises")]
    assert all(a.unmet_value <= b.unmet_value for a, b in itertools.pairwise(solved))
    for p in solved:
        assert p.value is not None and p.share >= p.value - 1e-9
    # Once a target is infeasible, every higher target is too.
    first_bad = next((i for i, p in enumerate(result.points) if p.kind == "infeasible"), None)
    if first_bad is not None:
        assert all(p.kind == "infeasible" for p in result.points[first_bad:])


def test_local_executor_matches_serial() -> None:
    values = [0.0, 0.6, 0.7]
    serial = sweep(tiny(), "min_local_share", values, executor=SerialExecutor(), time_limit=5)
    pool = LocalExecutor(2)
    try:
        parallel = sweep(tiny(), "min_local_share", values, executor=pool, time_limit=5)
    finally:
        pool.close()
    assert parallel.executor == "local"
    strip = [(p.kind, p.cost, p.unmet_value) for p in serial.points]
    assert [(p.kind, p.cost, p.unmet_value) for p in parallel.points] == strip


def test_dask_local_cluster() -> None:
    distributed = pytest.importorskip("dask.distributed")
    with (
        # In-process workers over the inproc transport: nothing listens on the network.
        distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        runner = DaskExecutor(client=client)
        result = sweep(tiny(), "budget_percent", [0.0, -95.0], executor=runner, time_limit=5)
        runner.close()
    assert result.executor == "dask"
    assert [p.unmet_value for p in result.points] == [0, 50 * 13_000]


def test_sweep_charts() -> None:
    result = sweep(tiny(), "min_local_share", [0.0, 0.3, 0.6, 0.7], time_limit=5).to_json()
    assert result["knee"] in (None, 0, 1, 2)
    png = render(sweep_figure(result), "png")
    assert png.startswith(b"\x89PNG")
    svg = render(sweep_figure(result), "svg").decode()
    assert "<svg" in svg and "Harga kelokalan" in svg
    page = sweep_html(result)
    assert page.startswith("<!doctype html>") and "infeasible" in page
