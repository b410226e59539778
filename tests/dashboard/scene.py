"""A small hand-computed procurement history: 2 agencies, 3 suppliers of different classes,
orders in March and April 2026 (plus some that must not count), needs, certificates.

    S1 "UMKM Satu"       mikro,    local, kecamatan Batu     SNACK 10.000
    S2 "Koperasi Dua"    koperasi (size kecil), outside Kota Batu  BERAS 14.000
    S3 "=PT Tiga Besar"  besar,    local, kecamatan Junrejo  SNACK 30.000, BERAS 13.000

Realised orders approved in the period 2026-03-01..2026-04-30 (WIB), amount counted:

    O1  DIK-S1 closed    approved 2026-02-28 17:30Z (= 1 Mar WIB)  1.000.000 paid, deliv 3 Mar, paid 10 Mar (7 d)
    O2  DIK-S1 paid      5 Mar   ordered 500.000, received 40 -> 400.000, deliv 6 Mar, paid 26 Mar (20 d, late)
    O3  DIK-S1 approved  12 Mar  1.000.000
    O4  DIK-S1 accepted  20 Mar  1.000.000
    O5  DIK-S1 delivered 2 Apr   1.000.000, deliv 4 Apr, unpaid (overdue on 15 May)
    O6  DIK-S1 paid      10 Apr  1.000.000, deliv 12 Apr, paid 20 Apr (8 d)
    O7  DIK-S2 paid      15 Apr  2.800.000, deliv 16 Apr, paid 30 Apr (14 d, on target)
    O8  KES-S3 closed    10 Mar  SNACK 10 x 30.000 + BERAS 100 x 13.000 = 1.600.000, deliv 12 Mar, paid 19 Mar (7 d)
    O9  KES-S2 approved  20 Apr  35.000.000
    O10 KES-S2 approved  22 Apr  35.000.000, flagged split_suspected

Not counted: O11 cancelled (Mar), O12 approved 2026-04-30 17:30Z (= 1 May WIB), O13 draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from matcher.models import (
    Agency,
    CertificateType,
    Need,
    NeedStatus,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    SizeClass,
    Supplier,
    VerificationStatus,
)
from tests.factories import Factory

TODAY = date(2026, 5, 15)
SPLIT_MESSAGE = "Dugaan pemecahan paket: pesanan ini bersama SP-T-09 ke penyedia yang sama"


def at(day: date, hour: int = 3, minute: int = 0) -> datetime:
    """A UTC moment (03:00 UTC = 10:00 WIB, the same calendar day)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@dataclass
class Scene:
    dik: Agency
    kes: Agency
    s1: Supplier
    s2: Supplier
    s3: Supplier
    snack1: Offer
    beras2: Offer
    snack3: Offer
    beras3: Offer
    needs: dict[str, Need]
    orders: dict[str, Order]


