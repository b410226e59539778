"""Scale benchmark: planning rounds of 10^3, 10^4 and 10^5 needs (one city, four cities, a
province of 38 kabupaten/kota, from ``benchmarks/generator.py``), solved by decomposition
(``matcher.optimizer.decomposition``: blocks by category and region, greedy or MIP per
block by size, coordination rounds) and, where it fits, whole.

Every (size, method) runs in its own child process, so peak RSS is that run's own: the
parent's (instance, merge, validation, bound) and the largest worker's. Generation is timed
apart from solving. Every allocation is checked by the validator on the whole instance.

    nice -n 5 python benchmarks/bench_scale.py                      # the table in docs/scaling.md
    python benchmarks/bench_scale.py --sizes 1000 --methods whole-greedy,dec-2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generator import generate_province  # noqa: E402
from matcher.executors import LocalExecutor  # noqa: E402
from matcher.optimizer.decomposition import (  # noqa: E402
    DecompositionOptions,
    solve_decomposed,
    unmet_lower_bound,
)
from matcher.optimizer.eligibility import eligible_pairs  # noqa: E402
from matcher.optimizer.formulation import pair_data  # noqa: E402
from matcher.optimizer.lexicographic import SolveOptions, lines_of, solve  # noqa: E402
from matcher.optimizer.solvers.greedy import greedy  # noqa: E402
from matcher.optimizer.validator import validate  # noqa: E402

CITIES = {1_000: 1, 10_000: 4, 100_000: 38}
METHODS = {
    "whole-greedy": "whole, greedy engine",
    "whole-auto": "whole, MIP pipeline (auto)",
    "dec-serial": "decomposed, greedy blocks, 1 process",
    "dec-2": "decomposed, greedy blocks, 2 processes",
    "dec-mip-2": "decomposed, MIP/greedy by size, 2 processes",
    "dec-guide-2": "decomposed, greedy blocks, LP-guided budgets, 2 processes",
    "dec-category": "decomposed by category only (any supplier, any city), 1 process",
}
WHOLE_MAX_PAIRS = 20_000_000  # above this the whole eligible-pair arrays do not fit sanely


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def run_one(size: int, method: str, whole_auto_seconds: float, mip_budget: float) -> dict[str, Any]:
    """Generate the round and solve it with ``method``; a dict of figures."""
    cities = CITIES.get(size, max(1, round(size / 2_632)))
    started = time.perf_counter()
    province = generate_province(size, cities=cities)
    inst = province.instance
    out: dict[str, Any] = {
        "needs": len(inst.needs),
        "cities": cities,
        "offers": len(inst.offers),
        "suppliers": len(inst.suppliers),
        "method": method,
        "generate_s": time.perf_counter() - started,
        "generate_rss_mb": _peak_mb(resource.RUSAGE_SELF),
    }
    demand = inst.demand_value
    started = time.perf_counter()
    if method.startswith("whole"):
        # Category sizes give the pair count before any pair is built.
        per_category: dict[str, list[int]] = {}
        for n in inst.needs:
            per_category.setdefault(n.category, [0, 0])[0] += 1
        for o in inst.offers:
            per_category.setdefault(o.category, [0, 0])[1] += 1
        candidates = sum(a * b for a, b in per_category.values())
        out["candidate_pairs"] = candidates
        if candidates > WHOLE_MAX_PAIRS:
            out["skipped"] = f"{candidates:,} candidate pairs"
            return out
        if method == "whole-greedy":
            pairs = eligible_pairs(inst)
            pd = pair_data(inst, pairs)
            x, _ = greedy(inst, pd)
            lines = lines_of(inst, pd, x)
            out["pairs"] = len(pd)
            bound = None
        else:
            whole = SolveOptions(solver="auto", time_limit=whole_auto_seconds, diagnostics=False)
            allocation = solve(inst, whole)
            lines = allocation.lines
            out["pairs"] = allocation.eligible_pairs
            bound = allocation.stages[0].bound if allocation.stages else None
        out["solve_s"] = time.perf_counter() - started
        report = validate(inst, lines)
        out["valid"] = report.ok
        out["unmet_pct"] = 100 * report.unmet_value / demand
        bound_started = time.perf_counter()
        cheap = unmet_lower_bound(inst)
        out["bound_s"] = time.perf_counter() - bound_started
        out["bound_pct"] = 100 * max(cheap, bound or 0) / demand
        out["relaxed_lp_bound_pct"] = 100 * cheap / demand
        out["blocks"] = 1
    else:
        if method == "dec-mip-2":
            decomposition = DecompositionOptions(mip_seconds=mip_budget)
        else:
            decomposition = DecompositionOptions(mip_max_pairs=0, guide=method == "dec-guide-2")
        serial = method in ("dec-serial", "dec-category")
        executor = None if serial else LocalExecutor(2)
        regions = None if method == "dec-category" else province.regions
        try:
            result = solve_decomposed(inst, decomposition, regions=regions, executor=executor)
        finally:
            if executor is not None:
                executor.close()
        out["solve_s"] = time.perf_counter() - started - result.bound_seconds
        out["valid"] = result.feasible
        out["unmet_pct"] = 100 * result.unmet_value / demand
        out["bound_pct"] = 100 * max(result.bound or 0, result.regional_bound or 0) / demand
        out["bound_s"] = result.bound_seconds
        out["blocks"] = result.blocks
        out["engines"] = result.engines
        out["rounds"] = [
            [r.round, r.blocks, round(r.seconds, 1), round(100 * r.unmet_value / demand, 2)]
            for r in result.rounds
        ]
    out["rss_mb"] = _peak_mb(resource.RUSAGE_SELF)
    out["worker_rss_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
    return out


def _row(r: dict[str, Any]) -> str:
    label = METHODS[r["method"]]
    if "skipped" in r:
        return (
            f"| {r['needs']:,} | {r['cities']} | {label} | | {r['generate_s']:.1f} | not run: "
            f"{r['skipped']} | | | | | | |"
        )
    engines = ", ".join(f"{v} {k}" for k, v in sorted(r.get("engines", {}).items()))
    blocks = f"{r['blocks']}" + (f" ({engines})" if engines else "")
    workers = f"{r['worker_rss_mb']:.0f}" if r["worker_rss_mb"] else "-"
    return (
        f"| {r['needs']:,} | {r['cities']} | {label} | {blocks} | {r['generate_s']:.1f} | "
        f"{r['solve_s']:.1f} | {r['unmet_pct']:.2f} % | {r['bound_pct']:.2f} % | "
        f"{r['bound_s']:.1f} | "
        f"{'yes' if r['valid'] else 'NO'} | {r['rss_mb']:.0f} | {workers} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--methods",
        default="whole-greedy,whole-auto,dec-category,dec-serial,dec-2,dec-guide-2,dec-mip-2",
        help=f"comma-separated, from {', '.join(METHODS)}",
    )
    parser.add_argument("--whole-auto-max", type=int, default=1_000, help="largest whole MIP run")
    parser.add_argument("--serial-max", type=int, default=10_000, help="largest 1-process run")
    parser.add_argument("--guide-max", type=int, default=10_000, help="largest dec-guide-2 run")
    parser.add_argument("--category-max", type=int, default=10_000, help="largest dec-category run")
    parser.add_argument("--whole-auto-seconds", type=float, default=120.0)
    parser.add_argument(
        "--mip-budget", type=float, default=120.0, help="MIP solver seconds over all blocks"
    )
    parser.add_argument("--json", type=Path, help="also write the rows as JSON lines here")
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "METHOD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        figures = run_one(int(args.one[0]), args.one[1], args.whole_auto_seconds, args.mip_budget)
        print(json.dumps(figures))
        return
    limits = {
        "whole-auto": args.whole_auto_max,
        "dec-serial": args.serial_max,
        "dec-guide-2": args.guide_max,
        "dec-category": args.category_max,
    }
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(
        "| needs | cities | method | blocks | generate s | solve s | unmet | bound | bound s "
        "| valid | peak RSS MB | worker RSS MB |"
    )
    print("| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        for method in args.methods.split(","):
            if size > limits.get(method, size):
                continue
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    str(size),
                    method,
                    "--whole-auto-seconds",
                    str(args.whole_auto_seconds),
                    "--mip-budget",
                    str(args.mip_budget),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode != 0:
                print(f"| {size:,} | | {METHODS[method]} | failed: {child.stderr[-300:]!r} |")
                continue
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            print(_row(figures), flush=True)
            if args.json:
                with args.json.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(figures) + "\n")
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
