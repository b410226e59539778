"""The default engine (``--solver auto``), one lexicographic stage at a time.

Small instances (at most ``FULL_MIP_PAIRS`` eligible pairs) go to HiGHS on the full model
(:func:`matcher.optimizer.solvers.restricted_mip.solve_stage`), whose own bound is valid and which
proves optimality where it can. Larger ones:

1. *Bound*: the x-only LP relaxation by column generation over all eligible pairs
   (:mod:`matcher.optimizer.relaxation`), whose per-need Lagrangian value is a valid bound at
   every round, capped by the bounds that need no LP
   (:func:`~matcher.optimizer.relaxation.lp_free_bound`: combinatorial, the aggregate LP and,
   at stage 1, the min-cost flow). Stage 1 beyond a full simplex LP (more than
   ``relaxation.FULL_LP_PAIRS`` pairs) prices with PDLP as the restricted solver and ends
   with the flow priced by the LP's multipliers
   (:func:`~matcher.optimizer.relaxation.first_order_relax`). With ``threads >= 2`` (and not
   ``deterministic``) the LP runs in a spawned helper process on the second core: it
   reports once after ``FIRST_SHARE`` of the stage (for rounding and candidates) and goes on
   converging the bound while the primal search runs here.
2. *Start*: the incumbent (greedy, or the previous stage's solution); at stage 1 also LP
   rounding (:mod:`lp_rounding`), whichever is better. Beyond a full simplex LP, stage 1
   first rounds a first-order LP over provisional candidates
   (:func:`~matcher.optimizer.relaxation.first_order_lp`) while the helper starts.
3. *LNS* (:mod:`lns`) over the candidate pairs (incumbent, LP support, best reduced costs,
   and at stage 1 the min-cost flow's pairs), with the earlier stages fixed at their
   achieved values as rows. Before the first LP report, LNS runs on provisional candidates.
   Once the helper has made its final report (or where there is none), the LNS runs on both
   cores (:func:`~matcher.optimizer.solvers.lns.improve_parallel`).

The incumbent is only ever replaced by a strictly better feasible solution, so a stage never
gets worse than its start, and earlier stages keep their values. With ``deterministic`` the
LP is inline with a fixed number of rounds and the LNS uses node limits and a fixed number of
passes, so the allocation does not depend on machine load (unless the wall-clock safety
limit is reached); otherwise the helper's timing and the clock make it load-dependent.

Why not a stronger bound (measured on the 1 000-need benchmark, LP bound 1.8507e9 unmet):
the Lagrangian bound by category (budgets and caps priced with the LP duals, each category's
MIP bounded by HiGHS in 5 s) is 1.8512e9, and one category's MIP alone (14 needs, 477 pairs)
keeps a 1.2% gap after 60 s. The gap comes from offers whose capacity is shared between needs
while each need may use only k offers (the LP pays a fraction of a slot for a fraction of an
offer). Per-need pricing (Dantzig-Wolfe columns of at most k offers) cannot see that: the
single-need set {at most k offers, quantity} is described almost exactly by the aggregated k
row the LP already has, so its bound equals the LP's up to minimum orders.

Where the gap lies (measured): with the pair bounds that include budgets and caps, the LP is
1.0-1.2% below the optimum on the 100-need benchmark (HiGHS after 600 s: optimum between
3.1038e8 and 3.1096e8, LP 3.0726e8). On the 1 000-need one, every integer method tried stays
above 1.94e9 unmet against the LP's 1.854e9: LP diving (fixing each need's most used pair,
then the next) ends at 2.06-2.17e9, because the LP serves 416 of the 1 000 needs from more
than k offers at fractions of a slot; and on one category alone (ATK, no budgets or caps,
1 705 pairs) CP-SAT keeps 34.27e6 against its LP bound 32.27e6 after 120 s, HiGHS's bound
moves to 32.33e6 (and after 900 s its best is 33.785e6 against a bound of 32.351e6). So part
of the remaining gap may be the LP's, and proving 2% needs a relaxation that charges whole
slots, which none of the above is. Part is search: on another category alone (MINUMAN) the
optimum equals the LP bound, and the largest shortfall of the LNS against the LP is in
categories of tiny offers (FURNITUR: capacity 1-3, split between needs at fractions of a
unit in the LP). How weak the LP can be: on MASKER alone (14 needs, 477 pairs) HiGHS proves
the optimum 1 433 240 unmet in 95 s against an LP bound of 557 743; with budgets and caps
dropped, HiGHS and this engine together stay 1.86% from a proof on the whole stage 1
(``benchmarks/study_category_gaps.py``)."""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.queues import Queue
from queue import Empty

