"""Dashboard benchmark: ``compute_dashboard`` for the year on the demo data with its order
history, then with ten times as many orders (the history generated for ten seeds).

    .venv/bin/python benchmarks/bench_dashboard.py [--copies N]

Each case runs into a fresh SQLite file (migrated), timing the load and three dashboard
computations (the best is reported)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 11, 23)


def run(copies: int) -> tuple[int, float, float]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import Session

    from matcher.dashboard.service import Period, compute_dashboard
    from matcher.demo.generate import generate
    from matcher.demo.history import generate_history
    from matcher.demo.load import load_dataset
    from matcher.migrations import upgrade

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        engine = create_engine(url)
        with Session(engine) as session:
            started = time.perf_counter()
            load_dataset(session, generate(2026, TODAY), password_hash="x")
            orders = 0
            for copy in range(copies):
                summary = generate_history(session, today=TODAY, seed=2026 + copy)
                orders += summary.orders
                # The next copy reuses the codes: suffix this copy's (fixed-length) codes.
                for table, pattern in (
                    ("purchase_order", "SP-2026-H_____"),
                    ("need", "KB-H_____"),
                    ("complaint", "ADU-H____"),
                ):
                    session.execute(
                        text(f"UPDATE {table} SET code = code || :suffix WHERE code LIKE :p"),
                        {"suffix": f"-{copy}", "p": pattern},
                    )
            session.commit()
            load = time.perf_counter() - started
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                compute_dashboard(session, Period(date(2026, 1, 1), TODAY), today=TODAY)
                best = min(best, time.perf_counter() - started)
        engine.dispose()
    return orders, load, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("MATCHER_TODAY", TODAY.isoformat())
    print(f"{'case':<22}{'orders':>8}{'load s':>9}{'dashboard s':>13}")
    for name, copies in (("demo", 1), (f"demo x{args.copies}", args.copies)):
        orders, load, best = run(copies)
        print(f"{name:<22}{orders:>8}{load:>9.2f}{best:>13.3f}")


if __name__ == "__main__":
    main()
