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
one grouping; regrouped, 1.937e9 after 100 s.

:func:`improve_parallel` runs it on several threads (the sub-MIP engines release the GIL),
each over whole categories with its share of the budgets, caps and fixed rows. Same
benchmark, stage 1 after its LP converged (28 s): 163 sub-MIPs against 98-107 on one
thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Instance
from matcher.optimizer.solvers.submip import ExtraRow, Limits, Usage, solve_sub

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Slack = TypeVar("Slack", int, IntArray)

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
# improve_parallel: seconds per epoch (one split of the categories and of the shared slack).
EPOCH_SECONDS = 5.0
# improve_parallel widens the candidates when this many epochs in a row gain less than this
# share of the objective. 1 000-need benchmark, stage 1 stalled at 1.9082e9 unmet after 240 s:
# 60 s more on both cores reach 1.9075e9 with the 4 best pairs per need by reduced cost,
# 1.9012e9 with 10, 1.9024e9 with 20 and 1.9045e9 over all pairs; (at 60 s, 10 from the start
# give 4.62% and 4.43% against 4.66%: no harm, no gain, the start is not stalled).
STALL_EPOCHS = 2
STALL_GAIN = 1e-4
# CP-SAT finds improving sub-solutions faster than HiGHS here (see submip._solve_cpsat).
SUB_ENGINE = "cpsat"


@dataclass
class LnsReport:
    rounds: int
    improved: int
    seconds: float
    settled: bool = False  # every neighbourhood re-solved to optimality without a gain


def neighbourhoods(
    instance: Instance,
    chunk: int = CHUNK_NEEDS,
    seed: int = 0,
    members: BoolArray | None = None,
) -> list[IntArray]:
    """Groups of need indices: category chunks interleaved with agency chunks (of the needs
    in ``members`` only, when given)."""
    rng = np.random.default_rng(seed)
    by_category: dict[str, list[int]] = {}
    by_agency: dict[str, list[int]] = {}
    for i, need in enumerate(instance.needs):
        if members is not None and not members[i]:
            continue
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
    mask = incumbent > 0
    if lp_x is not None:
        mask |= lp_x > 1e-9
    if reduced_cost is not None and per_need > 0:
        mask |= rank_per_need(pd, reduced_cost) < per_need
    return np.asarray(mask, dtype=np.bool_)