import numpy as np
import numpy.typing as npt

from matcher.optimizer import relaxation
from matcher.optimizer.formulation import PairData, pair_data
from matcher.optimizer.model import Instance
from matcher.optimizer.objectives import Objective, ObjectiveModule, objective_over_pairs
from matcher.optimizer.relaxation import (
    Duals,
    Fixed,
    RelaxationResult,
    first_order_lp,
    first_order_relax,
    fixings,
    lp_free_bound,
    relax,
)
from matcher.optimizer.solvers import restricted_mip
from matcher.optimizer.solvers.base import IntArray, SolveParams, proven, tighter
from matcher.optimizer.solvers.lns import (
    CHUNK_NEEDS,
    LATER_CHUNK_NEEDS,
    LATER_SUB_SECONDS,
    SUB_SECONDS,
    candidates,
    improve,
    improve_parallel,
    rank_per_need,
    rows_hold,
)
from matcher.optimizer.solvers.lp_rounding import round_if_better
from matcher.optimizer.solvers.restricted_mip import StageOutcome
from matcher.optimizer.solvers.submip import ExtraRow

FULL_MIP_PAIRS = 6_000
CANDIDATES_PER_NEED = 4
WIDER_CANDIDATES_PER_NEED = 10  # once the LNS on both cores stalls (lns.STALL_EPOCHS)
DETERMINISTIC_CG_ROUNDS = 8
RELAX_SHARE = 0.45  # of a stage's time for the LP bound when it runs in the same process
# Above this many pairs the LP of stages 2 and 3 (with the earlier stages as rows) does not
# converge in the time those stages get; they use the combinatorial bounds instead.
LATER_LP_MAX_PAIRS = 2_000_000
FIRST_SHARE = 0.3  # of a stage's time for the helper's first LP (candidates, rounding)
BOUND_SHARE = 0.92  # of a stage's time for the LP bound in the helper process
ROUNDING_SHARE = 0.1  # of a stage's time, at most, for an LP rounding's exact re-solves
# The first-order LP beyond a full simplex LP (stage 1): at most this share of the stage, and
# at most these seconds (10 000 needs: 10 s, 20 s and 40 s give roundings at 2.440e10,
# 2.426e10 and 2.430e10 unmet).
FIRST_ORDER_SHARE = 0.15
FIRST_ORDER_SECONDS = 20.0

FloatArray = npt.NDArray[np.float64]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BoundReport:
    """What the LP bound hands to the primal side (small: no full-length arrays but the
    LP support and the best pairs by reduced cost)."""

    bound: float  # on the maximised form; inf when none
    duals: Duals | None
    support: IntArray
    support_x: FloatArray
    best: IntArray  # the CANDIDATES_PER_NEED best pairs per need by reduced cost
    converged: bool
    wider: IntArray  # the WIDER_CANDIDATES_PER_NEED best, for a stalled search


def _stage_rows(
    instance: Instance,
    pd: PairData,
    make: ObjectiveModule,
    fixed: list[tuple[ObjectiveModule, int]],
) -> tuple[Objective, list[Fixed], list[ExtraRow]]:
    """The stage's objective over the pairs, and the earlier stages as LP rows and as
    sub-MIP rows."""
    fixed_rows = fixings(instance, pd, fixed)
    extra = [
        ExtraRow(f.coef, float(f.value), np.inf)
        if f.sense == "max"
        else ExtraRow(f.coef, -np.inf, float(f.value))
        for f in fixed_rows
    ]
    return objective_over_pairs(make, instance, pd), fixed_rows, extra


def _report(pd: PairData, relaxed: RelaxationResult) -> BoundReport:
    support = np.flatnonzero(relaxed.x > 1e-9)
    rank = rank_per_need(pd, relaxed.reduced_cost) if relaxed.duals is not None else None

    def best(per_need: int) -> IntArray:
        if rank is None:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(rank < per_need)

    return BoundReport(
        float(relaxed.bound),
        relaxed.duals,
        support,
        relaxed.x[support],
        best(CANDIDATES_PER_NEED),
        relaxed.converged,
        best(WIDER_CANDIDATES_PER_NEED),
    )


