"""``make load``: a throwaway PostgreSQL cluster, migrated, with the Kota Batu demo data and
draft orders to approve; ``matcher serve --workers 2`` on 127.0.0.1; Locust headless with
100 users for a bounded time; then ``matcher check``. Prints throughput and p50/p95/p99 for
reads and writes against the targets (p95 reads < 300 ms, writes < 800 ms, zero errors,
zero over-allocation). All traffic stays on loopback."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from matcher.db import make_engine  # noqa: E402
from matcher.demo.data import DEMO_PASSWORD  # noqa: E402
from matcher.models import (  # noqa: E402
    Need,
    NeedStatus,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    Role,
    User,
    VerificationStatus,
)
from tests.pg import free_port, postgres_cluster  # noqa: E402

BIN = Path(sys.executable).parent
ORDERS_PER_OFFICER = 400


def _run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def _prepare(url: str) -> dict[str, Any]:
    """Draft orders (smallest order quantities) for each demo officer's agency."""
    engine = make_engine(url)
    setup: dict[str, Any] = {"password": DEMO_PASSWORD, "officers": []}
    with Session(engine, expire_on_commit=False) as session:
        viewer = session.scalar(select(User.email).where(User.role == Role.VIEWER))
        setup["viewer"] = viewer
        offers = list(
            session.scalars(
                select(Offer).where(
                    Offer.status == VerificationStatus.VERIFIED, Offer.active.is_(True)
                )
            )
        )
        by_category: dict[str, list[Offer]] = {}
        for offer in offers:
            by_category.setdefault(offer.category, []).append(offer)
        for officer in session.scalars(select(User).where(User.role == Role.OFFICER)):
            needs = list(
                session.scalars(
                    select(Need).where(
                        Need.agency_id == officer.agency_id,
                        Need.status == NeedStatus.SUBMITTED,
                    )
                )
            )
            usable = [n for n in needs if by_category.get(n.category)]
            orders: list[Order] = []
            for i in range(ORDERS_PER_OFFICER if usable else 0):
                need = usable[i % len(usable)]
                offer = by_category[need.category][i % len(by_category[need.category])]
                quantity = offer.min_order_qty
                order = Order(
                    code=f"L-{uuid.uuid4().hex[:16]}",
                    agency_id=officer.agency_id,
                    supplier_id=offer.supplier_id,
                    status=OrderStatus.DRAFT,
                    delivery_place="Balai Kota Among Tani",
                    delivery_date=need.needed_by,
                    total_amount=quantity * offer.unit_price,
                    committed_amount=0,
                    flags=[],
                )
                order.lines.append(
                    OrderLine(
                        need_id=need.id,
                        offer_id=offer.id,
                        description=offer.name,
                        unit=offer.unit,
                        quantity=quantity,
                        unit_price=offer.unit_price,
                        reserved_quantity=0,
                    )
                )
                session.add(order)
                orders.append(order)
            session.commit()
            setup["officers"].append(
                {
                    "email": officer.email,
                    "needs": [n.id for n in needs] or [1],
                    "orders": [o.id for o in orders],
                }
            )
    engine.dispose()
    return setup


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="matcher-load-"))
    with postgres_cluster() as url:
        env = {
            **os.environ,
            "MATCHER_DATABASE_URL": url,
            "MATCHER_SECRET_KEY": uuid.uuid4().hex * 2,
        }
        _run([str(BIN / "matcher"), "db", "upgrade"], env)
        _run([str(BIN / "matcher"), "demo", "--if-empty"], env)
        setup = _prepare(url)
        (work / "setup.json").write_text(json.dumps(setup))
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "matcher"), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=(work / "server.log").open("w"),
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    print("server did not start; see", work / "server.log")
                    return 2
                time.sleep(0.2)
            results = work / "results.json"
            started = time.monotonic()
            locust = subprocess.run(
                [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
                 "--headless", "-u", str(args.users), "-r", str(max(1, args.users // 10)),
                 "-t", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}",
                 "--only-summary", "--csv", str(work / "locust")],
                env={**env, "MATCHER_LOAD_SETUP": str(work / "setup.json"),
                     "MATCHER_LOAD_RESULTS": str(results)},
                capture_output=True, text=True,
            )  # fmt: skip
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=60)
        check = subprocess.run(
            [str(BIN / "matcher"), "check"], env=env, capture_output=True, text=True
        )
    data = json.loads(results.read_text()) if results.exists() else None
    failures = _failures(work / "locust_stats.csv")
    if data is None:
        print(locust.stdout[-3000:], locust.stderr[-3000:])
        return 2
    reads, writes = data["latencies"]["read"], data["latencies"]["write"]
    total = len(reads) + len(writes)
    print(f"users {args.users}, {args.seconds} s, server workers {args.workers} (PostgreSQL)")
    print(f"requests {total} ({total / elapsed:.1f}/s), failures {failures}, "
          f"approvals refused (409: capacity/budget) {data['refused']['approve']}")  # fmt: skip
    print(f"{'kind':<6} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'target p95':>11}")
    ok = failures == 0 and check.returncode == 0
    for kind, values, target in (("read", reads, 300), ("write", writes, 800)):
        p50, p95, p99 = (_percentile(values, q) for q in (50, 95, 99))
        print(f"{kind:<6} {len(values):>7} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} {target:>9} ms")
        ok = ok and p95 < target
    print("matcher check:", "consistent" if check.returncode == 0 else "DIFFERENCES")
    if check.returncode != 0:
        print(check.stdout)
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


def _failures(stats: Path) -> int:
    if not stats.exists():
        return -1
    import csv

    with stats.open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return int(row["Failure Count"])
    return -1


if __name__ == "__main__":
    raise SystemExit(main())
