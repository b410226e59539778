"""Large-neighbourhood search: free a group of needs, re-solve their sub-MIP (CP-SAT by
default, HiGHS selectable) against what the rest leaves of every limit
(:mod:`matcher.optimizer.solvers.submip`), keep the result when it is strictly better. The
sub-MIP starts from the incumbent, so it never returns anything worse, and it carries the
earlier stages' fixings as rows.

Neighbourhoods: needs of one category in chunks (offers serve one category, so capacity
couples only needs of the same category), and needs of one agency (budget coupling). The
chunk order is a fixed shuffle (``seed``), and every pass over the neighbourhoods regroups
the needs with the next seed. Pairs are restricted to a candidate mask (the incumbent's
pairs, the LP support and the best reduced costs per need) so the sub-MIPs stay small.

Measured on the 1 000-need benchmark instance (stage 1, from LP rounding at 2.045e9 unmet):
chunks of 40 needs over candidates with 1 s sub-MIPs reach 1.993e9 in 40 s; whole categories
over all their pairs only 2.023e9 (the sub-MIPs are too hard to improve in 1 s). With
CP-SAT as the sub-MIP engine (tighter upper bounds from budgets and caps, from LP rounding at
2.023e9): 1.943e9 after 40 s against HiGHS's 1.957e9; chunks of 20 or 80 needs, 0.5 s or 2 s
per sub-MIP, all pairs instead of candidates, and whole categories with two workers were all
worse (1.958e9 to 1.987e9). Regrouping every pass: the 600 s run had stalled at 1.951e9 with
one grouping; regrouped, 1.937e9 after 100 s."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Instance
from matcher.optimizer.solvers.submip import ExtraRow, Limits, Usage, solve_sub

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CHUNK_NEEDS = 40
SUB_SECONDS = 1.0
# Later stages (the earlier ones fixed as rows) get a few seconds each: smaller groups and
# shorter sub-MIPs cover more of the instance in that time. 1 000-need benchmark, 60 s,
# priority stage (9 s): 18.7-22.9% gap over four runs with chunks of 20 needs (0.15-1 s per
# sub-MIP) against 23.4-25.9% with chunks of 40 and 1 s; chunks of 10 gave 20.2%. The cost
# stage stayed within its run-to-run range (10.2-12.9%).
LATER_CHUNK_NEEDS = 20
LATER_SUB_SECONDS = 0.3
DETERMINISTIC_NODES = 200
# CP-SAT finds improving sub-solutions faster than HiGHS here (see submip._solve_cpsat).
SUB_ENGINE = "cpsat"


@dataclass
class LnsReport:
    rounds: int
    improved: int
    seconds: float


def neighbourhoods(instance: Instance, chunk: int = CHUNK_NEEDS, seed: int = 0) -> list[IntArray]:
    """Groups of need indices: category chunks interleaved with agency chunks."""
    rng = np.random.default_rng(seed)
    by_category: dict[str, list[int]] = {}
    by_agency: dict[str, list[int]] = {}
    for i, need in enumerate(instance.needs):
        by_category.setdefault(need.category, []).append(i)
        by_agency.setdefault(need.agency_id, []).append(i)
    groups: list[list[IntArray]] = []
    for grouping in (by_category, by_agency):
        chunks: list[IntArray] = []
        for key in sorted(grouping):
            members = np.array(grouping[key], dtype=np.int64)
            rng.shuffle(members)
            parts = max(1, int(np.ceil(members.size / chunk)))
            chunks.extend(np.sort(part) for part in np.array_split(members, parts))
        order = rng.permutation(len(chunks))
        groups.append([chunks[int(i)] for i in order])
    # Two category chunks for each agency chunk: capacity couples more than budgets do.
    cat, ag = groups
    out: list[IntArray] = []
    j = 0
    for i, c in enumerate(cat):
        out.append(c)
        if i % 2 == 1 and j < len(ag):
            out.append(ag[j])
            j += 1
    out.extend(ag[j:])
    return out


def candidates(
    pd: PairData,
    incumbent: IntArray,
    lp_x: npt.NDArray[np.float64] | None,
    reduced_cost: npt.NDArray[np.float64] | None,
    per_need: int,
) -> BoolArray:
    """The incumbent's pairs, the LP support and the ``per_need`` best reduced costs."""
    p = len(pd)
    mask = incumbent > 0
    if lp_x is not None:
        mask |= lp_x > 1e-9
    if reduced_cost is not None and per_need > 0:
        rc = np.where(np.isfinite(reduced_cost), reduced_cost, -np.inf)
        order = np.lexsort((np.arange(p), -rc, pd.need))
        need_sorted = pd.need[order]
        rank = np.arange(p) - np.searchsorted(need_sorted, need_sorted, side="left")
        mask[order[rank < per_need]] = True
    return np.asarray(mask, dtype=np.bool_)