def first_order_stage(name: str, fixed: list[tuple[ObjectiveModule, int]], pairs: int) -> bool:
    """Whether a stage is stage 1 (nothing fixed before it) beyond a full simplex LP: its LP
    prices with PDLP and ends with the priced flow, and its primal side first rounds a
    first-order LP over provisional candidates."""
    return name == "unmet" and not fixed and pairs > relaxation.FULL_LP_PAIRS


def bound_job(
    instance: Instance,
    make: ObjectiveModule,
    fixed: list[tuple[ObjectiveModule, int]],
    start: IntArray,
    time_limit: float,
    max_iterations: int,
    pd: PairData | None = None,
    early: tuple[Queue[BoundReport], float] | None = None,
    deterministic: bool = False,
) -> BoundReport:
    """The stage's LP bound by column generation (in the helper process or inline). With
    ``early = (queue, seconds)`` the state after ``seconds`` is put on the queue once, so
    the primal side can round and pick candidates while the bound goes on converging.

    Stage 1 beyond a full simplex LP prices with PDLP as the restricted solver and ends
    with the priced flow (:func:`~matcher.optimizer.relaxation.first_order_relax`): at
    10 000 needs, simplex column generation gets neither a bound beyond the flow's nor an
    LP better than the greedy start in the time there is."""
    began = time.perf_counter()
    pd = pd if pd is not None else pair_data(instance)
    objective, fixed_rows, _ = _stage_rows(instance, pd, make, fixed)
    coef, sense = objective.coef, objective.sense
    mask = np.zeros(len(pd), dtype=np.bool_)
    mask[start] = True
    sent = False

    def progress(partial: RelaxationResult) -> None:
        nonlocal sent
        if early is not None and not sent and time.perf_counter() - began >= early[1]:
            early[0].put(_report(pd, partial))
            sent = True

    left = max(0.05, time_limit - (time.perf_counter() - began))
    if first_order_stage(objective.name, fixed, len(pd)):
        relaxed = first_order_relax(
            instance, pd, mask, left, max_iterations, deterministic, progress=progress
        )
    else:
        relaxed = relax(
            instance,
            pd,
            coef,
            sense,
            fixed_rows,
            start=mask,
            time_limit=left,
            max_iterations=max_iterations,
            progress=progress,
        )
    return _report(pd, relaxed)


def _helper_main(
    queue: Queue[BoundReport],
    instance: Instance,
    make: ObjectiveModule,
    fixed: list[tuple[ObjectiveModule, int]],
    start: IntArray,
    finish_by: float,
    early_at: float,
) -> None:
    # Deadlines are on the wall clock the parent set them by: starting this process (imports,
    # pair data) takes seconds that must not push the report past the stage's end.
    now = time.time()
    time_limit = max(0.05, finish_by - now)
    early = (queue, max(0.0, early_at - now))
    queue.put(bound_job(instance, make, fixed, start, time_limit, 50, None, early))


class _Helper:
    """The LP bound of one stage in a spawned process (no solver state is forked): it puts
    an early report on the queue after ``early_after`` seconds (unless it converged before)
    and the final one at the end."""

    def __init__(
        self,
        instance: Instance,
        make: ObjectiveModule,
        fixed: list[tuple[ObjectiveModule, int]],
        start: IntArray,
        time_limit: float,
        early_after: float,
    ) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.queue: Queue[BoundReport] = ctx.Queue()
        now = time.time()
        self.process = ctx.Process(
            target=_helper_main,
            args=(self.queue, instance, make, fixed, start, now + time_limit, now + early_after),
            daemon=True,
        )
        self.process.start()
        self.reports: list[BoundReport] = []

    def ready(self) -> bool:
        return not self.queue.empty()

    def next(self, timeout: float) -> BoundReport | None:
        try:
            report = self.queue.get(timeout=max(0.1, timeout))
        except Empty:
            return None
        self.reports.append(report)
        return report

    def close(self, timeout: float) -> BoundReport | None:
        """The final report (None if the helper did not finish in time)."""
        if self.reports and not self.reports[-1].converged and len(self.reports) < 2:
            self.next(timeout)
        self.process.join(timeout=1.0)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        return self.reports[-1] if self.reports else None


def _can_spawn() -> bool:
    """Daemonic processes (multiprocessing pool workers) may not have children."""
    return not multiprocessing.current_process().daemon


def _since(start: float) -> float:
    return time.perf_counter() - start


