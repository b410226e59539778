"""Deterministic generator of Kota Batu-like instances at scale (spec folder format).

Like ``shared/examples/batu-small``: suppliers in the 24 desa/kelurahan of Batu, Bumiaji and
Junrejo (some from outside town, kecamatan ``-``), mostly mikro, some koperasi, some
unverified; offers with the category price, capacity, minimum order and lead-time ranges of
the demo catalogue; needs from ~31 OPD plus UPT/sekolah/puskesmas units at larger sizes,
HPS a little above local prices, default certificates per category, and budgets that bind
(45-95% of an agency's demand value, a few agencies with none left). Category capacity is
set relative to category demand, so capacity, budgets, supplier caps and k all bind
somewhere.

    python benchmarks/generator.py --needs 1000 --suppliers 1500 --seed 1 --out /tmp/batu-1000
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matcher.catalog.taxonomy import load_taxonomy  # noqa: E402
from matcher.demo.data import CATEGORIES, OUTSIDE_CATEGORY_WEIGHTS, UMKM_CATEGORY_WEIGHTS  # noqa: E402
from matcher.geography import all_desa  # noqa: E402
from matcher.optimizer import Agency, Instance, Need, Offer, Policy, Supplier  # noqa: E402
from matcher.optimizer.decomposition import Regions  # noqa: E402

OUTSIDE_TOWNS = ("Malang", "Kab. Malang", "Surabaya", "Pasuruan", "Sidoarjo", "Kediri")
OPD = (
    "Sekretariat Daerah",
    "Sekretariat DPRD",
    "Inspektorat",
    "Bappeda",
    "BPKAD",
    "Bapenda",
    "BKPSDM",
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas PUPR",
    "Dinas Perkim",
    "Satpol PP",
    "BPBD",
    "Dinas Sosial",
    "DP3AP2KB",
    "Dinas Ketahanan Pangan",
    "Dinas Lingkungan Hidup",
    "Dispendukcapil",
    "Dinas Perhubungan",
    "Diskominfo",
    "Dinas Koperasi dan Usaha Mikro",
    "DPMPTSP",
    "Dinas Pemuda dan Olahraga",
    "Dinas Pariwisata",
    "Dinas Perpustakaan",
    "Dinas Pertanian",
    "Disperindag",
    "Kecamatan Batu",
    "Kecamatan Bumiaji",
    "Kecamatan Junrejo",
    "RSUD Karsa Husada",
)
SEEDS = {100: 300, 1_000: 1_500, 10_000: 15_000}


def default_suppliers(needs: int) -> int:
    return SEEDS.get(needs, max(50, int(needs * 1.5)))


def generate(needs: int, suppliers: int | None = None, seed: int = 1) -> Instance:
    rng = random.Random(seed)
    n_sup = suppliers if suppliers is not None else default_suppliers(needs)
    taxonomy = load_taxonomy()
    from datetime import date

    today = date(2026, 1, 5)
    desa = all_desa()
    cats = list(UMKM_CATEGORY_WEIGHTS)
    cat_w = [UMKM_CATEGORY_WEIGHTS[c] for c in cats]
    out_cats = list(OUTSIDE_CATEGORY_WEIGHTS)
    out_w = [OUTSIDE_CATEGORY_WEIGHTS[c] for c in out_cats]

    supplier_rows: list[Supplier] = []
    offer_plan: list[tuple[str, str, int, float]] = []  # supplier, category, product, weight
    for i in range(1, n_sup + 1):
        sid = f"S{i:05d}"
        outside = rng.random() < 0.12
        size = rng.choices(["mikro", "kecil", "menengah", "besar"], [66, 20, 10, 4])[0]
        if outside:
            size = rng.choices(["kecil", "menengah", "besar"], [30, 40, 30])[0]
            region, kecamatan = rng.choice(OUTSIDE_TOWNS), "-"
        else:
            region, kecamatan = rng.choice(desa)
        n_offers = rng.choices([1, 2, 3], [45, 35, 20])[0]
        chosen = set()
        for _ in range(n_offers):
            chosen.add(rng.choices(out_cats, out_w)[0] if outside else rng.choices(cats, cat_w)[0])
        certs = {"PIRT"} if rng.random() < 0.7 else set()
        if rng.random() < 0.75:
            certs.add("HALAL")
        if rng.random() < 0.45:
            certs.add("SLHS")
        if rng.random() < 0.12:
            certs.add("BPOM")
        if rng.random() < 0.2:
            certs.add("SNI")
        supplier_rows.append(
            Supplier(
                supplier_id=sid,
                name=f"{'CV' if size in ('menengah', 'besar') else 'Usaha'} {region} {i}",
                nib=f"91{i:011d}",
                size_class=size,
                is_koperasi=(not outside) and rng.random() < 0.07,
                region=region,
                kecamatan=kecamatan,
                is_local=not outside,
                verified=rng.random() < 0.88,
                certs=frozenset(certs),
            )
        )
        scale = {"mikro": 1.0, "kecil": 2.0, "menengah": 5.0, "besar": 12.0}[size]
        for cat in sorted(chosen):
            product = rng.randrange(len(CATEGORIES[cat].products))
            offer_plan.append((sid, cat, product, scale * rng.lognormvariate(0, 0.5)))

    n_agencies = len(OPD) + needs // 100
    agency_names = list(OPD) + [f"UPT {j + 1}" for j in range(n_agencies - len(OPD))]
    agency_w = [rng.lognormvariate(0, 0.8) for _ in range(n_agencies)]
    need_rows: list[Need] = []
    demand_by_cat: dict[str, int] = {}
    for i in range(1, needs + 1):
        cat = rng.choices(cats, cat_w)[0]
        spec = CATEGORIES[cat]
        prod = spec.products[rng.randrange(len(spec.products))]
        lo, hi = prod.price
        hps = int(round(rng.uniform(lo, hi) * rng.uniform(1.0, 1.2), -1))
        qty = int(rng.uniform(*prod.quantity) * rng.uniform(0.5, 1.2)) + 1
        certs = set(taxonomy[cat].default_required_certs)
        if taxonomy[cat].food and rng.random() < 0.1:
            certs.add("BPOM")
        agency = rng.choices(range(n_agencies), agency_w)[0]
        need_rows.append(
            Need(
                need_id=f"N{i:06d}",
                agency_id=f"A{agency + 1:03d}",
                category=cat,
                description=prod.need.format(event="kegiatan dinas"),
                quantity=qty,
                max_unit_price=hps,
                required_certs=frozenset(certs),
                needed_by=today + timedelta(days=rng.randint(4, 90)),
                region=rng.choice(desa)[0],
            )
        )
        demand_by_cat[cat] = demand_by_cat.get(cat, 0) + qty

    weight_by_cat: dict[str, float] = {}
    for _, cat, _, w in offer_plan:
        weight_by_cat[cat] = weight_by_cat.get(cat, 0.0) + w
    cat_ratio = {c: rng.uniform(0.7, 1.3) for c in cats}
    offer_rows: list[Offer] = []
    for j, (sid, cat, product, w) in enumerate(offer_plan, start=1):
        spec = CATEGORIES[cat]
        prod = spec.products[product]
        size = supplier_rows[int(sid[1:]) - 1].size_class
        outside = supplier_rows[int(sid[1:]) - 1].kecamatan == "-"
        discount = {"mikro": 1.0, "kecil": 0.98, "menengah": 0.94, "besar": 0.9}[size]
        price = int(round(rng.uniform(*prod.price) * discount, -2 if prod.price[0] >= 1000 else -1))
        demand = demand_by_cat.get(cat, 0)
        capacity = max(1, int(demand * cat_ratio[cat] * w / weight_by_cat[cat]))
        moq = rng.choice(spec.min_order) if rng.random() < 0.6 else 1
        moq = min(moq, max(1, capacity // 2))
        lead = rng.randint(*spec.lead_time) + (3 if outside else 0)
        offer_rows.append(
            Offer(
                offer_id=f"O{j:06d}",
                supplier_id=sid,
                category=cat,
                name=f"{prod.name} {sid}",
                unit=taxonomy[cat].unit,
                unit_price=max(10, price),
                capacity=capacity,
                min_order_qty=moq,
                lead_time_days=lead,
            )
        )

    value_by_agency: dict[str, int] = {}
    for n in need_rows:
        value_by_agency[n.agency_id] = value_by_agency.get(n.agency_id, 0) + n.demand_value
    agencies: list[Agency] = []
    for a in range(n_agencies):
        aid = f"A{a + 1:03d}"
        value = value_by_agency.get(aid, 0)
        budget = 0 if rng.random() < 0.05 else int(round(value * rng.uniform(0.45, 0.95), -3))
        agencies.append(Agency(aid, agency_names[a], budget))
    total = sum(n.demand_value for n in need_rows)
    cap = int(round(total / n_sup * 4, -5))
    return Instance(
        tuple(supplier_rows),
        tuple(offer_rows),
        tuple(agencies),
        tuple(need_rows),
        Policy(today=today, max_suppliers_per_need=3, max_supplier_value=cap),
    )


# Jawa Timur's 38 kabupaten/kota, in an order where neighbours are mostly adjacent.
JAWA_TIMUR = (
    "Kota Batu",
    "Kota Malang",
    "Kab. Malang",
    "Kota Pasuruan",
    "Kab. Pasuruan",
    "Kab. Sidoarjo",
    "Kota Surabaya",
    "Kab. Gresik",
    "Kab. Lamongan",
    "Kab. Tuban",
    "Kab. Bojonegoro",
    "Kab. Ngawi",
    "Kab. Magetan",
    "Kota Madiun",
    "Kab. Madiun",
    "Kab. Ponorogo",
    "Kab. Pacitan",
    "Kab. Trenggalek",
    "Kab. Tulungagung",
    "Kota Blitar",
    "Kab. Blitar",
    "Kota Kediri",
    "Kab. Kediri",
    "Kab. Nganjuk",
    "Kab. Jombang",
    "Kota Mojokerto",
    "Kab. Mojokerto",
    "Kab. Lumajang",
    "Kota Probolinggo",
    "Kab. Probolinggo",
    "Kab. Situbondo",
    "Kab. Bondowoso",
    "Kab. Jember",
    "Kab. Banyuwangi",
    "Kab. Bangkalan",
    "Kab. Sampang",
    "Kab. Pamekasan",
    "Kab. Sumenep",
)


@dataclass(frozen=True)
class Province:
    """A province round: the instance, and the decomposition's region map (each need's
    kabupaten/kota, and the kabupaten/kota each supplier serves)."""

    instance: Instance
    regions: Regions
    cities: tuple[str, ...]


def generate_province(
    needs: int,
    cities: int = 38,
    suppliers: int | None = None,
    seed: int = 1,
    multi_city_share: float = 0.03,
) -> Province:
    """A province of ``cities`` kabupaten/kota, each a Kota Batu-like city from
    :func:`generate` with its own agencies, needs and suppliers (ids prefixed ``K01-``...,
    agency names suffixed with the city). Needs are located in their city. Local suppliers
    serve their own city, ``multi_city_share`` of them also the next city in
    :data:`JAWA_TIMUR`; suppliers from outside town (bigger firms) serve their city and the
    two next ones. Budgets bind per city as in :func:`generate`; the per-supplier cap is
    computed the same way over the province."""
    names = [
        JAWA_TIMUR[i] if i < len(JAWA_TIMUR) else f"Kab. Wilayah {i + 1}" for i in range(cities)
    ]
    rng = random.Random(seed * 7919 + cities)
    total_suppliers = suppliers if suppliers is not None else default_suppliers(needs)
    all_suppliers: list[Supplier] = []
    all_offers: list[Offer] = []
    all_agencies: list[Agency] = []
    all_needs: list[Need] = []
    served: dict[str, frozenset[str]] = {}
    policy: Policy | None = None
    for c, city in enumerate(names):
        share_needs = needs // cities + (1 if c < needs % cities else 0)
        share_sup = total_suppliers // cities + (1 if c < total_suppliers % cities else 0)
        city_instance = generate(max(1, share_needs), max(1, share_sup), seed * 1000 + c)
        policy = policy or city_instance.policy
        code = f"K{c + 1:02d}-"
        for s in city_instance.suppliers:
            outside = s.kecamatan == "-"
            all_suppliers.append(
                replace(
                    s,
                    supplier_id=code + s.supplier_id,
                    name=f"{s.name} {city}",
                    nib=f"{(c + 1) % 100:02d}{s.nib[2:]}",
                    region=s.region if outside else city,
                    kecamatan="-" if outside else city,
                )
            )
            reach = 3 if outside else (2 if rng.random() < multi_city_share else 1)
            served[code + s.supplier_id] = frozenset(
                names[(c + j) % cities] for j in range(min(reach, cities))
            )
        all_offers.extend(
            replace(o, offer_id=code + o.offer_id, supplier_id=code + o.supplier_id)
            for o in city_instance.offers
        )
        all_agencies.extend(
            replace(a, agency_id=code + a.agency_id, name=f"{a.name} {city}")
            for a in city_instance.agencies
        )
        all_needs.extend(
            replace(n, need_id=code + n.need_id, agency_id=code + n.agency_id, region=city)
            for n in city_instance.needs
        )
    assert policy is not None
    total = sum(n.demand_value for n in all_needs)
    cap = int(round(total / max(1, len(all_suppliers)) * 4, -5))
    instance = Instance(
        tuple(all_suppliers),
        tuple(all_offers),
        tuple(all_agencies),
        tuple(all_needs),
        replace(policy, max_supplier_value=cap),
    )
    regions = Regions({n.need_id: n.region for n in all_needs}, served)
    return Province(instance, regions, tuple(names))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--needs", type=int, default=1_000)
    parser.add_argument("--suppliers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from matcher.optimizer.io import write_instance

    write_instance(generate(args.needs, args.suppliers, args.seed), args.out)


if __name__ == "__main__":
    main()