def rows_hold(rows: tuple[ExtraRow, ...], x: IntArray) -> bool:
    for row in rows:
        act = int(np.dot(row.coef, x))
        if act < row.lo or act > row.hi:
            return False
    return True


def improve(
    instance: Instance,
    pd: PairData,
    x: IntArray,
    value: IntArray,
    mask: BoolArray,
    time_limit: float,
    *,
    extra: tuple[ExtraRow, ...] = (),
    seed: int = 0,
    deterministic: bool = False,
    passes: int = 2,
    chunk: int = CHUNK_NEEDS,
    sub_seconds: float = SUB_SECONDS,
    stop: Callable[[], bool] | None = None,
    engine: str = SUB_ENGINE,
) -> tuple[IntArray, LnsReport]:
    """Maximise ``value . x`` by LNS from the feasible ``x`` within ``time_limit`` seconds.

    With ``deterministic`` every sub-MIP stops on a work limit (HiGHS nodes, CP-SAT
    deterministic time) and the search on ``passes``
    passes over the neighbourhoods (the clock stays as a safety net). ``chunk`` needs make a
    neighbourhood, each sub-MIP gets at most ``sub_seconds``. ``stop`` ends the
    search early when it returns true (checked between sub-MIPs). ``engine`` solves the
    sub-MIPs (:func:`~matcher.optimizer.solvers.submip.solve_sub`)."""
    start = time.perf_counter()
    limits = Limits.of(instance)
    hoods = neighbourhoods(instance, chunk, seed)
    x = x.copy()
    used = Usage.of(pd, limits, x)
    activity = [int(np.dot(row.coef, x)) for row in extra]
    pool = np.flatnonzero(mask)
    pool_need = pd.need[pool]
    rounds = improved = 0
    in_hood = np.zeros(len(instance.needs), dtype=np.bool_)
    # Neighbourhoods whose sub-MIP was solved to optimality since the last improvement:
    # re-solving them cannot help, and when all are, the search is done.
    settled = np.zeros(len(hoods), dtype=np.bool_)
    while hoods:
        left = time_limit - (time.perf_counter() - start)
        if left < 0.05 or settled.all() or (stop is not None and stop()):
            break
        if deterministic and rounds >= passes * len(hoods):
            break
        index = rounds % len(hoods)
        if index == 0 and rounds:
            # A new pass regroups the needs (another shuffle): the same groups again would
            # mostly be re-solved to what they already are.
            hoods = neighbourhoods(instance, chunk, seed + rounds // len(hoods))
            settled[:] = False
        hood = hoods[index]
        rounds += 1
        in_hood[:] = False
        in_hood[hood] = True
        subset = pool[in_hood[pool_need]]
        if not subset.size:
            settled[index] = True
            continue
        res = solve_sub(
            pd,
            limits,
            x,
            subset,
            value[subset].astype(np.float64),
            extra=extra,
            time_limit=left if deterministic else min(sub_seconds, left),
            seed=seed + rounds,
            node_limit=DETERMINISTIC_NODES if deterministic else None,
            used_all=used,
            activity=tuple(activity),
            engine=engine,
        )
        if res.x is None:
            continue
        old = x[subset]
        gain = int(np.dot(value[subset], res.x - old))
        if gain > 0:
            new_used = (
                used
                - Usage.of_subset(pd, limits, old, subset)
                + Usage.of_subset(pd, limits, res.x, subset)
            )
            new_activity = [
                a + int(np.dot(row.coef[subset], res.x - old))
                for a, row in zip(activity, extra, strict=True)
            ]
            if (
                _pairs_ok(pd, subset, res.x)
                and new_used.within(limits)
                and all(row.lo <= a <= row.hi for a, row in zip(new_activity, extra, strict=True))
            ):
                x[subset] = res.x
                used, activity = new_used, new_activity
                improved += 1
                settled[:] = False
                continue
        if res.optimal:
            settled[index] = True
    return x, LnsReport(rounds, improved, time.perf_counter() - start)


def _pairs_ok(pd: PairData, subset: IntArray, values: IntArray) -> bool:
    """Per-pair bounds and minimum orders of the new values of ``subset``."""
    return not (
        (values < 0).any()
        or (values > pd.ub[subset]).any()
        or ((values > 0) & (values < pd.moq[subset])).any()
    )