def solve_stage(
    instance: Instance,
    pd: PairData,
    make: ObjectiveModule,
    fixed: list[tuple[ObjectiveModule, int]],
    incumbent: IntArray,
    time_limit: float,
    params: SolveParams,
    lp_start: IntArray | None = None,
) -> StageOutcome:
    """One stage. ``lp_start``: pairs for the LP's first columns besides the incumbent's
    (the previous stage's LP support: 1 000-need benchmark, the cost stage's LP converges in
    4.3 s from the priority stage's support against 22.8 s from the incumbent's pairs)."""
    start = time.perf_counter()
    objective, _, extra_list = _stage_rows(instance, pd, make, fixed)
    coef, sense, name = objective.coef, objective.sense, objective.name
    extra = tuple(extra_list)
    if len(pd) <= FULL_MIP_PAIRS or not rows_hold(extra, incumbent):
        # Small: the full MIP. A start that breaks a fixed row (a priority floor the greedy
        # start misses) also needs the MIP, which searches for a feasible point itself. (Short
        # later stages used one restricted MIP while the LNS solved its sub-MIPs with HiGHS;
        # with CP-SAT the LNS is better there too: 1 000-need benchmark, 9 s per later stage,
        # priority value 2.372e9 against 2.281e9, cost gap 13.1% against 35.3%.)
        return restricted_mip.solve_stage(instance, pd, make, fixed, incumbent, time_limit, params)
    sign = 1 if sense == "max" else -1
    value = sign * coef
    # The bounds that need no LP first: they take seconds at 10^4 needs and must not run
    # past the stage's deadline. At stage 1 the min-cost flow's pairs, where capacity goes
    # when only the k limit and the money rows are ignored, also guide the LNS (10 000-need
    # benchmark, 60 s of LNS from the greedy start: 2.5915e10 unmet with them among the
    # candidates against 2.6505e10 without).
    lp_free = lp_free_bound(instance, pd, name, fixed)
    cheap = lp_free.bound
    flow_pairs = (
        lp_free.flow.x > 0 if lp_free.flow is not None else np.zeros(len(pd), dtype=np.bool_)
    )

    chunk = LATER_CHUNK_NEEDS if fixed else CHUNK_NEEDS
    sub_seconds = LATER_SUB_SECONDS if fixed else SUB_SECONDS

    def lns(
        x: IntArray,
        mask: npt.NDArray[np.bool_],
        seconds: float,
        stop: Callable[[], bool] | None = None,
    ) -> IntArray:
        out, report = improve(
            instance,
            pd,
            x,
            value,
            mask,
            seconds,
            extra=extra,
            seed=params.seed,
            deterministic=params.deterministic,
            chunk=chunk,
            sub_seconds=sub_seconds,
            stop=stop,
        )
        log.debug("LNS: %d sub-MIPs, %d improved", report.rounds, report.improved)
        return out

    def lns_both_cores(
        x: IntArray,
        mask: npt.NDArray[np.bool_],
        seconds: float,
        wider: IntArray | None,
    ) -> IntArray:
        """The LNS once no helper needs the second core: on two threads when there are two,
        over the ``wider`` candidates as well once it stalls."""
        if params.deterministic or params.threads < 2:
            return lns(x, mask, seconds)
        more = None
        if wider is not None and wider.size:
            more = np.zeros(len(pd), dtype=np.bool_)
            more[wider] = True
        out, report = improve_parallel(
            instance,
            pd,
            x,
            value,
            mask,
            seconds,
            workers=params.threads,
            extra=extra,
            seed=params.seed,
            chunk=chunk,
            sub_seconds=sub_seconds,
            wider=more,
        )
        log.debug("parallel LNS: %d sub-MIPs, %d improved", report.rounds, report.improved)
        return out

    deadline = start + time_limit
    x = incumbent
    lp_columns = np.flatnonzero(x > 0)
    if lp_start is not None:
        lp_columns = np.union1d(lp_columns, lp_start)
    # Provisional candidates before any LP: big pairs, and the best value per unit after
    # price, besides the incumbent's pairs and (stage 1) the flow's.
    guess = candidates(pd, x, None, pd.ub.astype(np.float64), 2)
    guess |= candidates(pd, x, None, (value - pd.price).astype(np.float64), 2)
    guess |= flow_pairs
    first_order = first_order_stage(name, fixed, len(pd))
    if first_order:
        # PDLP's column generation starts from them (simplex column generation starts from
        # the incumbent's pairs alone: its first LP is slow enough).
        lp_columns = np.union1d(lp_columns, np.flatnonzero(guess))
    helper: _Helper | None = None
    use_lp = not fixed or len(pd) <= LATER_LP_MAX_PAIRS
    if use_lp and not params.deterministic and params.threads >= 2 and _can_spawn():
        helper = _Helper(
            instance,
            make,
            fixed,
            lp_columns,
            time_limit * BOUND_SHARE,
            time_limit * FIRST_SHARE,
        )
    guide = flow_pairs
    if first_order:
        # Beyond a full simplex LP, stage 1 first rounds a first-order LP over these
        # candidates (relaxation.first_order_lp): 10 000-need benchmark, 2.426e10 unmet
        # after 25 s against 2.528e10 after the whole stage without it.
        approx = first_order_lp(
            instance,
            pd,
            np.flatnonzero(guess),
            value.astype(np.float64),
            min(FIRST_ORDER_SECONDS, time_limit * FIRST_ORDER_SHARE),
            params.deterministic,
        )
        x = round_if_better(
            instance, pd, approx, value, x, time_limit=max(0.05, time_limit * ROUNDING_SHARE)
        )
        log.debug("first-order LP rounding: %d at %.1fs", int(np.dot(value, x)), _since(start))
        guide = guide | (approx >= 0.5)
        guess |= guide | (x > 0)
    report: BoundReport | None = None
    if helper is not None:
        # While the LP runs on the other core: LNS from the incumbent.
        x = lns(x, guess, time_limit * BOUND_SHARE, stop=helper.ready)
        report = helper.next(min(time_limit * 0.05, deadline - time.perf_counter()))
        log.debug("LNS while the LP ran: %d at %.1fs", int(np.dot(value, x)), _since(start))
    elif use_lp:
        report = bound_job(
            instance,
            make,
            fixed,
            lp_columns,
            max(0.05, time_limit * RELAX_SHARE),
            DETERMINISTIC_CG_ROUNDS if params.deterministic else 50,
            pd,
            deterministic=params.deterministic,
        )
    if report is not None:
        log.debug(
            "LP: bound %.6g converged %s at %.1fs", report.bound, report.converged, _since(start)
        )
        lp_x = np.zeros(len(pd))
        lp_x[report.support] = report.support_x
        left = deadline - time.perf_counter()
        if not fixed and report.support.size and left > time_limit * 0.1:
            # Stage 1 maximises, so ``value`` is its objective as it stands.
            x = round_if_better(
                instance, pd, lp_x, value, x, time_limit=min(time_limit * ROUNDING_SHARE, left / 3)
            )
            log.debug("after LP rounding: %d at %.1fs", int(np.dot(value, x)), _since(start))
        mask = candidates(pd, x, lp_x, None, 0) | guide
        mask[report.best] = True
    else:
        mask = guess | (x > 0)
    best_bound = report.bound if report is not None else np.inf
    support = report.support if report is not None else None
    wider = report.wider if report is not None else None
    if helper is not None:
        if not (report is not None and report.converged):
            # The helper still works on the bound on the other core, until its final report.
            x = lns(x, mask, max(0.05, deadline - time.perf_counter()), stop=helper.ready)
            log.debug("LNS beside the LP: %d at %.1fs", int(np.dot(value, x)), _since(start))
        final = helper.close(max(0.1, min(time_limit * 0.05, deadline - time.perf_counter())))
        if final is not None and final is not report:
            log.debug("final LP: bound %.6g converged %s", final.bound, final.converged)
            best_bound = min(best_bound, final.bound)
            support = final.support
            if final.duals is not None:
                # The later LP's reduced costs pick the candidates for the rest of the stage.
                mask[final.best] = True
                wider = final.wider
    x = lns_both_cores(x, mask, max(0.05, deadline - time.perf_counter()), wider)
    log.debug("LNS: %d at %.1fs", int(np.dot(value, x)), _since(start))
    bound = sign * best_bound if np.isfinite(best_bound) else None
    bound = tighter(sense, bound, cheap)
    internal = int(np.dot(coef, x))
    duals = report.duals if report is not None else None
    return StageOutcome(
        x,
        internal,
        bound,
        proven(objective, internal, bound),
        time.perf_counter() - start,
        duals,
        support,
    )
