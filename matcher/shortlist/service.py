"""The explained shortlist for one need: every offer in the need's category, ranked, each with
its eligibility (from ``matcher.optimizer.eligibility``, the one rule used by the optimiser and
the scenarios too), priority status, price against HPS, distance, delivery record, rotation,
a score whose parts are shown, and a one-line explanation in plain Indonesian."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.geography import DistanceTier, distance_tier
from matcher.models import Need, Offer
from matcher.models.orders import Complaint, ComplaintStatus, Order, OrderStatus
from matcher.optimizer import model as opt
from matcher.optimizer.eligibility import (
    Ineligibility,
    ReasonCode,
    eligible_mask,
    ineligibility_reasons,
)
from matcher.optimizer.model import is_priority_supplier
from matcher.planning.instance import (
    Catalogue,
    CatalogueColumns,
    CatalogueEntry,
    load_catalogue,
    load_catalogue_columns,
    need_to_model,
)
from matcher.policy import ProcurementPolicy, policy_on
from matcher.shortlist.caps import supplier_cap_for
from matcher.shortlist.scoring import (
    DISTANCE_POINTS,
    DeliveryRecord,
    ScorePart,
    combine,
    distance_part,
    price_part,
    price_points,
    priority_part,
    priority_points,
    record_part,
    record_points,
    rotation_part,
    rotation_points,
)

# Orders that count for rotation and capacity: the agency committed to them.
COMMITTED_STATUSES = frozenset(
    {
        OrderStatus.APPROVED,
        OrderStatus.ACCEPTED,
        OrderStatus.DELIVERED,
        OrderStatus.PAID,
        OrderStatus.CLOSED,
    }
)
DELIVERED_STATUSES = frozenset({OrderStatus.DELIVERED, OrderStatus.PAID, OrderStatus.CLOSED})
# The record of a supplier without delivered orders or complaints.
NO_RECORD = DeliveryRecord(0, 0, 0)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class ShortlistEntry:
    offer_id: int
    offer_code: str
    offer_name: str
    supplier_id: int
    supplier_code: str
    supplier_name: str
    size_class: str
    is_koperasi: bool
    kecamatan: str
    region: str
    unit: str
    unit_price: int
    hps: int
    price_difference: int  # unit_price - HPS (negative: below HPS)
    available_capacity: int
    min_order_qty: int
    lead_time_days: int
    earliest_delivery: date
    can_fill: int  # units of the need this offer alone could supply (0 when ineligible)
    eligible: bool
    reasons: list[Reason]
    priority: bool
    priority_reason: str
    distance: DistanceTier
    record: DeliveryRecord
    rotation_orders: int
    score: float
    score_parts: list[ScorePart]
    explanation: str


@dataclass(frozen=True)
class Shortlist:
    need_id: int
    need_code: str
    category: str
    quantity: int
    hps: int
    on: date
    entries: list[ShortlistEntry] = field(default_factory=list)
    # Offers ranked (all of the category, or the eligible ones when asked) and how many are
    # eligible; ``entries`` may be one page of them.
    total: int = 0
    eligible_count: int = 0


def priority_reason(supplier: opt.Supplier) -> str:
    """Why a supplier is (not) in the pasar sistemik target group, in plain Indonesian
    (the rule itself is ``opt.Supplier.is_priority``)."""
    if not supplier.verified:
        return "belum terverifikasi"
    if not supplier.is_local:
        return "bukan penyedia lokal"
    if supplier.is_koperasi:
        return "koperasi lokal"
    if supplier.size_class in ("mikro", "kecil"):
        return f"usaha {supplier.size_class} lokal"
    return f"usaha {supplier.size_class}, bukan UMK"


def _reasons(
    found: list[Ineligibility], expired_certs: frozenset[str], unverified_certs: frozenset[str]
) -> list[Reason]:
    reasons: list[Reason] = []
    for item in found:
        message = item.message
        if item.code is ReasonCode.CERTIFICATE_MISSING:
            notes = [f"sertifikat {c} kedaluwarsa" for c in sorted(item.certs & expired_certs)]
            notes += [
                f"sertifikat {c} belum diverifikasi tim pengelola"
                for c in sorted(item.certs & unverified_certs)
            ]
            if notes:
                message += f" ({'; '.join(notes)})"
        reasons.append(Reason(item.code.value, message))
    return reasons


def delivery_records(session: Session, category: str) -> dict[int, DeliveryRecord]:
    """Delivered orders, on-time deliveries and complaints (those not rejected by the tim
    pengelola) of the suppliers offering in a category; suppliers without history are absent
    (their record is all zeros)."""
    offering = select(Offer.supplier_id).where(Offer.category == category)
    delivered = session.execute(
        select(Order.supplier_id, Order.delivered_at, Order.delivery_date).where(
            Order.supplier_id.in_(offering), Order.status.in_(DELIVERED_STATUSES)
        )
    ).all()
    orders: Counter[int] = Counter()
    on_time: Counter[int] = Counter()
    for supplier_id, delivered_at, due in delivered:
        orders[supplier_id] += 1
        if delivered_at is not None and delivered_at.date() <= due:
            on_time[supplier_id] += 1
    complaints = dict(
        session.execute(
            select(Complaint.supplier_id, func.count())
            .where(
                Complaint.supplier_id.in_(offering),
                Complaint.status != ComplaintStatus.REJECTED,
            )
            .group_by(Complaint.supplier_id)
        ).all()
    )
    return {
        sid: DeliveryRecord(orders[sid], on_time[sid], int(complaints.get(sid, 0)))
        for sid in set(orders) | set(complaints)
    }


def rotation_counts(session: Session, agency_id: int, since: date) -> dict[int, int]:
    """Orders each supplier got from this agency since a day (approved or later)."""
    rows = session.execute(
        select(Order.supplier_id, func.count())
        .where(
            Order.agency_id == agency_id,
            Order.status.in_(COMMITTED_STATUSES),
            Order.approved_at >= since,
        )
        .group_by(Order.supplier_id)
    ).all()
    return {sid: int(count) for sid, count in rows}


def _explain(
    entry_eligible: bool,
    reasons: list[Reason],
    parts: list[ScorePart],
    priority: str,
    tier: DistanceTier,
    can_fill: int,
    quantity: int,
) -> str:
    if not entry_eligible:
        return "Tidak memenuhi syarat: " + "; ".join(r.message for r in reasons) + "."
    price = next(p for p in parts if p.name == "price")
    text = f"Memenuhi syarat; harga {price.note}, {priority}, {tier.label}"
    if can_fill < quantity:
        text += f"; hanya dapat memenuhi {can_fill} dari {quantity}"
    return text + "."


@dataclass(frozen=True)
class _Ranked:
    """One ranked offer on the returned page, before its explanation is written."""

    item: CatalogueEntry
    found: list[Ineligibility]
    tier: DistanceTier
    record: DeliveryRecord
    rotation: int
    score: float
    # Rupiah the supplier may still receive under the round's cap (None: no cap).
    cap_room: int | None


def _ranking_scores(
    columns: CatalogueColumns,
    hps: int,
    delivery_desa: str,
    records: dict[int, DeliveryRecord],
    rotations: dict[int, int],
) -> tuple[list[float], list[DistanceTier]]:
    """The score of every offer of the category, equal to :func:`scoring.score` offer by
    offer: each part is computed once per distinct input (prices, places, suppliers) and the
    parts are added in the same order, so the floats are the same."""
    eligibility = columns.eligibility
    price_memo: dict[int, float] = {}
    place_memo: dict[tuple[str, str, bool], DistanceTier] = {}
    priority_memo: dict[tuple[bool, bool, str, bool], float] = {}
    supplier_memo: dict[int, tuple[float, float]] = {}
    scores: list[float] = []
    tiers: list[DistanceTier] = []
    for i, (price, supplier_id, verified) in enumerate(
        zip(
            eligibility.unit_price.tolist(),
            columns.supplier_db_id.tolist(),
            eligibility.supplier_verified.tolist(),
            strict=True,
        )
    ):
        price_pts = price_memo.get(price)
        if price_pts is None:
            price_pts = price_memo[price] = price_points(price, hps)
        place = (columns.region[i], columns.kecamatan[i], columns.is_local[i])
        tier = place_memo.get(place)
        if tier is None:
            tier = place_memo[place] = distance_tier(*place, delivery_desa)
        group = (verified, columns.is_local[i], columns.size_class[i], columns.is_koperasi[i])
        priority_pts = priority_memo.get(group)
        if priority_pts is None:
            priority_pts = priority_memo[group] = priority_points(
                is_priority_supplier(
                    verified=group[0], is_local=group[1], size_class=group[2], is_koperasi=group[3]
                )
            )
        history = supplier_memo.get(supplier_id)
        if history is None:
            history = supplier_memo[supplier_id] = (
                record_points(records.get(supplier_id, NO_RECORD)),
                rotation_points(rotations.get(supplier_id, 0)),
            )
        scores.append(
            combine(price_pts, priority_pts, DISTANCE_POINTS[tier], history[0], history[1])
        )
        tiers.append(tier)
    return scores, tiers


def shortlist_for_need(
    session: Session,
    need: Need,
    *,
    today: date,
    policy: ProcurementPolicy | None = None,
    offset: int = 0,
    limit: int | None = None,
    eligible_only: bool = False,
) -> Shortlist:
    """Every active offer in the need's category (pending ones too, explained as unverified;
    rejected ones are left out), ranked: eligible first, then by score, then by price and code
    (deterministic). All offers are scored and ranked column-wise (the eligibility rule
    vectorised, :func:`matcher.optimizer.eligibility.eligible_mask`); ``offset``/``limit``
    choose which ranked entries are read in full, explained (:func:`ineligibility_reasons`,
    the same rule offer by offer) and returned (all by default)."""
    policy = policy or policy_on(today)
    columns = load_catalogue_columns(session, need.category, today, verified_offers_only=False)
    records = delivery_records(session, need.category)
    rotations = rotation_counts(
        session, need.agency_id, today - timedelta(days=policy.rotation_window_days)
    )
    need_model = need_to_model(need)
    eligible = eligible_mask(need_model, columns.eligibility, today) & columns.offer_verified
    cap = supplier_cap_for(session, need)
    room: list[int] | None = None
    over_cap: list[bool] = [False] * len(columns)
    if cap is not None:
        # The supplier cannot take even the offer's minimum order within the round's cap.
        room = [cap.room(sid) for sid in columns.supplier_db_id.tolist()]
        smallest_order = np.maximum(columns.eligibility.min_order_qty, 1) * (
            columns.eligibility.unit_price
        )
        blocked = np.array(room, dtype=np.int64) < smallest_order
        eligible &= ~blocked
        over_cap = blocked.tolist()
    scores, tiers = _ranking_scores(columns, need.max_unit_price, need.region, records, rotations)
    # Rows come in offer-code order, so the position breaks the last ties as the code would.
    order = np.lexsort(
        (
            np.arange(len(columns)),
            columns.eligibility.unit_price,
            -np.array(scores, dtype=np.float64),
            ~eligible,
        )
    )
    if eligible_only:
        order = order[eligible[order]]
    chosen = order[offset : None if limit is None else offset + limit].tolist()
    page_ids = [int(columns.offer_db_id[i]) for i in chosen]
    catalogue = load_catalogue(
        session, [need.category], today, verified_offers_only=False, offer_ids=page_ids
    )
    by_id = {entry.offer_db_id: entry for entry in catalogue.entries}
    entries: list[ShortlistEntry] = []
    for i in chosen:
        item = by_id.get(int(columns.offer_db_id[i]))
        if item is None:  # withdrawn between the two reads (PostgreSQL, read committed)
            continue
        found = ineligibility_reasons(need_model, item.offer, item.supplier, today)
        if not item.offer_verified and item.supplier.verified:
            found = [Ineligibility(ReasonCode.UNVERIFIED), *found]
        offer_room = None if room is None else room[i]
        if offer_room is not None and over_cap[i]:
            found.append(Ineligibility(ReasonCode.SUPPLIER_CAP_REACHED, amount=offer_room))
        ranked = _Ranked(
            item,
            found,
            tiers[i],
            records.get(item.supplier_db_id, NO_RECORD),
            rotations.get(item.supplier_db_id, 0),
            scores[i],
            offer_room,
        )
        entries.append(_explained(ranked, need, today, policy, catalogue))
    return Shortlist(
        need_id=need.id,
        need_code=need.code,
        category=need.category,
        quantity=need.quantity,
        hps=need.max_unit_price,
        on=today,
        entries=entries,
        total=int(order.shape[0]),
        eligible_count=int(eligible.sum()),
    )


def _explained(
    ranked: _Ranked, need: Need, today: date, policy: ProcurementPolicy, catalogue: Catalogue
) -> ShortlistEntry:
    item = ranked.item
    supplier, offer = item.supplier, item.offer
    reasons = _reasons(
        ranked.found,
        catalogue.expired_certs.get(item.supplier_db_id, frozenset()),
        catalogue.unverified_certs.get(item.supplier_db_id, frozenset()),
    )
    eligible = not reasons
    prio_reason = priority_reason(supplier)
    parts = [
        price_part(offer.unit_price, need.max_unit_price),
        priority_part(supplier.is_priority, prio_reason),
        distance_part(ranked.tier),
        record_part(ranked.record),
        rotation_part(ranked.rotation, policy.rotation_window_days, policy.rotation_limit),
    ]
    can_fill = min(need.quantity, offer.capacity) if eligible else 0
    if eligible and ranked.cap_room is not None:
        can_fill = min(can_fill, ranked.cap_room // offer.unit_price)
    return ShortlistEntry(
        offer_id=item.offer_db_id,
        offer_code=offer.offer_id,
        offer_name=offer.name,
        supplier_id=item.supplier_db_id,
        supplier_code=supplier.supplier_id,
        supplier_name=supplier.name,
        size_class=supplier.size_class,
        is_koperasi=supplier.is_koperasi,
        kecamatan=supplier.kecamatan,
        region=supplier.region,
        unit=offer.unit,
        unit_price=offer.unit_price,
        hps=need.max_unit_price,
        price_difference=offer.unit_price - need.max_unit_price,
        available_capacity=offer.capacity,
        min_order_qty=offer.min_order_qty,
        lead_time_days=offer.lead_time_days,
        earliest_delivery=today + timedelta(days=offer.lead_time_days),
        can_fill=can_fill,
        eligible=eligible,
        reasons=reasons,
        priority=supplier.is_priority,
        priority_reason=prio_reason,
        distance=ranked.tier,
        record=ranked.record,
        rotation_orders=ranked.rotation,
        score=ranked.score,
        score_parts=parts,
        explanation=_explain(
            eligible, reasons, parts, prio_reason, ranked.tier, can_fill, need.quantity
        ),
    )
