"""Every dashboard figure on the hand-computed scene (tests/dashboard/scene.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from matcher.dashboard.service import (
    BreakdownRow,
    Dashboard,
    MonthRow,
    PaymentRow,
    Period,
    ReasonCount,
    compute_dashboard,
    herfindahl_index,
)
from matcher.errors import InvalidInput
from matcher.policy import ProcurementPolicy
from tests.dashboard.scene import SPLIT_MESSAGE, TODAY, Scene, build_scene
from tests.factories import Factory

PERIOD = Period(date(2026, 3, 1), date(2026, 4, 30))
M = 1_000_000


@pytest.fixture
def scene(db: Session, factory: Factory) -> Scene:
    return build_scene(db, factory)


@pytest.fixture
def dash(db: Session, scene: Scene) -> Dashboard:
    return compute_dashboard(db, PERIOD, today=TODAY)


def row(key: str, label: str, spend: int, umk: int, local: int, orders: int) -> BreakdownRow:
    return BreakdownRow(key, label, spend, umk, umk / spend, local, local / spend, orders)


def test_headline_figures(dash: Dashboard) -> None:
    total = 79_800_000
    assert dash.total_spend == total
    assert dash.umk_spend == 78_200_000  # S1 5,4 M + S2 (koperasi) 72,8 M
    assert dash.umk_share == 78_200_000 / total
    assert dash.local_spend == 7_000_000  # S1 5,4 M + S3 1,6 M
    assert dash.local_share == 7_000_000 / total
    assert dash.local_umk_spend == 5_400_000
    assert dash.target_share == 0.40
    assert dash.meets_target is True
    assert dash.paid_spend == 6_800_000  # O1 1,0 + O2 0,4 + O6 1,0 + O7 2,8 + O8 1,6
    assert dash.orders == 10
    assert dash.distinct_suppliers == 3
    assert dash.distinct_umk_suppliers == 2
    assert dash.period == PERIOD
    assert dash.today == TODAY


def test_breakdowns(dash: Dashboard) -> None:
    assert dash.by_agency == [
        row("UJI-KES", "Dinas Kesehatan Uji", 71_600_000, 70 * M, 1_600_000, 3),
        row("UJI-DIK", "Dinas Pendidikan Uji", 8_200_000, 8_200_000, 5_400_000, 7),
    ]
    assert dash.by_category == [
        row("BERAS", "Beras", 74_100_000, 72_800_000, 1_300_000, 4),
        row("SNACK", "Kue dan snack box", 5_700_000, 5_400_000, 5_700_000, 7),
    ]
    assert dash.by_kecamatan == [
        row("-", "Luar Kota Batu", 72_800_000, 72_800_000, 0, 3),
        row("Batu", "Batu", 5_400_000, 5_400_000, 5_400_000, 6),
        row("Junrejo", "Junrejo", 1_600_000, 0, 1_600_000, 1),
    ]
    assert dash.by_size_class == [
        row("koperasi", "Koperasi", 72_800_000, 72_800_000, 0, 3),
        row("mikro", "Usaha mikro", 5_400_000, 5_400_000, 5_400_000, 6),
        row("besar", "Usaha besar", 1_600_000, 0, 1_600_000, 1),
    ]
    for rows in (dash.by_agency, dash.by_category, dash.by_kecamatan, dash.by_size_class):
        assert sum(r.spend for r in rows) == dash.total_spend
        assert sum(r.umk_spend for r in rows) == dash.umk_spend


def test_monthly(dash: Dashboard) -> None:
    assert dash.monthly == [
        MonthRow("2026-03", "Maret 2026", 5 * M, 3_400_000, 0.68, 5 * M, 1.0, 5),
        MonthRow("2026-04", "April 2026", 74_800_000, 74_800_000, 1.0, 2 * M, 2 / 74.8, 5),
    ]


def test_months_without_spending_are_listed(db: Session, scene: Scene) -> None:
    dash = compute_dashboard(db, Period.semester(2026, 1), today=TODAY)
    assert [m.month for m in dash.monthly] == [f"2026-0{i}" for i in range(1, 7)]
    assert [m.spend for m in dash.monthly] == [0, 0, 5 * M, 74_800_000, 200_000, 0]
    assert dash.monthly[0].umk_share == 0.0
    # O12 (1 May WIB) is in the semester, not in March-April.
    assert dash.total_spend == 79_800_000 + 200_000


def test_suppliers_and_concentration(dash: Dashboard, scene: Scene) -> None:
    assert [(s.code, s.spend, s.orders, s.is_umk, s.is_local) for s in dash.top_suppliers] == [
        ("UJI-S2", 72_800_000, 3, True, False),
        ("UJI-S1", 5_400_000, 6, True, True),
        ("UJI-S3", 1_600_000, 1, False, True),
    ]
    assert dash.top_suppliers[0].share == 72_800_000 / 79_800_000
    assert dash.top_suppliers[0].size_class == "kecil"
    assert dash.top_suppliers[0].is_koperasi is True
    assert dash.top10_share == 1.0
    expected = (100 * 72.8 / 79.8) ** 2 + (100 * 5.4 / 79.8) ** 2 + (100 * 1.6 / 79.8) ** 2
    assert dash.herfindahl == pytest.approx(expected, rel=1e-12)
    assert round(dash.herfindahl) == 8372  # 91,23² + 6,77² + 2,01²


def test_herfindahl_scale() -> None:
    assert herfindahl_index([5]) == 10_000.0
    assert herfindahl_index([1, 1, 1, 1]) == 2_500.0
    assert herfindahl_index([]) == 0.0


def test_unmet_demand(dash: Dashboard) -> None:
    nasi, snack, beras = dash.unmet_by_category
    assert (nasi.category, nasi.label) == ("NASI_KOTAK", "Nasi kotak dan katering")
    assert (nasi.needs, nasi.needs_value, nasi.unmet_needs, nasi.unmet_value) == (
        1,
        2_500_000,
        1,
        2_500_000,
    )
    assert (nasi.no_local_supplier, nasi.no_local_value) == (1, 2_500_000)
    assert nasi.main_reason == "tidak ada penyedia lokal terverifikasi"
    # N1 (600, 550 ordered), N3 (HALAL), N6 (HPS 8.000 below every price), N9 (HALAL);
    # N7 is a draft, N8 is needed in June.
    assert snack.category == "SNACK"
    assert (snack.needs, snack.needs_value) == (4, 8_750_000)
    assert (snack.unmet_needs, snack.unmet_value) == (3, 50 * 12_000 + 50 * 8_000 + 20 * 40_000)
    assert (snack.no_local_supplier, snack.no_local_value) == (3, 350_000 + 400_000 + 800_000)
    assert snack.main_reason == "sertifikat HALAL"
    assert snack.reasons == [
        ReasonCount("sertifikat HALAL", 2),
        ReasonCount("harga di atas HPS", 1),
    ]
    assert beras.category == "BERAS"
    assert (beras.needs, beras.needs_value, beras.unmet_needs, beras.unmet_value) == (
        2,
        200 * 15_000 + 5_100 * 14_000,
        0,
        0,
    )
    assert (beras.no_local_supplier, beras.main_reason, beras.reasons) == (0, None, [])


def test_expiring_certificates(dash: Dashboard) -> None:
    assert [
        (c.supplier_code, c.type, c.number, c.valid_until, c.days_left)
        for c in dash.expiring_certificates
    ] == [
        ("UJI-S1", "PIRT", "PIRT-1", date(2026, 6, 14), 30),
        ("UJI-S2", "SNI", "SNI-2", date(2026, 7, 14), 60),
    ]


def test_payment_speed(dash: Dashboard) -> None:
    assert dash.payment_target_days == 14
    assert dash.payment_speed == [
        PaymentRow("UJI-DIK", "Dinas Pendidikan Uji", 4, 11.0, 12.25, 20, 1, 0.25, 1),
        PaymentRow("UJI-KES", "Dinas Kesehatan Uji", 1, 7.0, 7.0, 7, 0, 0.0, 0),
    ]
    assert dash.payment_overall == PaymentRow(
        "*", "Semua perangkat daerah", 5, 8.0, 11.2, 20, 1, 0.2, 1
    )


def test_payment_target_is_configurable(db: Session, scene: Scene) -> None:
    policy = ProcurementPolicy(payment_target_days=7)
    dash = compute_dashboard(db, PERIOD, today=TODAY, policy=policy)
    # 20, 8 and 14 days exceed 7; 7 does not.
    assert dash.payment_overall.late_payments == 3
    assert dash.payment_target_days == 7


def test_integrity_flags(dash: Dashboard, scene: Scene) -> None:
    kinds = [(f.kind, f.agency, f.supplier, f.order_codes) for f in dash.integrity_flags]
    assert kinds == [
        ("rotation", "Dinas Pendidikan Uji", "UMKM Satu", [f"SP-T-0{i}" for i in range(1, 7)]),
        ("split", "Dinas Kesehatan Uji", "Koperasi Dua", ["SP-T-10"]),
        ("price", "Dinas Kesehatan Uji", "=PT Tiga Besar", ["SP-T-08"]),
    ]
    rotation, split, price = dash.integrity_flags
    assert rotation.value == 6.0
    assert "6 pesanan" in rotation.detail
    assert "batas rotasi 5" in rotation.detail
    assert (rotation.agency_id, rotation.supplier_id) == (scene.dik.id, scene.s1.id)
    assert split.detail == SPLIT_MESSAGE
    assert split.value == 35_000_000.0
    assert price.value == 3.0  # 30.000 against the SNACK median 10.000 (7 lines)
    assert price.detail == (
        "Harga satuan Snack premium Rp30.000 adalah 3,00x median kategori Kue dan snack box "
        "Rp10.000"
    )


def test_rotation_needs_more_than_the_limit(db: Session, scene: Scene) -> None:
    policy = ProcurementPolicy(rotation_limit=6)
    dash = compute_dashboard(db, PERIOD, today=TODAY, policy=policy)
    assert [f.kind for f in dash.integrity_flags] == ["split", "price"]


def test_rotation_counts_orders_before_the_period(db: Session, scene: Scene) -> None:
    """Only April in the period: O5, O6 are in it, O1-O4 in the 90 days before."""
    dash = compute_dashboard(db, Period.month(2026, 4), today=TODAY)
    rotation = [f for f in dash.integrity_flags if f.kind == "rotation"]
    assert len(rotation) == 1
    assert rotation[0].value == 6.0


def test_one_agency(db: Session, scene: Scene) -> None:
    dash = compute_dashboard(db, PERIOD, agency_id=scene.dik.id, today=TODAY)
    assert (dash.total_spend, dash.umk_spend, dash.local_spend, dash.orders) == (
        8_200_000,
        8_200_000,
        5_400_000,
        7,
    )
    assert dash.agency_id == scene.dik.id
    assert [r.key for r in dash.by_agency] == ["UJI-DIK"]
    assert [f.kind for f in dash.integrity_flags] == ["rotation"]
    assert [r.key for r in dash.payment_speed] == ["UJI-DIK"]
    assert [(u.category, u.needs) for u in dash.unmet_by_category] == [("SNACK", 2), ("BERAS", 1)]
    # The catalogue-wide list does not depend on the agency.
    assert len(dash.expiring_certificates) == 2


def test_empty_period(db: Session, scene: Scene) -> None:
    dash = compute_dashboard(db, Period.month(2025, 1), today=TODAY)
    assert (dash.total_spend, dash.umk_share, dash.herfindahl, dash.top10_share) == (
        0,
        0.0,
        0.0,
        0.0,
    )
    assert dash.meets_target is False
    assert dash.by_agency == [] and dash.integrity_flags == [] and dash.unmet_by_category == []
    assert dash.payment_overall.median_days is None


def test_period_helpers() -> None:
    assert Period.semester(2026, 1) == Period(date(2026, 1, 1), date(2026, 6, 30))
    assert Period.semester(2026, 2) == Period(date(2026, 7, 1), date(2026, 12, 31))
    assert Period.month(2028, 2) == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert Period.parse("2026-03-01", "2026-04-30") == PERIOD
    assert Period.semester(2026, 2).label == "Semester II 2026"
    assert PERIOD.label == "1 Maret 2026 s.d. 30 April 2026"
    assert PERIOD.months() == [(2026, 3), (2026, 4)]
    assert date(2026, 4, 30) in PERIOD and date(2026, 5, 1) not in PERIOD
    with pytest.raises(InvalidInput):
        Period.semester(2026, 3)
    with pytest.raises(InvalidInput):
        Period.parse("2026-05-01", "2026-04-30")
    with pytest.raises(InvalidInput) as error:
        Period.parse("kemarin", "2026-04-30")
    assert error.value.errors[0].loc == ("query", "start")


def test_remembered_eligibility_verdicts_follow_catalogue_and_need_changes(
    db: Session, scene: Scene, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verdicts are kept between dashboards; a change to a local supplier's certificates or
    to a need gives the figures a dashboard computed from scratch gives."""
    from matcher.dashboard import service
    from matcher.models import CertificateType, VerificationStatus

    def fresh() -> list[object]:
        with monkeypatch.context() as patch:
            patch.setattr(service, "_VERDICTS", service._VerdictMemo())
            return list(compute_dashboard(db, PERIOD, today=TODAY).unmet_by_category)

    before = compute_dashboard(db, PERIOD, today=TODAY).unmet_by_category
    assert before == fresh()
    # A certificate waiting for verification does not count (THE certificate rule), nor is it
    # listed as expiring.
    pending = factory.certificate(
        scene.s1,
        type=CertificateType.HALAL,
        number="HALAL-1",
        valid_until=date(2026, 5, 20),
        status=VerificationStatus.PENDING,
    )
    waiting = compute_dashboard(db, PERIOD, today=TODAY)
    assert waiting.unmet_by_category == before
    assert "HALAL-1" not in [c.number for c in waiting.expiring_certificates]
    pending.status = VerificationStatus.VERIFIED
    pending.valid_until = date(2027, 1, 1)
    db.commit()
    halal = compute_dashboard(db, PERIOD, today=TODAY).unmet_by_category
    assert halal != before
    assert halal == fresh()
    scene.needs["N6"].max_unit_price = 50_000  # above every local snack price now
    db.commit()
    priced = compute_dashboard(db, PERIOD, today=TODAY).unmet_by_category
    assert priced != halal
    assert priced == fresh()