def rank_per_need(pd: PairData, score: npt.NDArray[np.float64]) -> IntArray:
    """Each pair's place among its need's pairs by ``score``, best (highest) first, ties by
    pair index; a score that is not finite counts as worst."""
    p = len(pd)
    clean = np.where(np.isfinite(score), score, -np.inf)
    order = np.lexsort((np.arange(p), -clean, pd.need))
    need_sorted = pd.need[order]
    rank = np.empty(p, dtype=np.int64)
    rank[order] = np.arange(p) - np.searchsorted(need_sorted, need_sorted, side="left")
    return rank


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
    limits: Limits | None = None,
    members: BoolArray | None = None,
    used: Usage | None = None,
) -> tuple[IntArray, LnsReport]:
    """Maximise ``value . x`` by LNS from the feasible ``x`` within ``time_limit`` seconds.

    With ``deterministic`` every sub-MIP stops on a work limit (HiGHS nodes, CP-SAT
    deterministic time) and the search on ``passes``
    passes over the neighbourhoods (the clock stays as a safety net). ``chunk`` needs make a
    neighbourhood, each sub-MIP gets at most ``sub_seconds``. ``stop`` ends the
    search early when it returns true (checked between sub-MIPs). ``engine`` solves the
    sub-MIPs (:func:`~matcher.optimizer.solvers.submip.solve_sub`). ``limits`` replaces
    the instance's own (a worker's share, :func:`improve_parallel`); only the needs in
    ``members`` (all when None) are re-optimised. ``used`` (the usage of ``x``) saves a pass
    over all pairs when given."""
    start = time.perf_counter()
    limits = limits if limits is not None else Limits.of(instance)
    hoods = neighbourhoods(instance, chunk, seed, members)
    x = x.copy()
    used = used if used is not None else Usage.of(pd, limits, x)
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
            hoods = neighbourhoods(instance, chunk, seed + rounds // len(hoods), members)
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
    done = not hoods or bool(settled.all())
    return x, LnsReport(rounds, improved, time.perf_counter() - start, done)


def _pairs_ok(pd: PairData, subset: IntArray, values: IntArray) -> bool:
    """Per-pair bounds and minimum orders of the new values of ``subset``."""
    return not (
        (values < 0).any()
        or (values > pd.ub[subset]).any()
        or ((values > 0) & (values < pd.moq[subset])).any()
    )


def split_by_category(instance: Instance, workers: int, seed: int) -> list[BoolArray]:
    """Need masks of ``workers`` groups of whole categories, balanced by need count (largest
    categories first, ties in a seeded order, each to the smallest group so far)."""
    rng = np.random.default_rng(seed)
    codes = sorted({need.category for need in instance.needs})
    of_need = np.array([need.category for need in instance.needs])
    sizes = {code: int((of_need == code).sum()) for code in codes}
    order = [codes[int(i)] for i in rng.permutation(len(codes))]
    order.sort(key=lambda code: -sizes[code])
    load = [0] * workers
    groups = [np.zeros(len(instance.needs), dtype=np.bool_) for _ in range(workers)]
    for code in order:
        g = int(np.argmin(load))
        groups[g] |= of_need == code
        load[g] += sizes[code]
    return groups


def _share(slack: Slack, workers: int, g: int) -> Slack:
    """Worker ``g``'s part of a nonnegative integer slack (the remainder goes to worker 0)."""
    return slack // workers + (slack % workers if g == 0 else 0)


def worker_shares(
    limits: Limits,
    used: Usage,
    x: IntArray,
    extra: tuple[ExtraRow, ...],
    workers: int,
) -> list[tuple[Limits, tuple[ExtraRow, ...]]]:
    """Each worker's limits and rows for one epoch of :func:`improve_parallel`.

    Workers move the needs of disjoint categories, so capacity, demand and k slots (per
    offer or need, and an offer serves one category) are theirs alone. What categories share
    (agency budgets, supplier caps, the earlier stages' rows) is split: each worker may use
    what ``x`` uses (``used``) plus its share of the slack. The shares add up to the slack,
    so the merged allocation keeps every limit whatever each worker does within its own."""
    budget_slack = np.maximum(limits.budget - used.budget, 0)
    cap_slack = np.maximum(limits.cap - used.cap, 0)
    activity = [int(np.dot(row.coef, x)) for row in extra]
    out: list[tuple[Limits, tuple[ExtraRow, ...]]] = []
    for g in range(workers):
        own = Limits(
            limits.quantity,
            limits.capacity,
            used.budget + _share(budget_slack, workers, g),
            used.cap + _share(cap_slack, workers, g),
            limits.k,
        )
        rows = []
        for row, act in zip(extra, activity, strict=True):
            lo, hi = row.lo, row.hi
            if np.isfinite(lo):
                lo = float(act - _share(max(0, act - int(lo)), workers, g))
            if np.isfinite(hi):
                hi = float(act + _share(max(0, int(hi) - act), workers, g))
            rows.append(ExtraRow(row.coef, lo, hi))
        out.append((own, tuple(rows)))
    return out


def improve_parallel(
    instance: Instance,
    pd: PairData,
    x: IntArray,
    value: IntArray,
    mask: BoolArray,
    time_limit: float,
    *,
    workers: int = 2,
    epoch: float = EPOCH_SECONDS,
    extra: tuple[ExtraRow, ...] = (),
    seed: int = 0,
    chunk: int = CHUNK_NEEDS,
    sub_seconds: float = SUB_SECONDS,
    stop: Callable[[], bool] | None = None,
    engine: str = SUB_ENGINE,
    wider: BoolArray | None = None,
) -> tuple[IntArray, LnsReport]:
    """:func:`improve` on ``workers`` threads: in epochs of ``epoch`` seconds, each thread
    searches the needs of its own categories (:func:`split_by_category`, another split every
    epoch) within its share of the shared limits (:func:`worker_shares`); the epoch's
    results are merged. The sub-MIP engines release the GIL while they solve, so the threads
    run on separate cores. Once the search stalls (``STALL_EPOCHS`` epochs that gain less
    than ``STALL_GAIN`` of the objective, or nothing left to re-solve), the candidate pairs
    grow by ``wider`` (once). Once it settles (every neighbourhood re-solved to optimality
    without a gain) over all its candidates, the neighbourhoods and their sub-MIPs' seconds
    double, until one holds every need. Never returns anything worse than ``x``."""
    start = time.perf_counter()
    limits = Limits.of(instance)
    x = x.copy()
    used = Usage.of(pd, limits, x)
    rounds = improved = 0
    number = 0
    gains: list[int] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while True:
            left = time_limit - (time.perf_counter() - start)
            if left < 0.05 or (stop is not None and stop()):
                break
            groups = split_by_category(instance, workers, seed + number)
            shares = worker_shares(limits, used, x, extra, workers)
            seconds = min(epoch, left)
            futures = [
                pool.submit(
                    improve,
                    instance,
                    pd,
                    x,
                    value,
                    mask & group[pd.need],
                    seconds,
                    extra=rows,
                    seed=seed + number * workers + g,
                    chunk=chunk,
                    sub_seconds=sub_seconds,
                    stop=stop,
                    engine=engine,
                    limits=own,
                    members=group,
                    used=used,
                )
                for g, (group, (own, rows)) in enumerate(zip(groups, shares, strict=True))
            ]
            results = [future.result() for future in futures]
            number += 1
            merged = x.copy()
            for group, (found, report) in zip(groups, results, strict=True):
                moved = group[pd.need]
                merged[moved] = found[moved]
                rounds += report.rounds
                improved += report.improved
            # The shares make the merge feasible; checked anyway, as the search checks its own
            # (the usage from the pairs that changed: a pass over all pairs takes 0.24 s at
            # 10 000 needs).
            before = int(np.dot(value, x))
            gain = int(np.dot(value, merged)) - before
            changed = np.flatnonzero(merged != x)
            merged_used = (
                used
                - Usage.of_subset(pd, limits, x[changed], changed)
                + Usage.of_subset(pd, limits, merged[changed], changed)
            )
            if gain > 0 and merged_used.within(limits) and rows_hold(extra, merged):
                x, used = merged, merged_used
            else:
                gain = 0
            gains.append(gain)
            settled = gain == 0 and all(report.settled for _, report in results)
            stalled = len(gains) >= STALL_EPOCHS and sum(gains[-STALL_EPOCHS:]) <= STALL_GAIN * abs(
                before
            )
            if wider is not None and (settled or stalled):
                mask = mask | wider
                wider = None
                gains.clear()
            elif settled:
                if chunk >= len(instance.needs):
                    break
                # A local optimum for neighbourhoods of this size: larger ones, with time for
                # their larger sub-MIPs, instead of returning with time left.
                chunk, sub_seconds = chunk * 2, sub_seconds * 2
    return x, LnsReport(rounds, improved, time.perf_counter() - start)
