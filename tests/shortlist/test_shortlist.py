"""The explained shortlist: each ineligibility reason, priority, distance, score parts, rank."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from matcher.geography import DistanceTier, distance_tier
from matcher.models import (
    CertificateType,
    Need,
    NeedStatus,
    Offer,
    Plan,
    PlanLine,
    PlanLineStatus,
    PlanStatus,
    SizeClass,
    VerificationStatus,
)
from matcher.models.orders import Order, OrderLine, OrderStatus
from matcher.optimizer.eligibility import is_eligible
from matcher.planning.instance import load_catalogue, need_to_model
from matcher.shortlist.scoring import DeliveryRecord, score
from matcher.shortlist.service import (
    ShortlistEntry,
    delivery_records,
    rotation_counts,
    shortlist_for_need,
)
from tests.factories import Factory

TODAY = date(2026, 11, 23)


def _need(factory: Factory, **fields: object) -> Need:
    agency = factory.agency()
    values: dict[str, object] = {
        "code": f"TN{factory._n():05d}",
        "agency_id": agency.id,
        "category": "SNACK",
        "description": "Snack box rapat",
        "quantity": 100,
        "unit": "kotak",
        "max_unit_price": 15_000,
        "required_certs": ["HALAL", "PIRT"],
        "needed_by": TODAY + timedelta(days=10),
        "region": "Sisir",
        "status": NeedStatus.SUBMITTED,
    }
    values.update(fields)
    need = Need(**values)
    factory.session.add(need)
    factory.session.commit()
    return need


def _entry(db: Session, need: Need, offer_id: int) -> ShortlistEntry:
    shortlist = shortlist_for_need(db, need, today=TODAY)
    return next(e for e in shortlist.entries if e.offer_id == offer_id)


def test_eligible_local_micro_offer_explained(db: Session, factory: Factory) -> None:
    need = _need(factory)
    supplier = factory.supplier(region="Sisir", kecamatan="Batu", certs=["HALAL", "PIRT"])
    offer = factory.offer(supplier, unit_price=12_000)
    entry = _entry(db, need, offer.id)
    assert entry.eligible
    assert entry.reasons == []
    assert entry.priority
    assert entry.priority_reason == "usaha mikro lokal"
    assert entry.distance is DistanceTier.SAME_DESA
    assert entry.price_difference == -3_000
    parts = {p.name: p.points for p in entry.score_parts}
    assert parts == {
        "price": 26.67,
        "priority": 25.0,
        "distance": 15.0,
        "record": 5.0,
        "rotation": 0.0,
    }
    assert entry.score == pytest.approx(71.67)
    assert entry.explanation.startswith("Memenuhi syarat; harga 20.0% di bawah HPS")


def test_unverified_supplier(db: Session, factory: Factory) -> None:
    need = _need(factory)
    supplier = factory.supplier(status=VerificationStatus.PENDING, certs=["HALAL", "PIRT"])
    offer = factory.offer(supplier)
    entry = _entry(db, need, offer.id)
    assert not entry.eligible
    assert [r.code for r in entry.reasons] == ["UNVERIFIED"]
    assert not entry.priority


def test_pending_offer_of_verified_supplier_is_unverified(db: Session, factory: Factory) -> None:
    need = _need(factory)
    supplier = factory.supplier(certs=["HALAL", "PIRT"])
    offer = factory.offer(supplier, status=VerificationStatus.PENDING)
    assert [r.code for r in _entry(db, need, offer.id).reasons] == ["UNVERIFIED"]


def test_missing_and_expired_certificates(db: Session, factory: Factory) -> None:
    need = _need(factory)
    supplier = factory.supplier(certs=["PIRT"])
    factory.certificate(supplier, type=CertificateType.HALAL, valid_until=TODAY - timedelta(days=1))
    offer = factory.offer(supplier)
    entry = _entry(db, need, offer.id)
    assert [r.code for r in entry.reasons] == ["CERTIFICATE_MISSING"]
    assert "HALAL" in entry.reasons[0].message
    assert "kedaluwarsa" in entry.reasons[0].message


def test_certificate_waiting_for_verification_does_not_count(db: Session, factory: Factory) -> None:
    need = _need(factory)
    supplier = factory.supplier(certs=["PIRT"])
    halal = factory.certificate(
        supplier, type=CertificateType.HALAL, status=VerificationStatus.PENDING
    )
    offer = factory.offer(supplier)
    entry = _entry(db, need, offer.id)
    assert [r.code for r in entry.reasons] == ["CERTIFICATE_MISSING"]
    assert entry.reasons[0].message == (
        "sertifikat kurang: HALAL (sertifikat HALAL belum diverifikasi tim pengelola)"
    )
    halal.status = VerificationStatus.VERIFIED
    db.commit()
    assert _entry(db, need, offer.id).eligible


def test_certificate_valid_until_today_counts(db: Session, factory: Factory) -> None:
    need = _need(factory)
    supplier = factory.supplier(certs=["PIRT"])
    factory.certificate(supplier, type=CertificateType.HALAL, valid_until=TODAY)
    offer = factory.offer(supplier)
    assert _entry(db, need, offer.id).eligible


def test_price_above_hps_by_how_much(db: Session, factory: Factory) -> None:
    need = _need(factory)
    offer = factory.offer(factory.supplier(certs=["HALAL", "PIRT"]), unit_price=16_500)
    entry = _entry(db, need, offer.id)
    assert [r.code for r in entry.reasons] == ["PRICE_ABOVE_HPS"]
    assert "Rp1.500" in entry.reasons[0].message
    assert entry.price_difference == 1_500


def test_lead_time_past_needed_by(db: Session, factory: Factory) -> None:
    need = _need(factory, needed_by=TODAY + timedelta(days=3))
    offer = factory.offer(factory.supplier(certs=["HALAL", "PIRT"]), lead_time_days=5)
    entry = _entry(db, need, offer.id)
    assert [r.code for r in entry.reasons] == ["LEAD_TIME_TOO_LONG"]
    assert "terlambat 2 hari" in entry.reasons[0].message


def test_minimum_order_above_quantity(db: Session, factory: Factory) -> None:
    need = _need(factory, quantity=20)
    offer = factory.offer(factory.supplier(certs=["HALAL", "PIRT"]), min_order_qty=50)
    assert [r.code for r in _entry(db, need, offer.id).reasons] == ["MIN_ORDER_ABOVE_QUANTITY"]


def test_capacity_exhausted_by_reservations(db: Session, factory: Factory) -> None:
    need = _need(factory)
    offer = factory.offer(factory.supplier(certs=["HALAL", "PIRT"]), capacity=200, min_order_qty=10)
    offer.reserved_quantity = 200
    db.commit()
    assert [r.code for r in _entry(db, need, offer.id).reasons] == ["NO_CAPACITY"]


def test_partial_capacity_is_eligible_but_said(db: Session, factory: Factory) -> None:
    need = _need(factory, quantity=100)
    offer = factory.offer(factory.supplier(certs=["HALAL", "PIRT"]), capacity=40, min_order_qty=10)
    entry = _entry(db, need, offer.id)
    assert entry.eligible
    assert entry.can_fill == 40
    assert "hanya dapat memenuhi 40 dari 100" in entry.explanation


def test_priority_rules(db: Session, factory: Factory) -> None:
    need = _need(factory, category="SERAGAM", required_certs=[])
    medium = factory.offer(factory.supplier(size_class=SizeClass.MENENGAH), category="SERAGAM")
    koperasi = factory.offer(
        factory.supplier(size_class=SizeClass.MENENGAH, is_koperasi=True), category="SERAGAM"
    )
    outside = factory.offer(
        factory.supplier(is_local=False, kecamatan="-", region="Kota Malang"), category="SERAGAM"
    )
    assert _entry(db, need, medium.id).priority_reason == "usaha menengah, bukan UMK"
    assert not _entry(db, need, medium.id).priority
    assert _entry(db, need, koperasi.id).priority
    outside_entry = _entry(db, need, outside.id)
    assert not outside_entry.priority
    assert outside_entry.distance is DistanceTier.OUTSIDE


def test_distance_tiers(db: Session, factory: Factory) -> None:
    need = _need(factory, region="Temas", category="ATK", required_certs=[])
    same_kecamatan = factory.offer(
        factory.supplier(region="Sisir", kecamatan="Batu"), category="ATK"
    )
    in_town = factory.offer(factory.supplier(region="Punten", kecamatan="Bumiaji"), category="ATK")
    assert _entry(db, need, same_kecamatan.id).distance is DistanceTier.SAME_KECAMATAN
    assert _entry(db, need, in_town.id).distance is DistanceTier.IN_TOWN


def test_ranking_eligible_first_then_score(db: Session, factory: Factory) -> None:
    need = _need(factory, category="ATK", required_certs=[], max_unit_price=10_000)
    cheap_far = factory.offer(
        factory.supplier(is_local=False, kecamatan="-", region="Kota Malang"),
        category="ATK",
        unit_price=7_000,
    )
    local = factory.offer(factory.supplier(region="Sisir"), category="ATK", unit_price=9_000)
    too_dear = factory.offer(factory.supplier(region="Sisir"), category="ATK", unit_price=11_000)
    order = [
        e.offer_id
        for e in shortlist_for_need(db, need, today=TODAY).entries
        if e.offer_id in {cheap_far.id, local.id, too_dear.id}
    ]
    assert order == [local.id, cheap_far.id, too_dear.id]


def test_rotation_and_delivery_record_from_orders(db: Session, factory: Factory) -> None:
    need = _need(factory, category="ATK", required_certs=[])
    supplier = factory.supplier()
    offer = factory.offer(supplier, category="ATK")
    for i, status in enumerate([OrderStatus.CLOSED, OrderStatus.APPROVED, OrderStatus.CANCELLED]):
        db.add(
            Order(
                code=f"PO-T-{factory._n()}-{i}",
                agency_id=need.agency_id,
                supplier_id=supplier.id,
                status=status,
                delivery_place="Sisir",
                delivery_date=TODAY - timedelta(days=5),
                approved_at=TODAY - timedelta(days=10),
                delivered_at=TODAY - timedelta(days=6) if status == OrderStatus.CLOSED else None,
            )
        )
    db.commit()
    entry = _entry(db, need, offer.id)
    assert entry.rotation_orders == 2  # the cancelled order does not count
    assert entry.record.orders == 1
    assert entry.record.on_time == 1
    parts = {p.name: p for p in entry.score_parts}
    assert parts["rotation"].points == -8.0
    assert parts["record"].points == 10.0


def test_pages_are_slices_of_the_full_ranking(db: Session, factory: Factory) -> None:
    need = _need(factory, category="ATK", required_certs=[], max_unit_price=10_000)
    for price in (6_000, 7_000, 8_000, 9_000, 11_000):
        factory.offer(factory.supplier(), category="ATK", unit_price=price)
    full = shortlist_for_need(db, need, today=TODAY)
    page = shortlist_for_need(db, need, today=TODAY, offset=1, limit=2)
    eligible = shortlist_for_need(db, need, today=TODAY, eligible_only=True)
    assert full.total == 5
    assert full.eligible_count == 4
    assert [e.offer_id for e in page.entries] == [e.offer_id for e in full.entries[1:3]]
    assert (page.total, page.eligible_count) == (5, 4)
    assert page.entries[0].explanation == full.entries[1].explanation
    assert eligible.total == 4
    assert all(e.eligible for e in eligible.entries)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_column_ranking_equals_the_rule_offer_by_offer(
    db: Session, factory: Factory, seed: int
) -> None:
    """The ranking computed column-wise over the category equals ranking every offer with the
    scalar rule and the scalar score, on a random catalogue with every kind of reason."""
    rng = random.Random(seed)
    need = _need(factory, quantity=60, max_unit_price=15_000, region="Temas")
    places = [("Sisir", "Batu", True), ("Temas", "Batu", True), ("Punten", "Bumiaji", True)]
    places.append(("Kota Malang", "-", False))
    for _ in range(40):
        region, kecamatan, is_local = rng.choice(places)
        certs = rng.choice([[], ["HALAL"], ["HALAL", "PIRT"], ["HALAL", "PIRT", "SLHS"]])
        supplier = factory.supplier(
            region=region,
            kecamatan=kecamatan,
            is_local=is_local,
            size_class=rng.choice(list(SizeClass)),
            is_koperasi=rng.random() < 0.2,
            status=rng.choice([VerificationStatus.VERIFIED] * 4 + [VerificationStatus.PENDING]),
            certs=certs,
        )
        if certs and rng.random() < 0.2:
            factory.certificate(
                supplier, type=CertificateType.SLHS, valid_until=TODAY - timedelta(1)
            )
        if "HALAL" in certs and rng.random() < 0.3:  # renewed: held twice, counts once
            factory.certificate(supplier, type=CertificateType.HALAL)
        offer = factory.offer(
            supplier,
            unit_price=rng.randrange(9_000, 17_000, 500),
            capacity=rng.choice([0, 5, 40, 80, 500]),
            min_order_qty=rng.choice([1, 10, 50, 70]),
            lead_time_days=rng.randint(0, 14),
            status=rng.choice([VerificationStatus.VERIFIED] * 5 + [VerificationStatus.PENDING]),
        )
        offer.reserved_quantity = rng.choice([0, 0, 0, 30])
        if rng.random() < 0.3:
            db.add(
                Order(
                    code=f"PO-R-{factory._n()}",
                    agency_id=need.agency_id,
                    supplier_id=supplier.id,
                    status=rng.choice([OrderStatus.CLOSED, OrderStatus.APPROVED]),
                    delivery_place="Sisir",
                    delivery_date=TODAY - timedelta(days=rng.randint(1, 30)),
                    approved_at=TODAY - timedelta(days=rng.randint(1, 60)),
                    delivered_at=TODAY - timedelta(days=rng.randint(1, 30)),
                )
            )
    db.commit()

    catalogue = load_catalogue(db, ["SNACK"], TODAY, verified_offers_only=False)
    records = delivery_records(db, "SNACK")
    rotations = rotation_counts(db, need.agency_id, TODAY - timedelta(days=90))
    need_model = need_to_model(need)
    expected = []
    for item in catalogue.entries:
        eligible = item.offer_verified and is_eligible(need_model, item.offer, item.supplier, TODAY)
        tier = distance_tier(
            item.supplier.region, item.supplier.kecamatan, item.supplier.is_local, need.region
        )
        total = score(
            item.offer.unit_price,
            need.max_unit_price,
            item.supplier.is_priority,
            tier,
            records.get(item.supplier_db_id, DeliveryRecord(0, 0, 0)),
            rotations.get(item.supplier_db_id, 0),
        )
        key = (not eligible, -total, item.offer.unit_price, item.offer.offer_id)
        expected.append((key, item.offer_db_id, eligible, total))
    expected.sort()

    shortlist = shortlist_for_need(db, need, today=TODAY)
    got = [(e.offer_id, e.eligible, e.score) for e in shortlist.entries]
    assert got == [(offer_id, eligible, total) for _, offer_id, eligible, total in expected]
    assert shortlist.eligible_count == sum(1 for *_, eligible, _ in expected if eligible)
    assert 0 < shortlist.eligible_count < shortlist.total  # both kinds present


def _capped_round(db: Session, factory: Factory, cap: int) -> tuple[Need, Offer, Offer, Plan]:
    """A completed round capped at ``cap`` rupiah per supplier: supplier A already holds a
    line of another need worth Rp1.000.000; supplier B holds nothing."""
    agency = factory.agency()
    need = _need(factory, agency_id=agency.id, category="ATK", required_certs=[], quantity=100)
    other = _need(factory, agency_id=agency.id, category="ATK", required_certs=[], quantity=100)
    held = factory.offer(factory.supplier(), category="ATK", unit_price=10_000, min_order_qty=5)
    free = factory.offer(factory.supplier(), category="ATK", unit_price=10_000, min_order_qty=5)
    plan = Plan(
        name="Putaran Desember",
        agency_id=None,
        status=PlanStatus.COMPLETED,
        plan_date=TODAY,
        max_supplier_value=cap,
        need_ids=[need.id, other.id],
    )
    db.add(plan)
    db.flush()
    for row, offer in ((other, held), (need, free)):
        db.add(
            PlanLine(
                plan_id=plan.id,
                need_id=row.id,
                offer_id=offer.id,
                supplier_id=offer.supplier_id,
                quantity=100,
                unit_price=offer.unit_price,
            )
        )
    db.commit()
    return need, held, free, plan


def test_supplier_cap_of_the_round_reached(db: Session, factory: Factory) -> None:
    need, held, free, _plan = _capped_round(db, factory, cap=1_040_000)
    capped = _entry(db, need, held.id)
    # Rp40.000 left: less than the minimum order of 5 x Rp10.000.
    assert not capped.eligible
    assert [r.code for r in capped.reasons] == ["SUPPLIER_CAP_REACHED"]
    assert capped.reasons[0].message == (
        "batas nilai per penyedia dalam rencana tercapai (sisa Rp40.000)"
    )
    # The need's own line does not count against its supplier: it is what would move.
    own = _entry(db, need, free.id)
    assert own.eligible
    assert own.can_fill == 100


def test_supplier_cap_limits_what_an_offer_can_fill(db: Session, factory: Factory) -> None:
    need, held, _free, _plan = _capped_round(db, factory, cap=1_600_000)
    entry = _entry(db, need, held.id)
    assert entry.eligible
    assert entry.can_fill == 60  # Rp600.000 of room at Rp10.000
    assert "hanya dapat memenuhi 60 dari 100" in entry.explanation


def test_declined_and_rejected_do_not_count_against_the_cap(db: Session, factory: Factory) -> None:
    need, held, _free, plan = _capped_round(db, factory, cap=1_040_000)
    line = next(pl for pl in plan.lines if pl.offer_id == held.id)
    line.status = PlanLineStatus.REJECTED
    db.commit()
    assert _entry(db, need, held.id).eligible
    line.status = PlanLineStatus.APPROVED
    order = Order(
        code=f"PO-C-{factory._n()}",
        agency_id=need.agency_id,
        supplier_id=held.supplier_id,
        plan_id=plan.id,
        status=OrderStatus.DECLINED,
        delivery_place="Sisir",
        delivery_date=TODAY + timedelta(days=7),
    )
    order.lines.append(
        OrderLine(
            need_id=line.need_id,
            offer_id=held.id,
            plan_line_id=line.id,
            description="ATK",
            unit="paket",
            quantity=100,
            unit_price=10_000,
        )
    )
    db.add(order)
    db.commit()
    # A declined order no longer carries the line, so the approved line counts again.
    assert not _entry(db, need, held.id).eligible
    order.status = OrderStatus.APPROVED
    db.commit()
    # Now the order carries it: counted once, not twice.
    assert [r.code for r in _entry(db, need, held.id).reasons] == ["SUPPLIER_CAP_REACHED"]
    assert "sisa Rp40.000" in _entry(db, need, held.id).reasons[0].message


def test_no_cap_outside_a_capped_round(db: Session, factory: Factory) -> None:
    need, held, _free, plan = _capped_round(db, factory, cap=1_040_000)
    plan.max_supplier_value = None
    db.commit()
    assert _entry(db, need, held.id).eligible
