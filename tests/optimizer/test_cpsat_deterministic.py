"""CP-SAT in deterministic mode must not abort the process (OR-Tools 9.15's interleaved
search with 2+ workers did, on the example with an unreachable priority floor; in a
scenario sweep that surfaced as a broken process pool). Run in a child process, since an
abort would take the test runner with it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.optimizer.test_io import EXAMPLE


def test_deterministic_cpsat_with_unreachable_floor_does_not_abort() -> None:
    code = textwrap.dedent(
        f"""
        from dataclasses import replace
        from matcher.optimizer import SolveOptions, read_instance, solve
        inst = read_instance({str(EXAMPLE)!r})
        policy = replace(inst.policy, min_priority_share=0.3, priority_weight=0.0)
        inst = replace(inst, policy=policy)
        options = SolveOptions(
            solver="cpsat", time_limit=5, threads=2, deterministic=True, diagnostics=False
        )
        first = solve(inst, options)
        assert first.lines == solve(inst, options).lines
        print(sorted({{s.status for s in first.stages}}))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "infeasible" in proc.stdout
