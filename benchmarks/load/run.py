"""``make load``: a throwaway PostgreSQL cluster, migrated, with the Kota Batu demo data and
draft orders that approval accepts; ``matcher serve --workers 2`` on 127.0.0.1; Locust
headless with 100 users started at ``--spawn-rate`` per second, then measured for
``--seconds`` once all are running (the steady state); then ``matcher check``. Prints the
throughput achieved and p50/p95/p99 per request kind and for reads and writes against the
targets (p95 reads < 300 ms, writes < 800 ms, zero errors, zero over-allocation), log-ins in
their own row, the machine's CPU use and load average over the window. All traffic stays on
loopback; the run is bounded in time."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, selectinload

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from matcher.clock import today as business_today  # noqa: E402
from matcher.db import make_engine  # noqa: E402
from matcher.demo.data import DEMO_PASSWORD  # noqa: E402
from matcher.models import (  # noqa: E402
    Agency,
    Need,
    NeedStatus,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    Role,
    Supplier,
    User,
    VerificationStatus,
)
from matcher.orders.eligibility import ineligibility_messages  # noqa: E402
from matcher.policy import policy_on  # noqa: E402
from tests.pg import free_port, postgres_cluster  # noqa: E402

BIN = Path(sys.executable).parent
ORDERS_PER_OFFICER = 400


def _run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def _prepare(url: str) -> dict[str, Any]:
    """Draft orders for each demo officer's agency that approval will accept: every line's
    offer passes THE eligibility rule for its need today (certificates valid today, price
    within HPS, lead time, minimum order), and the orders together stay within the offers'
    free capacity, the agency's free budget and the direct procurement limit."""
    engine = make_engine(url)
    day = business_today()
    limit = policy_on(day).direct_procurement_limit
    setup: dict[str, Any] = {"password": DEMO_PASSWORD, "officers": []}
    with Session(engine, expire_on_commit=False) as session:
        viewer = session.scalar(select(User.email).where(User.role == Role.VIEWER))
        setup["viewer"] = viewer
        offers = list(
            session.scalars(
                select(Offer)
                .join(Supplier, Supplier.id == Offer.supplier_id)
                .where(
                    Offer.status == VerificationStatus.VERIFIED,
                    Offer.active.is_(True),
                    Supplier.status == VerificationStatus.VERIFIED,
                )
                .options(selectinload(Offer.supplier).selectinload(Supplier.certificates))
                .order_by(Offer.id)
            )
        )
        by_category: dict[str, list[Offer]] = {}
        for offer in offers:
            by_category.setdefault(offer.category, []).append(offer)
        room = {offer.id: offer.capacity - offer.reserved_quantity for offer in offers}
        for officer in session.scalars(
            select(User).where(User.role == Role.OFFICER).order_by(User.id)
        ):
            agency = session.get_one(Agency, officer.agency_id)
            budget_left = agency.budget - agency.committed_amount
            needs = list(
                session.scalars(
                    select(Need)
                    .where(
                        Need.agency_id == officer.agency_id,
                        Need.status == NeedStatus.SUBMITTED,
                    )
                    .order_by(Need.id)
                )
            )
            pairs = [
                (need, offer)
                for need in needs
                for offer in by_category.get(need.category, [])
                if offer.min_order_qty <= need.quantity
                and not ineligibility_messages(need, offer, day)
            ]
            orders: list[Order] = []
            index = 0
            while pairs and len(orders) < ORDERS_PER_OFFICER:
                index %= len(pairs)
                need, offer = pairs[index]
                quantity = max(1, offer.min_order_qty)
                amount = quantity * offer.unit_price
                if room[offer.id] < quantity or amount > budget_left or amount > limit:
                    pairs.pop(index)
                    continue
                room[offer.id] -= quantity
                budget_left -= amount
                index += 1
                order = Order(
                    code=f"L-{uuid.uuid4().hex[:16]}",
                    agency_id=officer.agency_id,
                    supplier_id=offer.supplier_id,
                    status=OrderStatus.DRAFT,
                    delivery_place="Balai Kota Among Tani",
                    delivery_date=need.needed_by,
                    total_amount=amount,
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
            random.Random(officer.id).shuffle(orders)
            setup["officers"].append(
                {
                    "email": officer.email,
                    "needs": [n.id for n in needs] or [1],
                    "orders": [o.id for o in orders],
                }
            )
    engine.dispose()
    return setup


def _postmaster(url: str) -> int:
    """The PID of the PostgreSQL server listening on the URL's port (0 if not found)."""
    port = make_url(url).port
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and f"-p {port}" in " ".join(cmdline):
            return int(process.pid)
    return 0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


READ_TARGET_MS = 300
WRITE_TARGET_MS = 800


def _row(kind: str, values: list[float], target: int | None = None) -> str:
    p50, p95, p99 = (_percentile(values, q) for q in (50, 95, 99))
    goal = f"< {target} ms" if target else ""
    return f"| {kind} | {len(values)} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {goal} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=120, help="steady-state window")
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started per s")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="matcher-load-"))
    ramp = args.users / args.spawn_rate
    with postgres_cluster() as url:
        env = {
            **os.environ,
            "MATCHER_DATABASE_URL": url,
            "MATCHER_SECRET_KEY": uuid.uuid4().hex * 2,
        }
        _run([str(BIN / "matcher"), "db", "upgrade"], env)
        _run([str(BIN / "matcher"), "demo", "--if-empty"], env)
        setup = _prepare(url)
        drafts = sum(len(o["orders"]) for o in setup["officers"])
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
            run_time = int(ramp + args.seconds + 1)
            locust = subprocess.run(
                [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
                 "--headless", "-u", str(args.users), "-r", str(args.spawn_rate),
                 "-t", f"{run_time}s", "--stop-timeout", "10",
                 "--host", f"http://127.0.0.1:{port}", "--only-summary",
                 "--csv", str(work / "locust")],
                env={**env, "MATCHER_LOAD_SETUP": str(work / "setup.json"),
                     "MATCHER_LOAD_RESULTS": str(results),
                     "MATCHER_LOAD_SERVER_PID": str(server.pid),
                     "MATCHER_LOAD_PG_PID": str(_postmaster(url))},
                capture_output=True, text=True, timeout=run_time + 300,
            )  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=60)
        check = subprocess.run(
            [str(BIN / "matcher"), "check"], env=env, capture_output=True, text=True
        )
    data = json.loads(results.read_text()) if results.exists() else None
    if data is None or data["window"]["start"] is None:
        print(locust.stdout[-3000:], locust.stderr[-3000:])
        return 2
    errors: dict[str, int] = data["errors"]["window"]
    outside: dict[str, int] = data["errors"]["outside"]
    failed = sum(errors.values())
    window = data["window"]
    seconds = window["end"] - window["start"]
    by_name: dict[str, list[float]] = data["latencies"]
    reads = [v for name, values in by_name.items() if name.startswith("read") for v in values]
    writes = [v for name, values in by_name.items() if name.startswith("write") for v in values]
    total = len(reads) + len(writes)
    low, high = data["think_time"]
    offered = args.users / ((low + high) / 2)
    (busy0, all0), (busy1, all1) = window["cpu"]
    cpu = 100.0 * (busy1 - busy0) / max(1, all1 - all0)
    print(f"{args.users} users (spawn {args.spawn_rate:g}/s), think time {low}-{high} s, "
          f"steady-state window {seconds:.0f} s, matcher serve --workers {args.workers} "
          f"on PostgreSQL, {os.cpu_count()} cores")  # fmt: skip
    print(f"throughput {total / seconds:.1f} requests/s (offered at most {offered:.1f}/s); "
          f"CPU busy {cpu:.0f}% of the machine; load average (1, 5, 15 min) "
          f"{' '.join(window['loadavg'])}")  # fmt: skip
    before, after = window["used"]
    spent = {part: after[part] - before[part] for part in after if part in before}
    system = spent.get("server", 0.0) + spent.get("postgres", 0.0)
    print(f"CPU used in the window: server {spent.get('server', 0):.0f} s, PostgreSQL "
          f"{spent.get('postgres', 0):.0f} s ({1000 * system / max(1, total):.0f} ms per request, "
          f"{system / seconds:.2f} cores), Locust {spent.get('locust', 0):.0f} s")  # fmt: skip
    print(f"errors {failed}; approvals refused (409: capacity/budget) "
          f"{data['refused']['approve']}; draft orders seeded {drafts}")  # fmt: skip
    for message, count in sorted(errors.items()):
        print(f"  {count} x {message}")
    if outside:
        print(f"outside the window (ramp-up, or cut off by the stop): {sum(outside.values())}")
        for message, count in sorted(outside.items()):
            print(f"  {count} x {message}")
    print()
    print("| kind | requests | p50 ms | p95 ms | p99 ms | target p95 |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name in sorted(by_name):
        print(_row(name, by_name[name]))
    print(_row("**reads**", reads, READ_TARGET_MS))
    print(_row("**writes**", writes, WRITE_TARGET_MS))
    print(_row("login (ramp-up, not in reads)", data["logins"]))
    print()
    print("dashboard answers by the server's cache (Server-Timing):")
    print("| answer | requests | client p50 ms | client p95 ms | server p50 ms | server p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for outcome, pairs in sorted(data["dashboard"].items()):
        seen = [c for c, _ in pairs]
        taken = [t for _, t in pairs]
        print(f"| {outcome} | {len(pairs)} | {_percentile(seen, 50):.0f} | "
              f"{_percentile(seen, 95):.0f} | {_percentile(taken, 50):.0f} | "
              f"{_percentile(taken, 95):.0f} |")  # fmt: skip
    print()
    print("matcher check:", "consistent" if check.returncode == 0 else "DIFFERENCES")
    if check.returncode != 0:
        print(check.stdout)
    ok = failed == 0 and check.returncode == 0
    ok = ok and _percentile(reads, 95) < READ_TARGET_MS
    ok = ok and _percentile(writes, 95) < WRITE_TARGET_MS
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
