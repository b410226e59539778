"""Catalogue import benchmark: 100 000 offers of 15 000 suppliers into a fresh SQLite file.

Three runs of ``matcher catalog import``'s service (read, validate, upsert, commit): the
first import, the same files again (everything unchanged) and a 1% price change (updates
with offer history). Done-when: the first import takes under 30 s on the project machine.

    .venv/bin/python benchmarks/bench_import.py [--offers N] [--suppliers N]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

# Run from a checkout: the repository's packages take precedence over any installed copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matcher.models  # noqa: F401  (registers every mapper)
from matcher.catalog.importer import ImportReport, import_catalogue
from matcher.catalog.tabular import COLUMNS, read_path
from matcher.catalog.taxonomy import CERTIFICATE_TYPES, load_taxonomy

LIMIT_SECONDS = 30.0
DESA = ("Sisir", "Temas", "Ngaglik", "Songgokerto", "Pesanggrahan", "Sidomulyo", "Punten")


def generate(folder: Path, suppliers: int, offers: int, seed: int = 2026) -> list[list[str]]:
    """Write suppliers.csv and offers.csv; returns the offer rows (for the price change)."""
    rng = random.Random(seed)
    categories = list(load_taxonomy().values())
    with (folder / "suppliers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS["suppliers"])
        for n in range(1, suppliers + 1):
            local = rng.random() < 0.85
            certs = ";".join(c for c in CERTIFICATE_TYPES if rng.random() < 0.3)
            writer.writerow(
                [
                    f"S{n:06d}",
                    f"Usaha {n}",
                    f"{9120000000000 + n:013d}",
                    rng.choice(("mikro", "mikro", "kecil", "menengah", "besar")),
                    rng.choice(("true", "false")),
                    rng.choice(DESA) if local else "Kab. Malang",
                    "Batu" if local else "-",
                    "true" if local else "false",
                    "true" if rng.random() < 0.9 else "false",
                    certs,
                ]
            )
    rows: list[list[str]] = []
    for n in range(1, offers + 1):
        category = rng.choice(categories)
        capacity = rng.randint(1, 2000)
        price = rng.randint(20, 20_000) * 100
        rows.append(
            [
                f"O{n:07d}",
                f"S{rng.randint(1, suppliers):06d}",
                category.code,
                f"{category.name_id} {n}",
                category.unit,
                f"Rp {price:,}".replace(",", ".") if n % 3 == 0 else str(price),
                str(capacity),
                str(rng.randint(1, min(capacity, 50))),
                str(rng.randint(0, 21)),
            ]
        )
    _write_offers(folder, rows)
    return rows


def _write_offers(folder: Path, rows: list[list[str]]) -> None:
    with (folder / "offers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS["offers"])
        writer.writerows(rows)


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(url: str, folder: Path) -> tuple[ImportReport, float, float]:
    from sqlalchemy.orm import Session

    from matcher.db import make_engine

    engine = make_engine(url)
    started, cpu_started = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        report = import_catalogue(session, read_path(folder))
        session.commit()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    engine.dispose()
    return report, elapsed, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--suppliers", type=int, default=15_000)
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    from matcher.migrations import upgrade

    console = Console(width=120)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        root = Path(tmp)
        folder = root / "catalogue"
        folder.mkdir()
        offers = generate(folder, args.suppliers, args.offers)
        url = f"sqlite:///{root / 'bench.db'}"
        upgrade(url)

        table = Table(
            title=f"Impor katalog: {args.offers:,} penawaran, {args.suppliers:,} penyedia"
        )
        headings = ("run", "rows", "inserted", "updated", "unchanged", "seconds", "CPU s", "rows/s")
        for heading in headings:
            table.add_column(heading, justify="right" if heading != "run" else "left")
        table.add_column("peak RSS MiB", justify="right")
        results: list[tuple[str, ImportReport, float, float]] = []

        report, seconds, cpu = run(url, folder)
        results.append(("first import", report, seconds, cpu))
        report, seconds, cpu = run(url, folder)
        results.append(("re-import (unchanged)", report, seconds, cpu))
        changed = 0
        for index in range(0, len(offers), 100):  # 1% of the offers
            price = int(offers[index][5].removeprefix("Rp ").replace(".", ""))
            offers[index][5] = str(price + 500)
            changed += 1
        _write_offers(folder, offers)
        report, seconds, cpu = run(url, folder)
        results.append((f"1% price change ({changed:,})", report, seconds, cpu))

        failed = False
        for name, report, seconds, cpu in results:
            rows = report.inserted + report.updated + report.unchanged + report.rejected_rows
            table.add_row(
                name,
                f"{rows:,}",
                f"{report.inserted:,}",
                f"{report.updated:,}",
                f"{report.unchanged:,}",
                f"{seconds:.2f}",
                f"{cpu:.2f}",
                f"{rows / seconds:,.0f}",
                f"{peak_rss_mib():.0f}",
            )
            if report.rejected:
                console.print(f"[red]{name}: {len(report.rejected)} rejected[/red]")
                failed = True
        console.print(table)
        first = results[0][2]
        verdict = "OK" if first < LIMIT_SECONDS else "TOO SLOW"
        console.print(f"first import {first:.1f} s (limit {LIMIT_SECONDS:.0f} s): {verdict}")
        expected_unchanged = args.offers + args.suppliers
        if results[1][1].unchanged != expected_unchanged or results[2][1].updated != changed:
            console.print("[red]re-import counts differ from what was expected[/red]")
            failed = True
        return 1 if failed or first >= LIMIT_SECONDS else 0


if __name__ == "__main__":
    raise SystemExit(main())
