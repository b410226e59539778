"""Scale benchmark: rounds of 10^3, 10^4 and 10^5 needs (``benchmarks/generator.py``) solved
whole and by decomposition (``matcher.optimizer.decomposition``: blocks by category, budgets
and caps split, a coordination pass), with wall time, peak memory (RSS) and unmet share.
Usage: ``python benchmarks/bench_scale.py [--sizes 1000,10000,100000] [--workers 2]``."""

from __future__ import annotations

import argparse
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generator import generate
from matcher.optimizer.decomposition import solve_decomposed
from matcher.optimizer.lexicographic import SolveOptions, solve
from matcher.optimizer.validator import validate


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--whole-limit", type=int, default=10000, help="largest size solved whole")
    args = parser.parse_args()
    options = SolveOptions(solver="greedy", diagnostics=False, time_limit=600)
    print(f"{'needs':>7} {'method':<22} {'blocks':>6} {'seconds':>8} {'unmet %':>8} "
          f"{'feasible':>8} {'peak RSS MB':>11}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        instance = generate(size)
        made = time.perf_counter() - started
        print(f"{size:>7} {'generate':<22} {'':>6} {made:>8.1f} {'':>8} {'':>8} {_rss_mb():>11.0f}")
        if size <= args.whole_limit:
            started = time.perf_counter()
            whole = solve(instance, options)
            seconds = time.perf_counter() - started
            report = validate(instance, whole.lines)
            share = 100 * report.unmet_value / max(1, instance.demand_value)
            print(f"{size:>7} {'whole (greedy)':<22} {1:>6} {seconds:>8.1f} {share:>8.2f} "
                  f"{report.ok!s:>8} {_rss_mb():>11.0f}")  # fmt: skip
        for workers in sorted({1, args.workers}):
            started = time.perf_counter()
            if workers == 1:
                result = solve_decomposed(instance, options)
            else:
                with ProcessPoolExecutor(max_workers=workers) as pool:
                    result = solve_decomposed(instance, options, executor=pool)
            seconds = time.perf_counter() - started
            share = 100 * result.unmet_value / max(1, result.demand_value)
            label = f"decomposed ({workers} proc)"
            print(f"{size:>7} {label:<22} {result.blocks:>6} {seconds:>8.1f} {share:>8.2f} "
                  f"{result.feasible!s:>8} {_rss_mb():>11.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
