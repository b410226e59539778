"""Optimiser benchmark on generated Kota Batu-like instances.

Per size: eligible pairs, and for each solver the time, status, value, bound and gap of
every lexicographic stage, the ratio of each stage value to the greedy baseline's, and the
peak memory of the run. Each (size, solver) runs in its own process, so memory figures are
per run. ``auto`` is the default engine; ``highs`` and ``cpsat`` are plain full-model solves
(warm-started from greedy) for comparison, measured in the same run.

    .venv/bin/python benchmarks/bench_optimizer.py                       # 100, 1000, 10000
    .venv/bin/python benchmarks/bench_optimizer.py --sizes 1000 --time-limit 60
    .venv/bin/python benchmarks/bench_optimizer.py --long                # 1000 needs, 10 min

GiB is the peak of the solving process plus the peak of its largest child process (the
auto engine computes LP bounds in a helper process on the second core).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_LIMITS = {100: 30.0, 1_000: 60.0, 10_000: 180.0}
# Plain full-model solves are skipped where building the full model alone does not fit.
PLAIN_MAX_NEEDS = 1_000


def worker(needs: int, solver: str, time_limit: float, seed: int) -> None:
    import resource

    from benchmarks.generator import generate
    from matcher.optimizer import SolveOptions, solve, validate

    instance = generate(needs, seed=seed)
    start = time.perf_counter()
    result = solve(instance, SolveOptions(solver=solver, time_limit=time_limit, threads=2))
    wall = time.perf_counter() - start
    report = validate(instance, result.lines)
    print(
        json.dumps(
            {
                "needs": needs,
                "suppliers": len(instance.suppliers),
                "solver": solver,
                "pairs": result.eligible_pairs,
                "demand": instance.demand_value,
                "wall": wall,
                "valid": report.ok,
                # Peak of this process plus the peak of its largest child (the auto engine's
                # LP helper runs beside it): an upper bound on the run's peak memory.
                "rss_gib": (
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                    + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                )
                / 2**20,
                "stages": [
                    {
                        "name": s.name,
                        "status": s.status,
                        "value": s.value,
                        "bound": s.bound,
                        "gap": s.gap,
                        "seconds": s.seconds,
                    }
                    for s in result.stages
                ],
            }
        )
    )


def run(needs: int, solver: str, time_limit: float, seed: int) -> dict[str, object] | None:
    cmd = [sys.executable, __file__, "--worker", str(needs), solver, str(time_limit), str(seed)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        print(f"[{needs} {solver}] failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def _fmt_rp(v: object) -> str:
    return "-" if v is None else f"{int(str(v)):,}".replace(",", ".")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated need counts")
    parser.add_argument(
        "--time-limit", type=float, default=None, help="seconds per solve (all stages)"
    )
    parser.add_argument(
        "--solvers",
        default=None,
        help="besides greedy (default auto,highs,cpsat; with --long only auto)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--long", action="store_true", help="1000 needs, 600 s per solve (greedy and auto)"
    )
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        n, solver, tl, seed = args.worker
        worker(int(n), solver, float(tl), int(seed))
        return

    from rich.console import Console
    from rich.table import Table

    sizes = [1_000] if args.long else [int(s) for s in args.sizes.split(",") if s]
    chosen = args.solvers or ("auto" if args.long else "auto,highs,cpsat")
    solvers = [s for s in chosen.split(",") if s]
    console = Console(width=max(170, Console().width))
    load = os.getloadavg()
    console.print(
        f"cores: {os.cpu_count()}  load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    table = Table(
        title="matcher optimiser benchmark (value/bound in rupiah; ratio = value / greedy value)"
    )
    for col in (
        "needs",
        "suppliers",
        "pairs",
        "solver",
        "stage",
        "status",
        "value",
        "bound",
        "gap",
        "s",
        "vs greedy",
        "wall s",
        "GiB",
        "valid",
    ):
        table.add_column(
            col, justify="right" if col not in ("solver", "stage", "status") else "left"
        )
    summary: list[str] = []
    for needs in sizes:
        limit = 600.0 if args.long else (args.time_limit or DEFAULT_LIMITS.get(needs, 60.0))
        greedy = run(needs, "greedy", limit, args.seed)
        results = [greedy]
        for solver in solvers:
            if solver != "auto" and needs > PLAIN_MAX_NEEDS:
                continue
            results.append(run(needs, solver, limit, args.seed))
        base = greedy["stages"] if greedy else None
        assert base is None or isinstance(base, list)
        for res in results:
            if res is None:
                continue
            stages = res["stages"]
            assert isinstance(stages, list)
            for i, st in enumerate(stages):
                ratio = "-"
                if base is not None and st["value"] and base[i]["value"]:
                    ratio = f"{st['value'] / base[i]['value']:.3f}"
                table.add_row(
                    str(needs) if i == 0 else "",
                    str(res["suppliers"]) if i == 0 else "",
                    str(res["pairs"]) if i == 0 else "",
                    str(res["solver"]) if i == 0 else "",
                    st["name"],
                    st["status"],
                    _fmt_rp(st["value"]),
                    _fmt_rp(st["bound"]),
                    "-" if st["gap"] is None else f"{st['gap']:.2%}",
                    f"{st['seconds']:.1f}",
                    ratio,
                    f"{res['wall']:.1f}" if i == 0 else "",
                    f"{res['rss_gib']:.2f}" if i == 0 else "",
                    str(res["valid"]) if i == 0 else "",
                )
            unmet_share = stages[0]["value"] / max(1, int(str(res["demand"])))
            table.add_row(
                "", "", "", "", "unmet share", f"{unmet_share:.2%}", "", "", "", "", "", "", "", ""
            )
        table.add_section()
        by_solver = {str(r["solver"]): r for r in results if r is not None}
        auto = by_solver.get("auto")
        if auto is not None:
            auto_stages = auto["stages"]
            assert isinstance(auto_stages, list)
            for other in ("greedy", "highs", "cpsat"):
                res = by_solver.get(other)
                if res is None:
                    continue
                other_stages = res["stages"]
                assert isinstance(other_stages, list)
                a, b = auto_stages[0]["value"], other_stages[0]["value"]
                summary.append(
                    f"{needs} needs: stage-1 unmet value auto / {other} = {a / b:.3f}"
                    if b
                    else f"{needs} needs: {other} left nothing unmet"
                )
    console.print(table)
    for line in summary:
        console.print(line)
    load = os.getloadavg()
    console.print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
