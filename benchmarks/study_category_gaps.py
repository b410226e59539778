"""How close can stage 1 get to a proven bound when the problem is made easier?

Stage 1 (unmet value) of a generated benchmark instance with the coupling rows dropped (agency
budgets and the supplier cap), so that it separates into one independent MIP per category.
Each category is solved twice: by HiGHS on the full model (one thread per category, two
categories at a time) and by the auto engine (both cores, one category at a time), each with
``--seconds`` per core in all, shared among the categories in proportion to their eligible
pairs. Per category it prints the best value either found, the best bound either proved, and
the gap between them; the last row sums them. Since the categories are independent, the sums
are the best value and the best bound for the whole (relaxed) stage 1.

This is a study, not a benchmark (``make bench`` does not run it): it measures what the
solvers available here can prove on these instances, for the optimiser's targets.

    .venv/bin/python benchmarks/study_category_gaps.py --needs 1000 --seconds 600
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generator import generate  # noqa: E402
from matcher.optimizer import Instance, SolveOptions, solve  # noqa: E402
from matcher.optimizer.formulation import pair_data  # noqa: E402

UNCAPPED_BUDGET = 10**15


@dataclass(frozen=True)
class CategoryRun:
    category: str
    value: int
    bound: int
    status: str


def decoupled(instance: Instance, category: str) -> Instance:
    """The category's needs and offers alone, without agency budgets or a supplier cap."""
    return replace(
        instance,
        needs=tuple(n for n in instance.needs if n.category == category),
        offers=tuple(o for o in instance.offers if o.category == category),
        agencies=tuple(replace(a, budget=UNCAPPED_BUDGET) for a in instance.agencies),
        policy=replace(instance.policy, max_supplier_value=None),
    )


def run(job: tuple[str, Instance, str, float, int]) -> CategoryRun:
    category, instance, solver, seconds, threads = job
    # Stage 1 takes nearly all the time; the later stages only finish the solve.
    options = SolveOptions(
        solver=solver,
        time_limit=seconds,
        threads=threads,
        stage_shares=(0.98, 0.5, 1.0),
        diagnostics=False,
    )
    stage = solve(instance, options).stages[0]
    assert stage.value is not None and stage.bound is not None
    return CategoryRun(category, stage.value, stage.bound, stage.status)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--needs", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=600.0, help="per core, per solver")
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    instance = generate(args.needs, seed=args.seed)
    parts = {
        category: decoupled(instance, category)
        for category in sorted({n.category for n in instance.needs})
    }
    pairs = {category: len(pair_data(part)) for category, part in parts.items()}
    total = sum(pairs.values())
    order = [c for c in sorted(pairs, key=lambda c: -pairs[c]) if pairs[c]]

    def jobs(solver: str, cores: int, threads: int) -> list[tuple[str, Instance, str, float, int]]:
        def seconds(category: str) -> float:
            return max(5.0, float(args.seconds) * cores * pairs[category] / total)

        return [(c, parts[c], solver, seconds(c), threads) for c in order]

    began = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        highs = {r.category: r for r in pool.map(run, jobs("highs", 2, 1))}
    # The auto engine uses both cores itself (its LNS runs on two threads).
    auto = {r.category: r for r in map(run, jobs("auto", 1, 2))}

    table = Table(title=f"Stage 1 by category, budgets and cap dropped ({args.needs} needs)")
    for column in (
        "category",
        "needs",
        "pairs",
        "HiGHS",
        "HiGHS bound",
        "auto",
        "auto bound",
        "gap",
    ):
        table.add_column(column, justify="left" if column == "category" else "right")
    best_sum = bound_sum = 0
    for category in highs:
        h, a = highs[category], auto[category]
        best, bound = min(h.value, a.value), max(h.bound, a.bound)
        best_sum += best
        bound_sum += bound
        gap = (best - bound) / best if best else 0.0
        table.add_row(
            category,
            str(len(parts[category].needs)),
            str(pairs[category]),
            f"{h.value:,} ({h.status})",
            f"{h.bound:,}",
            f"{a.value:,} ({a.status})",
            f"{a.bound:,}",
            f"{gap:.2%}",
        )
    table.add_section()
    table.add_row(
        "all",
        str(len(instance.needs)),
        str(total),
        "",
        "",
        f"best {best_sum:,}",
        f"bound {bound_sum:,}",
        f"{(best_sum - bound_sum) / best_sum:.2%}",
    )
    console = Console(width=150)
    console.print(table)
    console.print(f"{time.perf_counter() - began:.0f} s wall")


if __name__ == "__main__":
    main()
