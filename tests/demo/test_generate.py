"""The generator: deterministic, realistic shape, consistent with the spec and the example."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from matcher.catalog.taxonomy import category_codes, get_category
from matcher.demo import data
from matcher.demo.generate import DemoDataset, generate
from matcher.models import SizeClass, VerificationStatus
from matcher.policy import DEFAULT_POLICY
from tests.demo.conftest import DEMO_DAY

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "batu-small"


def test_same_seed_same_records_different_seed_differs(dataset: DemoDataset) -> None:
    again = generate(today=DEMO_DAY)
    assert again == dataset
    other = generate(seed=data.DEFAULT_SEED + 1, today=DEMO_DAY)
    assert other != dataset
    assert [s.name for s in other.suppliers] != [s.name for s in dataset.suppliers]
    # The fixed facts do not depend on the seed.
    assert [a.name for a in other.agencies] == [a.name for a in dataset.agencies]
    assert [u.email for u in other.users] == [u.email for u in dataset.users]


def test_geography_three_kecamatan_24_desa() -> None:
    assert set(data.KECAMATAN) == {"Batu", "Bumiaji", "Junrejo"}
    assert [len(d) for d in data.KECAMATAN.values()] == [8, 9, 7]
    assert len(data.ALL_DESA) == len(set(data.ALL_DESA)) == 24
    assert set(data.ALL_DESA) >= data.KELURAHAN


def test_geography_and_agencies_match_the_example_instance() -> None:
    with (EXAMPLE / "suppliers.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["is_local"] == "true":
                assert data.DESA_TO_KECAMATAN[row["region"]] == row["kecamatan"]
            else:
                assert row["kecamatan"] == "-"
    with (EXAMPLE / "agencies.csv").open(encoding="utf-8") as handle:
        example = [(row["agency_id"], row["name"]) for row in csv.DictReader(handle)]
    assert example == [(a.code, a.name) for a in data.AGENCIES]


def test_one_koperasi_merah_putih_per_desa(dataset: DemoDataset) -> None:
    koperasi = [s for s in dataset.suppliers if s.is_koperasi]
    assert len(koperasi) == 24
    assert sorted(s.region for s in koperasi) == sorted(data.ALL_DESA)
    assert all(s.name.startswith("Koperasi Merah Putih ") for s in koperasi)
    assert all(s.is_local and s.kecamatan == data.DESA_TO_KECAMATAN[s.region] for s in koperasi)


def test_suppliers_few_hundred_umkm_mostly_mikro_some_big_and_outside(
    dataset: DemoDataset,
) -> None:
    umkm = [s for s in dataset.suppliers if s.is_local and not s.is_koperasi]
    assert 200 <= len(umkm) <= 400
    sizes = Counter(s.size_class for s in umkm)
    assert sizes[SizeClass.MIKRO] > len(umkm) / 2
    assert sizes[SizeClass.MENENGAH] + sizes[SizeClass.BESAR] > 0
    outside = [s for s in dataset.suppliers if not s.is_local]
    assert len(outside) >= 10
    assert {s.region for s in outside} == set(data.OUTSIDE_REGIONS)
    assert all(s.kecamatan == "-" for s in outside)
    assert any(s.size_class == SizeClass.BESAR for s in outside)


def test_identities_are_realistic_and_unique(dataset: DemoDataset) -> None:
    suppliers = dataset.suppliers
    assert len({s.name for s in suppliers}) == len(suppliers)
    assert len({s.nib for s in suppliers}) == len(suppliers)
    assert all(re.fullmatch(r"\d{13}", s.nib) for s in suppliers)
    assert all(re.fullmatch(r"08\d{2}-\d{4}-\d{4,5}", s.phone) for s in suppliers)
    assert not any(re.search(r"(Supplier|Usaha) \d", s.name) for s in suppliers)
    names = {s.name for s in suppliers}
    assert {sc.name for sc in data.SHOWCASE} <= names
    assert "Koperasi Merah Putih Desa Pandanrejo" in names
    assert "Koperasi Merah Putih Kelurahan Sisir" in names


def test_every_category_offered_by_a_verified_supplier(dataset: DemoDataset) -> None:
    offered = {
        o.category
        for s in dataset.suppliers
        if s.status == VerificationStatus.VERIFIED
        for o in s.offers
        if o.status == VerificationStatus.VERIFIED
    }
    assert offered == set(category_codes())


def test_offers_prices_units_capacities(dataset: DemoDataset) -> None:
    offers = dataset.offers
    assert len({o.code for o in offers}) == len(offers)
    for offer in offers:
        assert isinstance(offer.unit_price, int) and offer.unit_price > 0
        assert 1 <= offer.min_order_qty <= offer.capacity
        assert offer.lead_time_days >= 0
        assert offer.unit == get_category(offer.category).unit
    beras = [o.unit_price for o in offers if o.category == "BERAS"]
    assert min(beras) >= 10_000 and max(beras) <= 30_000
    furnitur = [o.unit_price for o in offers if o.category == "FURNITUR"]
    assert min(furnitur) >= 500_000


def test_certificates_some_expired_food_suppliers_mostly_certified(
    dataset: DemoDataset,
) -> None:
    certificates = [c for s in dataset.suppliers for c in s.certificates]
    expired = [c for c in certificates if not c.is_valid_on(DEMO_DAY)]
    assert 0 < len(expired) < len(certificates) / 3
    assert any(c.number.startswith("P-IRT ") for c in certificates)
    assert any(re.fullmatch(r"ID\d{17}", c.number) for c in certificates)
    snack = [s for s in dataset.suppliers if any(o.category == "SNACK" for o in s.offers)]
    with_pirt = [s for s in snack if "PIRT" in s.valid_certificate_types(DEMO_DAY)]
    assert len(snack) / 2 < len(with_pirt) < len(snack)
    for certificate in certificates:
        assert certificate.issued_on <= DEMO_DAY
        if certificate.valid_until is not None:
            assert certificate.valid_until > certificate.issued_on


def test_verification_statuses_mostly_verified_with_reasons(dataset: DemoDataset) -> None:
    statuses = Counter(s.status for s in dataset.suppliers)
    assert statuses[VerificationStatus.VERIFIED] > 0.7 * len(dataset.suppliers)
    for status in VerificationStatus:
        assert statuses[status] > 0
    for supplier in dataset.suppliers:
        assert supplier.events[0].from_status is None
        assert supplier.events[-1].to_status == supplier.status
        if supplier.status in (VerificationStatus.REJECTED, VerificationStatus.SUSPENDED):
            assert supplier.status_reason
            assert supplier.events[-1].reason == supplier.status_reason


def test_agencies_budgets_and_needs(dataset: DemoDataset) -> None:
    assert len(dataset.agencies) == 31
    for agency in dataset.agencies:
        assert agency.fiscal_year == DEMO_DAY.year
        assert 100_000_000 <= agency.budget <= 10_000_000_000
        assert 0 <= agency.round_budget <= agency.budget
    assert 200 <= len(dataset.needs) <= 500
    assert {n.agency_code for n in dataset.needs} == {a.code for a in dataset.agencies}
    typical = {
        c: max(o.unit_price for o in dataset.offers if o.category == c) for c in category_codes()
    }
    for need in dataset.needs:
        assert need.needed_by > DEMO_DAY
        assert 0 < need.max_unit_price <= typical[need.category] * 2
        assert set(need.required_certs) == DEFAULT_POLICY.required_certificates(
            need.category, need.needed_by
        )
        assert need.region in data.DESA_TO_KECAMATAN


def test_demo_users_cover_every_role(dataset: DemoDataset) -> None:
    roles = Counter(u.role.value for u in dataset.users)
    assert roles["admin"] == 1 and roles["planner"] == 1 and roles["viewer"] == 1
    assert 2 <= roles["officer"] <= 3 and roles["supplier"] == 2
    codes = {s.code: s for s in dataset.suppliers}
    bound = [codes[u.supplier_code] for u in dataset.users if u.supplier_code]
    assert sorted(s.is_koperasi for s in bound) == [False, True]
    assert all(s.status == VerificationStatus.VERIFIED for s in bound)
