"""Trade-off sweeps: solve a scenario at many values of one parameter, on an executor.

``min_local_share`` traces the *price of localness*. At each required share s the scenario's
instance gets the hard floor "priority value >= s x demand value" and stage 2 minimises cost
(``priority_weight = 0``), so each point answers: with the floor, how much demand must stay
unmet (stage 1), and what is the cheapest plan that reaches it (stage 2)? Each point is
classified against the reference solve without a floor:

* ``ok``: the floor is met with no more unmet value than without a floor (same service
  level: the least unmet value of the reference solve and of every point, since each point's
  allocation is also feasible without a floor). Among these points cost is non-decreasing in
  s when each stage is solved to optimality: the feasible sets are nested. Under a time
  limit on large instances the curve is only as good as the solver's solutions.
* ``unmet_rises``: the floor is met only by leaving more demand unmet.
* ``infeasible``: no allocation meets the floor ("target tidak dapat dicapai").
* ``unknown``: the time limit ran out before a feasible allocation was found.

The knee of the cost curve (ok points, cost against achieved share) is the point farthest
from the chord between the curve's end points after scaling both axes to [0, 1]
(Kneedle-style): past it, each extra point of share costs markedly more.

Points run in parallel through an executor of :mod:`matcher.executors`: processes on this
machine, or a dask.distributed cluster for province- or nation-wide runs."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from matcher.executors import Executor, SerialExecutor
from matcher.optimizer import Instance, SolveOptions, solve
from matcher.scenarios import changes
from matcher.scenarios.runner import overall_status
from matcher.scenarios.schema import BudgetChange, PriceChange


def _with_share(instance: Instance, value: float) -> Instance:
    policy = replace(instance.policy, min_priority_share=value, priority_weight=0.0)
    return replace(instance, policy=policy)


def _with_budget(instance: Instance, value: float) -> Instance:
    return changes.budget(instance, BudgetChange(type="budget", percent=value))


def _with_price(instance: Instance, value: float) -> Instance:
    return changes.price(instance, PriceChange(type="price", percent=value))


PARAMETERS: dict[str, Callable[[Instance, float], Instance]] = {
    "min_local_share": _with_share,
    "budget_percent": _with_budget,
    "price_percent": _with_price,
}


@dataclass(frozen=True)
class PointTask:
    instance: Instance
    param: str
    value: float | None  # None: the reference solve (no change)
    time_limit: float
    threads: int = 1


@dataclass(frozen=True)
class SweepPoint:
    value: float | None
    status: str
    unmet_value: int
    cost: int
    priority_value: int
    share: float  # achieved priority value / demand value
    seconds: float
    kind: str = ""  # ok, unmet_rises, infeasible, unknown (set by the sweep)


def solve_point(task: PointTask) -> SweepPoint:
    """One point (module level so that process pools and Dask can pickle it)."""
    start = time.perf_counter()
    instance = task.instance
    if task.value is not None:
        instance = PARAMETERS[task.param](instance, task.value)
    options = SolveOptions(time_limit=task.time_limit, threads=task.threads, diagnostics=False)
    allocation = solve(instance, options)
    demand = instance.demand_value
    return SweepPoint(
        value=task.value,
        status=overall_status(allocation),
        unmet_value=allocation.unmet_value,
        cost=allocation.cost,
        priority_value=allocation.priority_value,
        share=allocation.priority_value / demand if demand else 0.0,
        seconds=round(time.perf_counter() - start, 3),
    )


def knee_index(x: Sequence[float], y: Sequence[float]) -> int | None:
    """Index of the point farthest from the chord between the first and last point, both axes
    scaled to [0, 1]; None with fewer than three points or a flat curve."""
    if len(x) < 3:
        return None
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    span_x, span_y = xs.max() - xs.min(), ys.max() - ys.min()
    if span_x <= 0 or span_y <= 0:
        return None
    xn = (xs - xs.min()) / span_x
    yn = (ys - ys.min()) / span_y
    dx, dy = xn[-1] - xn[0], yn[-1] - yn[0]
    norm = float(np.hypot(dx, dy))
    if norm == 0:
        return None
    distance = np.abs(dy * (xn - xn[0]) - dx * (yn - yn[0])) / norm
    best = int(np.argmax(distance))
    return best if distance[best] > 1e-9 else None


@dataclass
class SweepResult:
    param: str
    values: list[float]
    reference: SweepPoint
    points: list[SweepPoint]
    knee: int | None
    executor: str
    seconds: float
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def classify(point: SweepPoint, service_level: int) -> str:
    """``service_level``: the least unmet value known without a floor (see :func:`sweep`)."""
    if point.status in ("infeasible", "unknown"):
        return point.status
    return "ok" if point.unmet_value <= service_level else "unmet_rises"


def grid(start: float, stop: float, steps: int) -> list[float]:
    if steps < 2:
        return [round(start, 6)]
    return [round(float(v), 6) for v in np.linspace(start, stop, steps)]


def sweep(
    instance: Instance,
    param: str,
    values: Sequence[float],
    *,
    executor: Executor | None = None,
    time_limit: float = 5.0,
) -> SweepResult:
    if param not in PARAMETERS:
        raise ValueError(f"parameter tidak dikenal: {param} ({', '.join(PARAMETERS)})")
    start = time.perf_counter()
    runner = executor or SerialExecutor()
    threads = 2 if runner.name == "serial" else 1
    tasks = [PointTask(instance, param, None, time_limit, threads)] + [
        PointTask(instance, param, float(v), time_limit, threads) for v in values
    ]
    solved = runner.map(solve_point, tasks)
    reference, raw = solved[0], solved[1:]
    # Every allocation found meets a floor of at least 0, so the least unmet value among all
    # of them is the best known service level without a floor (under a time limit the
    # reference solve itself may have stopped short of it).
    service_level = min(
        [reference.unmet_value]
        + [p.unmet_value for p in raw if p.status not in ("infeasible", "unknown")]
    )
    points = [replace(p, kind=classify(p, service_level)) for p in raw]
    ok = [i for i, p in enumerate(points) if p.kind == "ok"]
    knee_at = knee_index([points[i].share for i in ok], [points[i].cost for i in ok])
    return SweepResult(
        param=param,
        values=[float(v) for v in values],
        reference=replace(reference, kind="reference"),
        points=points,
        knee=None if knee_at is None else ok[knee_at],
        executor=runner.name,
        seconds=round(time.perf_counter() - start, 3),
    )
