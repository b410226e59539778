"""Shortlist latency for a need whose category has 2 000 offers (target: p95 < 100 ms).

Every offer is scored and ranked; one page (50, the API's default) is explained and returned,
as ``GET /needs/{id}/shortlist`` does.

Builds a temporary SQLite database (migrated), 2 000 suppliers with one SNACK offer each
(certificates, some unverified, some expired), 200 past orders for delivery records and
rotation, then times ``shortlist_for_need`` and the HTTP endpoint (in-process)."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

PAGE = 50


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=60)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-shortlist-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    os.environ["MATCHER_DATABASE_URL"] = url
    os.environ["MATCHER_TODAY"] = "2026-11-23"

    from fastapi.testclient import TestClient

    from api.main import app
    from matcher.auth.security import create_access_token, hash_password
    from matcher.db import unit_of_work
    from matcher.migrations import upgrade
    from matcher.models import (
        Agency,
        Certificate,
        CertificateType,
        Need,
        NeedStatus,
        Offer,
        Role,
        SizeClass,
        Supplier,
        User,
        VerificationStatus,
    )
    from matcher.models.orders import Order, OrderStatus
    from matcher.shortlist.service import shortlist_for_need

    upgrade(url)
    rng = random.Random(7)
    today = date(2026, 11, 23)
    desa = ["Sisir", "Temas", "Punten", "Pandanrejo", "Beji", "Tlekung"]
    kec = {
        "Sisir": "Batu",
        "Temas": "Batu",
        "Punten": "Bumiaji",
        "Pandanrejo": "Bumiaji",
        "Beji": "Junrejo",
        "Tlekung": "Junrejo",
    }
    with unit_of_work() as session:
        agency = Agency(code="A001", name="Sekretariat Daerah", fiscal_year=2026, budget=10**10)
        session.add(agency)
        session.flush()
        suppliers = []
        for i in range(args.offers):
            region = rng.choice(desa)
            supplier = Supplier(
                code=f"S{i:05d}",
                name=f"UMKM {i}",
                nib=f"{9120000000000 + i}",
                size_class=rng.choice(list(SizeClass)),
                is_koperasi=rng.random() < 0.1,
                region=region,
                kecamatan=kec[region],
                is_local=rng.random() < 0.9,
                status=VerificationStatus.VERIFIED
                if rng.random() < 0.9
                else VerificationStatus.PENDING,
            )
            session.add(supplier)
            suppliers.append(supplier)
        session.flush()
        for i, supplier in enumerate(suppliers):
            for cert in (CertificateType.HALAL, CertificateType.PIRT):
                if rng.random() < 0.85:
                    expired = rng.random() < 0.1
                    session.add(
                        Certificate(
                            supplier_id=supplier.id,
                            type=cert,
                            number=f"{cert.value}-{i}",
                            valid_until=today - timedelta(days=5)
                            if expired
                            else today + timedelta(days=400),
                            status=VerificationStatus.VERIFIED,
                        )
                    )
            session.add(
                Offer(
                    code=f"O{i:06d}",
                    supplier_id=supplier.id,
                    category="SNACK",
                    name=f"Snack box {i}",
                    unit="kotak",
                    unit_price=rng.randrange(8_000, 18_000, 500),
                    capacity=rng.randint(0, 800),
                    min_order_qty=rng.choice([1, 10, 25, 50]),
                    lead_time_days=rng.randint(0, 6),
                    status=VerificationStatus.VERIFIED,
                )
            )
        for i in range(200):
            supplier = rng.choice(suppliers)
            session.add(
                Order(
                    code=f"PO-B-{i}",
                    agency_id=agency.id,
                    supplier_id=supplier.id,
                    status=rng.choice([OrderStatus.CLOSED, OrderStatus.PAID, OrderStatus.APPROVED]),
                    delivery_place="Sisir",
                    delivery_date=today - timedelta(days=rng.randint(1, 80)),
                    approved_at=datetime.now(UTC) - timedelta(days=rng.randint(1, 80)),
                    delivered_at=datetime.now(UTC) - timedelta(days=rng.randint(1, 80)),
                )
            )
        need = Need(
            code="N000001",
            agency_id=agency.id,
            category="SNACK",
            description="Snack box rapat",
            quantity=300,
            unit="kotak",
            max_unit_price=15_000,
            required_certs=["HALAL", "PIRT"],
            needed_by=today + timedelta(days=5),
            region="Sisir",
            status=NeedStatus.SUBMITTED,
        )
        session.add(need)
        user = User(
            email="officer@bench.id",
            hashed_password=hash_password("x"),
            role=Role.OFFICER,
            agency_id=agency.id,
        )
        session.add(user)
        session.flush()
        need_id, user_id = need.id, user.id

    service_ms: list[float] = []
    with unit_of_work() as session:
        need_row = session.get_one(Need, need_id)
        shortlist_for_need(session, need_row, today=today, limit=PAGE)  # warm-up
        for _ in range(args.repeats):
            started = time.perf_counter()
            result = shortlist_for_need(session, need_row, today=today, limit=PAGE)
            service_ms.append((time.perf_counter() - started) * 1000)
            session.expire_all()
    token, _ = create_access_token(user_id)
    http_ms: list[float] = []
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {token}"}
        client.get(f"/api/v1/needs/{need_id}/shortlist", headers=headers)
        for _ in range(args.repeats):
            started = time.perf_counter()
            response = client.get(f"/api/v1/needs/{need_id}/shortlist", headers=headers)
            http_ms.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200

    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    table = Table(
        title=f"Shortlist, {args.offers} offers in the category "
        f"({os.cpu_count()} cores, load average {load})"
    )
    for column in (
        "path",
        "ranked",
        "eligible",
        "explained",
        "p50 ms",
        "p95 ms",
        "max ms",
        "target p95",
    ):
        table.add_column(column)
    for label, values in (("service", service_ms), ("HTTP GET (in-process)", http_ms)):
        table.add_row(
            label,
            str(result.total),
            str(result.eligible_count),
            str(len(result.entries)),
            f"{statistics.median(values):.1f}",
            f"{_percentile(values, 0.95):.1f}",
            f"{max(values):.1f}",
            "< 100 ms",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