def build_scene(db: Session, factory: Factory) -> Scene:
    dik = factory.agency(code="UJI-DIK", name="Dinas Pendidikan Uji", budget=900_000_000)
    kes = factory.agency(code="UJI-KES", name="Dinas Kesehatan Uji", budget=900_000_000)
    s1 = factory.supplier(
        code="UJI-S1", name="UMKM Satu", size_class=SizeClass.MIKRO, region="Sisir"
    )
    s2 = factory.supplier(
        code="UJI-S2",
        name="Koperasi Dua",
        size_class=SizeClass.KECIL,
        is_koperasi=True,
        is_local=False,
        region="Kepanjen",
        kecamatan="-",
    )
    s3 = factory.supplier(
        code="UJI-S3",
        name="=PT Tiga Besar",
        size_class=SizeClass.BESAR,
        region="Beji",
        kecamatan="Junrejo",
    )
    pending = factory.supplier(code="UJI-S4", name="UMKM Belum", status=VerificationStatus.PENDING)
    # Certificates: 30 days left (listed), 60 (listed, boundary), 61 (not), expired (not),
    # and one of an unverified supplier (not).
    factory.certificate(
        s1, type=CertificateType.PIRT, number="PIRT-1", valid_until=date(2026, 6, 14)
    )
    factory.certificate(s2, type=CertificateType.SNI, number="SNI-2", valid_until=date(2026, 7, 14))
    factory.certificate(s3, type=CertificateType.SNI, number="SNI-3", valid_until=date(2026, 7, 15))
    factory.certificate(
        s3, type=CertificateType.BPOM, number="BPOM-3", valid_until=date(2026, 5, 14)
    )
    factory.certificate(
        pending, type=CertificateType.PIRT, number="PIRT-4", valid_until=date(2026, 5, 25)
    )

    snack1 = factory.offer(
        s1, code="UJI-O-S1", category="SNACK", name="Snack box", unit_price=10_000
    )
    beras2 = factory.offer(
        s2, code="UJI-O-B2", category="BERAS", name="Beras medium", unit="kg", unit_price=14_000
    )
    snack3 = factory.offer(
        s3, code="UJI-O-S3", category="SNACK", name="Snack premium", unit_price=30_000
    )
    beras3 = factory.offer(
        s3, code="UJI-O-B3", category="BERAS", name="Beras premium", unit="kg", unit_price=13_000
    )

    def need(
        code: str,
        agency: Agency,
        category: str,
        quantity: int,
        hps: int,
        by: date,
        status: NeedStatus = NeedStatus.SUBMITTED,
        certs: list[str] | None = None,
    ) -> Need:
        row = Need(
            code=code,
            agency_id=agency.id,
            category=category,
            description=f"Kebutuhan {code}",
            quantity=quantity,
            unit="unit",
            max_unit_price=hps,
            required_certs=certs or [],
            needed_by=by,
            region="Sisir",
            status=status,
        )
        db.add(row)
        return row

    needs = {
        "N1": need("UJI-N1", dik, "SNACK", 600, 12_000, date(2026, 4, 30), NeedStatus.ORDERED),
        "N2": need("UJI-N2", dik, "BERAS", 200, 15_000, date(2026, 4, 20), NeedStatus.FULFILLED),
        "N3": need(
            "UJI-N3", kes, "SNACK", 10, 35_000, date(2026, 3, 15), NeedStatus.FULFILLED, ["HALAL"]
        ),
        "N4": need("UJI-N4", kes, "BERAS", 5_100, 14_000, date(2026, 4, 25), NeedStatus.ORDERED),
        "N5": need(
            "UJI-N5", kes, "NASI_KOTAK", 100, 25_000, date(2026, 4, 28), certs=["HALAL", "SLHS"]
        ),
        "N6": need("UJI-N6", dik, "SNACK", 50, 8_000, date(2026, 4, 10)),
        "N7": need("UJI-N7", dik, "SNACK", 70, 12_000, date(2026, 4, 10), NeedStatus.DRAFT),
        "N8": need("UJI-N8", dik, "SNACK", 80, 12_000, date(2026, 6, 10)),
        "N9": need("UJI-N9", kes, "SNACK", 20, 40_000, date(2026, 4, 5), certs=["HALAL"]),
    }
    db.flush()

    def order(
        code: str,
        agency: Agency,
        supplier: Supplier,
        status: OrderStatus,
        approved: datetime | None,
        lines: list[tuple[Need, Offer, int, int | None]],
        *,
        delivered: date | None = None,
        paid: date | None = None,
        flags: list[dict[str, Any]] | None = None,
    ) -> Order:
        order_lines = [
            OrderLine(
                need_id=n.id,
                offer_id=o.id,
                description=o.name,
                unit=o.unit,
                quantity=quantity,
                unit_price=o.unit_price,
                reserved_quantity=0,
                quantity_delivered=received,
                quantity_received=received,
            )
            for n, o, quantity, received in lines
        ]
        total = sum(line.quantity * line.unit_price for line in order_lines)
        paid_amount = (
            sum((line.quantity_received or 0) * line.unit_price for line in order_lines)
            if paid is not None
            else None
        )
        row = Order(
            code=code,
            agency_id=agency.id,
            supplier_id=supplier.id,
            status=status,
            delivery_place="Kantor",
            delivery_date=date(2026, 4, 30),
            total_amount=total,
            committed_amount=0,
            paid_amount=paid_amount,
            approved_at=approved,
            delivered_at=at(delivered) if delivered else None,
            received_at=at(delivered, 5) if delivered else None,
            payment_date=paid,
            paid_at=at(paid) if paid else None,
            flags=flags or [],
            lines=order_lines,
        )
        db.add(row)
        return row

    n = needs
    S = OrderStatus  # noqa: N806
    orders = {
        "O1": order(
            "SP-T-01",
            dik,
            s1,
            S.CLOSED,
            datetime(2026, 2, 28, 17, 30, tzinfo=UTC),
            [(n["N1"], snack1, 100, 100)],
            delivered=date(2026, 3, 3),
            paid=date(2026, 3, 10),
        ),
        "O2": order(
            "SP-T-02",
            dik,
            s1,
            S.PAID,
            at(date(2026, 3, 5)),
            [(n["N1"], snack1, 50, 40)],
            delivered=date(2026, 3, 6),
            paid=date(2026, 3, 26),
        ),
        "O3": order(
            "SP-T-03", dik, s1, S.APPROVED, at(date(2026, 3, 12)), [(n["N1"], snack1, 100, None)]
        ),
        "O4": order(
            "SP-T-04", dik, s1, S.ACCEPTED, at(date(2026, 3, 20)), [(n["N1"], snack1, 100, None)]
        ),
        "O5": order(
            "SP-T-05",
            dik,
            s1,
            S.DELIVERED,
            at(date(2026, 4, 2)),
            [(n["N1"], snack1, 100, 100)],
            delivered=date(2026, 4, 4),
        ),
        "O6": order(
            "SP-T-06",
            dik,
            s1,
            S.PAID,
            at(date(2026, 4, 10)),
            [(n["N1"], snack1, 100, 100)],
            delivered=date(2026, 4, 12),
            paid=date(2026, 4, 20),
        ),
        "O7": order(
            "SP-T-07",
            dik,
            s2,
            S.PAID,
            at(date(2026, 4, 15)),
            [(n["N2"], beras2, 200, 200)],
            delivered=date(2026, 4, 16),
            paid=date(2026, 4, 30),
        ),
        "O8": order(
            "SP-T-08",
            kes,
            s3,
            S.CLOSED,
            at(date(2026, 3, 10)),
            [(n["N3"], snack3, 10, 10), (n["N4"], beras3, 100, 100)],
            delivered=date(2026, 3, 12),
            paid=date(2026, 3, 19),
        ),
        "O9": order(
            "SP-T-09", kes, s2, S.APPROVED, at(date(2026, 4, 20)), [(n["N4"], beras2, 2_500, None)]
        ),
        "O10": order(
            "SP-T-10",
            kes,
            s2,
            S.APPROVED,
            at(date(2026, 4, 22)),
            [(n["N4"], beras2, 2_500, None)],
            flags=[{"code": "split_suspected", "message": SPLIT_MESSAGE}],
        ),
        "O11": order(
            "SP-T-11", kes, s1, S.CANCELLED, at(date(2026, 3, 15)), [(n["N6"], snack1, 50, None)]
        ),
        "O12": order(
            "SP-T-12",
            kes,
            s1,
            S.APPROVED,
            datetime(2026, 4, 30, 17, 30, tzinfo=UTC),
            [(n["N3"], snack1, 20, None)],
        ),
        "O13": order("SP-T-13", dik, s1, S.DRAFT, None, [(n["N6"], snack1, 50, None)]),
    }
    db.commit()
    return Scene(dik, kes, s1, s2, s3, snack1, beras2, snack3, beras3, needs, orders)
