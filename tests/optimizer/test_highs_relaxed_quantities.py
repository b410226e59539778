"""HiGHS with relaxed quantities (branching on the indicators only): the answer is integral
and feasible, its bound valid, and "optimal" only where the integer model is solved."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from matcher.optimizer import Agency, Instance
from matcher.optimizer.build import build_formulation, is_feasible
from matcher.optimizer.objectives import unmet
from matcher.optimizer.solvers import highs
from matcher.optimizer.solvers.base import SolveParams
from matcher.optimizer.solvers.highs import HighsBackend
from tests.optimizer.helpers import instance, need, offer
from tests.optimizer.test_properties import instances

PARAMS = SolveParams(time_limit=10, threads=1)


@pytest.mark.parametrize("min_order_qty", [1, 2])
def test_money_row_makes_relaxed_quantity_integral(min_order_qty: int) -> None:
    # 110 rupiah at 30 a unit: the relaxation buys 3 2/3 units, the integer model 3. With a
    # minimum order of 2 the pair has an indicator, which the repair keeps fixed at 1.
    inst = instance(
        [need("N1", quantity=10, max_unit_price=50)],
        [offer("O1", unit_price=30, capacity=10, min_order_qty=min_order_qty)],
        agencies=[Agency("A1", "Dinas", 110)],
    )
    form = build_formulation(inst)
    objective = unmet.objective(form)
    out = HighsBackend(continuous_quantities=True).solve(form, objective, PARAMS)
    assert out.values is not None
    assert out.values[0] == 3
    assert is_feasible(form, out.values)
    assert out.status == "optimal"
    assert out.objective == objective.internal(out.values)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_same_optimum_as_integer_quantities(inst: Instance) -> None:
    form = build_formulation(inst)
    assume(form.num_pairs > 0)  # no columns: nothing to solve
    objective = unmet.objective(form)
    exact = HighsBackend().solve(form, objective, PARAMS)
    relaxed = HighsBackend(continuous_quantities=True).solve(form, objective, PARAMS)
    assert exact.status == "optimal"
    assert relaxed.status == "optimal"
    assert relaxed.values is not None and exact.values is not None
    assert is_feasible(form, relaxed.values)
    assert np.array_equal(relaxed.values, np.rint(relaxed.values))
    assert relaxed.objective == exact.objective
    # The bound of either run holds for the other's (equal) optimum.
    assert relaxed.bound is not None
    assert abs(relaxed.bound - float(exact.objective or 0)) < 1e-6


def test_deterministic_solves_keep_integer_quantities(monkeypatch: pytest.MonkeyPatch) -> None:
    # The relaxed model runs without presolve and is slower per node, so its node limit can
    # come after the clock: a deterministic solve must not depend on where the clock stops.
    built: list[bool] = []
    original = highs._model

    def recording(*args: object, **kwargs: object) -> object:
        built.append(bool(kwargs.get("continuous_quantities", False)))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(highs, "_model", recording)
    inst = instance(
        [need("N1", quantity=10, max_unit_price=50)],
        [offer("O1", unit_price=30, capacity=10, min_order_qty=2)],
        agencies=[Agency("A1", "Dinas", 110)],
    )
    form = build_formulation(inst)
    objective = unmet.objective(form)
    backend = HighsBackend(continuous_quantities=True)
    out = backend.solve(form, objective, SolveParams(time_limit=10, threads=1, deterministic=True))
    assert out.status == "optimal" and out.values is not None and out.values[0] == 3
    assert built == [False]
    backend.solve(form, objective, PARAMS)
    assert built[1] is True
