"""The shortlist score: a sum of named parts an officer can read and an auditor can check.

Parts (points):
- price: up to 40 for a price below HPS (full at 30% below), 0 at or above HPS;
- priority: 25 for a local micro/small enterprise or koperasi (Perpres 12/2021 Ps. 65);
- distance: 15 same desa, 10 same kecamatan, 5 elsewhere in town, 0 outside;
- record: up to 10 from past orders (on-time rate minus complaint rate); 5 when no history;
- rotation: minus 4 per order from this agency in the rotation window, at most minus 20.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.geography import DistanceTier

PRICE_POINTS = 40.0
PRICE_FULL_DISCOUNT = 0.30
PRIORITY_POINTS = 25.0
DISTANCE_POINTS = {
    DistanceTier.SAME_DESA: 15.0,
    DistanceTier.SAME_KECAMATAN: 10.0,
    DistanceTier.IN_TOWN: 5.0,
    DistanceTier.OUTSIDE: 0.0,
}
RECORD_POINTS = 10.0
RECORD_NEUTRAL = 5.0
ROTATION_STEP = 4.0
ROTATION_FLOOR = -20.0


@dataclass(frozen=True)
class ScorePart:
    name: str
    label: str
    points: float
    note: str


@dataclass(frozen=True)
class DeliveryRecord:
    """A supplier's record from past orders: delivered orders, on time, complaints."""

    orders: int
    on_time: int
    complaints: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.orders if self.orders else None

    @property
    def complaint_rate(self) -> float | None:
        return self.complaints / self.orders if self.orders else None


def price_points(unit_price: int, hps: int) -> float:
    discount = (hps - unit_price) / hps if hps > 0 else 0.0
    return round(PRICE_POINTS * min(1.0, max(0.0, discount / PRICE_FULL_DISCOUNT)), 2)


def record_points(record: DeliveryRecord) -> float:
    if not record.orders:
        return RECORD_NEUTRAL
    on_time = record.on_time_rate or 0.0
    complaints = record.complaint_rate or 0.0
    return round(RECORD_POINTS * max(0.0, on_time - complaints), 2)


def rotation_points(orders_from_agency: int) -> float:
    return max(ROTATION_FLOOR, -ROTATION_STEP * orders_from_agency)


def score(
    unit_price: int,
    hps: int,
    is_priority: bool,
    tier: DistanceTier,
    record: DeliveryRecord,
    orders_from_agency: int,
) -> float:
    """The total of the parts below, computed without their explanations."""
    return combine(
        price_points(unit_price, hps),
        priority_points(is_priority),
        DISTANCE_POINTS[tier],
        record_points(record),
        rotation_points(orders_from_agency),
    )


def priority_points(is_priority: bool) -> float:
    return PRIORITY_POINTS if is_priority else 0.0


def combine(
    price: float, priority: float, distance: float, record: float, rotation: float
) -> float:
    """The score from its parts' points (one order of addition, one rounding)."""
    return round(price + priority + distance + record + rotation, 2)


def price_part(unit_price: int, hps: int) -> ScorePart:
    discount = (hps - unit_price) / hps if hps > 0 else 0.0
    if unit_price > hps:
        note = f"di atas HPS {(-discount) * 100:.1f}%"
    elif unit_price == hps:
        note = "sama dengan HPS"
    else:
        note = f"{discount * 100:.1f}% di bawah HPS"
    return ScorePart("price", "Harga", price_points(unit_price, hps), note)


def priority_part(is_priority: bool, reason: str) -> ScorePart:
    return ScorePart(
        "priority", "Prioritas UMK/koperasi lokal", priority_points(is_priority), reason
    )


def distance_part(tier: DistanceTier) -> ScorePart:
    return ScorePart("distance", "Jarak", DISTANCE_POINTS[tier], tier.label)


def record_part(record: DeliveryRecord) -> ScorePart:
    if not record.orders:
        return ScorePart("record", "Rekam jejak", RECORD_NEUTRAL, "belum ada riwayat pesanan")
    on_time = record.on_time_rate or 0.0
    note = (
        f"{record.orders} pesanan, {on_time * 100:.0f}% tepat waktu, {record.complaints} pengaduan"
    )
    return ScorePart("record", "Rekam jejak", record_points(record), note)


def rotation_part(orders_from_agency: int, window_days: int, limit: int) -> ScorePart:
    points = rotation_points(orders_from_agency)
    note = f"{orders_from_agency} pesanan dari dinas ini dalam {window_days} hari terakhir"
    if orders_from_agency >= limit:
        note += f" (melewati batas rotasi {limit})"
    return ScorePart("rotation", "Rotasi penyedia", points, note)
