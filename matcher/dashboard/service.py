"""The Dinas dashboard of realised local spending, computed from the database for a period.

Definitions (the web pages, the six-monthly report and the tests all use these; nothing is
rounded here, the pages round for display only):

**Day of a moment.** Timestamps are stored in UTC; the day of a moment is its calendar day in
Indonesian Western Time (``settings.timezone``, Asia/Jakarta).

**Realised order of a period.** An order whose status is approved, accepted, delivered, paid
or closed (``REALISED_STATUSES``: the agency committed the money; drafts, declined and
cancelled orders never count) and whose approval day (``approved_at`` in WIB) lies in the
period, both ends included. With ``agency_id``, only that agency's orders.

**Amount of a realised order (rupiah).** ``paid_amount`` once the order is paid or closed (what
was actually paid: the units received times their price), otherwise ``total_amount`` (the
value committed on approval). By category, a line counts ``quantity_received x unit_price``
in a paid or closed order and ``quantity x unit_price`` otherwise, in the category of its
offer; the order service sets ``paid_amount`` to the sum of the received line amounts, so the
categories add up to the total.

**UMK.** A supplier whose size class is mikro or kecil (PP 7/2021 Ps. 35), or any koperasi
whatever its size: the group the 40% target is for (UU 11/2020 Ps. 97; PP 7/2021; Perpres
12/2021 Ps. 65). **Local**: ``Supplier.is_local`` (domiciled in Kota Batu). Supplier
attributes are read as they are now (no history).

**Shares** are fractions 0..1: ``umk_spend / spend`` and ``local_spend / spend``, 0.0 when
there is no spending. ``target_share`` is ``ProcurementPolicy.umk_share_target`` (0.40).

**Breakdowns** (``by_agency``, ``by_category``, ``by_kecamatan``, ``by_size_class``): one
:class:`BreakdownRow` per group with spending, sorted by spend descending then key. Agency
key: agency code; category key: taxonomy code (label: its Indonesian name); kecamatan key:
the supplier's kecamatan, ``"-"`` for suppliers outside Kota Batu (label "Luar Kota Batu");
size class key: ``"koperasi"`` for every koperasi, else the size class (mikro, kecil,
menengah, besar), so the rows partition the total and mikro + kecil + koperasi = UMK.
``orders`` counts the distinct orders with spending in the group (an order with lines in two
categories counts in both).

**Monthly**: one :class:`MonthRow` per calendar month overlapping the period, in order,
months without spending included (zeros).

**Suppliers and concentration.** ``suppliers``: every supplier with realised orders, by spend
descending then code; ``top_suppliers`` the first ten; ``top10_share`` their spend over the
total. ``herfindahl`` is the Herfindahl-Hirschman index over suppliers on the 0..10 000 scale:
the sum of squared percentage shares (10 000: one supplier takes everything; below 1 500
unconcentrated, 1 500-2 500 moderately, above 2 500 highly concentrated, as in the US
DoJ/FTC merger guidelines); 0.0 without spending. ``distinct_umk_suppliers``: UMK suppliers
with at least one realised order.

**Unmet demand** (``unmet_by_category``). The period's needs are the needs (of the agency,
when given) whose ``needed_by`` lies in the period and whose status is submitted, planned,
ordered or fulfilled. A need's unmet quantity is its quantity less the quantities of all its
lines in realised orders (any approval day), at least 0; ``unmet_value`` is that times the
need's HPS. A need has *no eligible local supplier* when no active, verified offer of a
verified local supplier in its category passes THE eligibility rule
(``matcher.optimizer.eligibility``) with certificates judged on the need's ``needed_by`` (THE
certificate rule, ``Certificate.counts_on``: verified and not expired), the offer's full
capacity, and lead time left out (it depends on when one asks, not on the
supplier). The reasons of such a need are the distinct reasons the local offers fail
("sertifikat HALAL" per missing certificate, "harga di atas HPS", ...) or "tidak ada penyedia
lokal terverifikasi"; ``main_reason`` is the reason most needs of the category share (ties:
alphabetical). Rows: categories with needs, by ``no_local_value`` then ``unmet_value``
descending, then code.

**Expiring certificates**: verified certificates (the ones that count) of verified suppliers
whose ``valid_until`` is between
``today`` and ``today + certificate_warning_days`` inclusive, catalogue-wide (not filtered by
period or agency), by days left then supplier code.

**Payment speed** per agency, over the period's realised orders: an order with a delivery
(``delivered_at``) and a ``payment_date`` took ``payment_date - day(delivered_at)`` days; it is
late when that exceeds ``payment_target_days`` (14). ``median_days``/``average_days`` are over
those orders (None when there are none). ``unpaid_overdue`` counts delivered orders not yet
paid whose delivery day is more than the target before ``today``. ``payment_overall`` is the
same over all agencies shown.

**Integrity flags** (``integrity_flags``), sorted by kind (rotation, split, price), agency,
supplier, first order code:

- ``rotation``: an agency ordered from the same supplier more than ``rotation_limit`` (5) times
  within ``rotation_window_days`` (90) - counting realised orders approved up to that many days
  before the period - with at least one of those orders in the period; one flag per pair, with
  the largest count in any window ending on an order of the period and that window's orders.
- ``split``: realised orders of the period carrying the ``split_suspected`` flag raised by the
  order rules on approval (``matcher.orders.rules``: same agency and supplier, each under a
  threshold, together above it); one flag per order, with the rule's message.
- ``price``: order lines whose unit price is more than ``price_outlier_ratio`` (1.5) times the
  median unit price of the realised lines of the same category in the period (all agencies:
  the market's median, needing at least ``price_min_lines`` (3) lines); one flag per line.
"""

from __future__ import annotations

import calendar
import json
import statistics
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session, selectinload

from matcher.catalog.taxonomy import load_taxonomy
from matcher.clock import MONTH_NAMES, tanggal
from matcher.config import get_settings
from matcher.errors import FieldError, InvalidInput
from matcher.models import (
    Agency,
    Certificate,
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
from matcher.money import format_rupiah
from matcher.optimizer import model as opt
from matcher.optimizer.eligibility import ReasonCode, ineligibility_reasons
from matcher.planning.instance import need_to_model
from matcher.policy import ProcurementPolicy, policy_on

REALISED_STATUSES = frozenset(
    {
        OrderStatus.APPROVED,
        OrderStatus.ACCEPTED,
        OrderStatus.DELIVERED,
        OrderStatus.PAID,
        OrderStatus.CLOSED,
    }
)
PAID_STATUSES = frozenset({OrderStatus.PAID, OrderStatus.CLOSED})
DEMAND_STATUSES = frozenset(
    {NeedStatus.SUBMITTED, NeedStatus.PLANNED, NeedStatus.ORDERED, NeedStatus.FULFILLED}
)
UMK_SIZE_CLASSES = frozenset({SizeClass.MIKRO, SizeClass.KECIL})
OUTSIDE_KECAMATAN = "-"
OUTSIDE_LABEL = "Luar Kota Batu"
NO_LOCAL_SUPPLIER = "tidak ada penyedia lokal terverifikasi"
SIZE_CLASS_LABELS = {
    "mikro": "Usaha mikro",
    "kecil": "Usaha kecil",
    "menengah": "Usaha menengah",
    "besar": "Usaha besar",
    "koperasi": "Koperasi",
}
FLAG_KINDS = ("rotation", "split", "price")
SPLIT_FLAG = "split_suspected"


# --- the period -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Calendar days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(
                f"Akhir periode {self.end.isoformat()} sebelum awalnya {self.start.isoformat()}",
                errors=[FieldError(("query", "end"), "sebelum awal periode")],
            )

    @classmethod
    def semester(cls, year: int, half: int) -> Period:
        """Semester I (January-June) or II (July-December) of a year."""
        if half not in (1, 2):
            raise InvalidInput(
                f"Semester harus 1 atau 2, bukan {half}",
                errors=[FieldError(("query", "half"), "harus 1 atau 2")],
            )
        if half == 1:
            return cls(date(year, 1, 1), date(year, 6, 30))
        return cls(date(year, 7, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def parse(cls, start: str | date, end: str | date) -> Period:
        """From ISO dates (``2026-01-01``) or dates; 422 naming the field when unreadable."""

        def one(value: str | date, name: str) -> date:
            if isinstance(value, date):
                return value
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise InvalidInput(
                    f"Tanggal {name} tidak valid: {value!r} (format YYYY-MM-DD)",
                    errors=[FieldError(("query", name), "format tanggal YYYY-MM-DD")],
                ) from None

        return cls(one(start, "start"), one(end, "end"))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        for half in (1, 2):
            if self == Period.semester(self.start.year, half):
                return f"Semester {'I' if half == 1 else 'II'} {self.start.year}"
        return f"{tanggal(self.start)} s.d. {tanggal(self.end)}"

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every calendar month overlapping the period, in order."""
        months: list[tuple[int, int]] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


# --- result rows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    spend: int
    umk_spend: int
    umk_share: float
    local_spend: int
    local_share: float
    orders: int


@dataclass(frozen=True)
class MonthRow:
    month: str  # "2026-01"
    label: str  # "Januari 2026"
    spend: int
    umk_spend: int
    umk_share: float
    local_spend: int
    local_share: float
    orders: int


@dataclass(frozen=True)
class SupplierRow:
    supplier_id: int
    code: str
    name: str
    size_class: str
    is_koperasi: bool
    is_umk: bool
    is_local: bool
    kecamatan: str
    spend: int
    share: float
    orders: int


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    needs: int


@dataclass(frozen=True)
class UnmetRow:
    category: str
    label: str
    needs: int
    needs_value: int  # quantity x HPS of the period's needs
    unmet_needs: int
    unmet_value: int
    no_local_supplier: int  # needs with no eligible local supplier
    no_local_value: int
    main_reason: str | None
    reasons: list[ReasonCount]


@dataclass(frozen=True)
class ExpiringCertificate:
    supplier_id: int
    supplier_code: str
    supplier_name: str
    kecamatan: str
    type: str
    number: str
    valid_until: date
    days_left: int


@dataclass(frozen=True)
class PaymentRow:
    key: str  # agency code; "*" for the overall row
    label: str
    paid_orders: int
    median_days: float | None
    average_days: float | None
    max_days: int | None
    late_payments: int
    late_share: float  # late / paid orders; 0.0 without paid orders
    unpaid_overdue: int


@dataclass(frozen=True)
class IntegrityFlag:
    kind: str  # rotation | split | price
    agency_id: int
    agency: str
    supplier_id: int
    supplier: str
    order_codes: list[str]
    detail: str
    value: float  # rotation: orders in the window; split: the order's rupiah; price: ratio


@dataclass(frozen=True)
class Dashboard:
    period: Period
    agency_id: int | None
    today: date
    target_share: float
    total_spend: int
    umk_spend: int
    umk_share: float
    local_spend: int
    local_share: float
    local_umk_spend: int  # UMK and local: the pasar sistemik target group
    local_umk_share: float
    meets_target: bool  # umk_share >= target_share
    paid_spend: int  # amount of the realised orders paid or closed
    orders: int
    distinct_suppliers: int
    distinct_umk_suppliers: int
    by_agency: list[BreakdownRow]
    by_category: list[BreakdownRow]
    by_kecamatan: list[BreakdownRow]
    by_size_class: list[BreakdownRow]
    monthly: list[MonthRow]
    suppliers: list[SupplierRow]
    top_suppliers: list[SupplierRow]
    top10_share: float
    herfindahl: float
    unmet_by_category: list[UnmetRow]
    expiring_certificates: list[ExpiringCertificate]
    payment_speed: list[PaymentRow]
    payment_overall: PaymentRow
    payment_target_days: int
    integrity_flags: list[IntegrityFlag]


# --- helpers --------------------------------------------------------------------------------


def share(part: int | float, whole: int | float) -> float:
    return part / whole if whole else 0.0


def is_umk(size_class: SizeClass | str, is_koperasi: bool) -> bool:
    return is_koperasi or SizeClass(size_class) in UMK_SIZE_CLASSES


def _zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def local_day(moment: datetime) -> date:
    """The WIB calendar day of a stored moment (SQLite gives naive UTC back)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(_zone()).date()


def day_start_utc(day: date) -> datetime:
    """00:00 WIB of a day, in UTC: the inclusive lower bound of that day's moments."""
    return datetime.combine(day, time(0), tzinfo=_zone()).astimezone(UTC)


@dataclass
class _Acc:
    spend: int = 0
    umk: int = 0
    local: int = 0
    orders: set[int] = field(default_factory=set)

    def add(self, amount: int, order_id: int, umk: bool, local: bool) -> None:
        self.spend += amount
        if umk:
            self.umk += amount
        if local:
            self.local += amount
        self.orders.add(order_id)

    def row(self, key: str, label: str) -> BreakdownRow:
        return BreakdownRow(
            key=key,
            label=label,
            spend=self.spend,
            umk_spend=self.umk,
            umk_share=share(self.umk, self.spend),
            local_spend=self.local,
            local_share=share(self.local, self.spend),
            orders=len(self.orders),
        )


def _rows(accs: dict[str, _Acc], labels: dict[str, str]) -> list[BreakdownRow]:
    rows = [acc.row(key, labels.get(key, key)) for key, acc in accs.items()]
    rows.sort(key=lambda r: (-r.spend, r.key))
    return rows


@dataclass(slots=True)  # many per dashboard: plain slots build fastest
class _Order:
    id: int
    code: str
    agency_id: int
    supplier_id: int
    status: OrderStatus
    amount: int
    approved_day: date
    delivered_day: date | None
    payment_date: date | None
    flags: list[dict[str, Any]]


@dataclass(frozen=True)
class _Supplier:
    id: int
    code: str
    name: str
    size_class: str
    is_koperasi: bool
    is_local: bool
    kecamatan: str
    umk: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "umk", is_umk(self.size_class, self.is_koperasi))

    @property
    def group(self) -> str:
        return "koperasi" if self.is_koperasi else self.size_class


def _realised_between(start: date, end: date, agency_id: int | None) -> list[Any]:
    """SQL conditions on orders: realised, approved from a day before ``start`` to a day
    after ``end`` in UTC (the WIB day is checked on the rows)."""
    conditions: list[Any] = [
        Order.status.in_(REALISED_STATUSES),
        Order.approved_at >= day_start_utc(start) - timedelta(days=1),
        Order.approved_at < day_start_utc(end + timedelta(days=1)) + timedelta(days=1),
    ]
    if agency_id is not None:
        conditions.append(Order.agency_id == agency_id)
    return conditions


def _orders(session: Session, start: date, end: date, agency_id: int | None) -> list[_Order]:
    """Realised orders approved from ``start`` to ``end`` (WIB days), with their amounts."""
    statement = select(
        Order.id,
        Order.code,
        Order.agency_id,
        Order.supplier_id,
        Order.status,
        Order.total_amount,
        Order.paid_amount,
        Order.approved_at,
        Order.delivered_at,
        Order.payment_date,
        # As text: only orders that may carry the split flag are decoded (most carry none).
        cast(Order.flags, Text).label("flags"),
    ).where(*_realised_between(start, end, agency_id))
    result: list[_Order] = []
    for row in session.execute(statement.order_by(Order.id)):
        approved = local_day(row.approved_at)
        if not start <= approved <= end:
            continue
        paid = row.status in PAID_STATUSES
        result.append(
            _Order(
                id=row.id,
                code=row.code,
                agency_id=row.agency_id,
                supplier_id=row.supplier_id,
                status=row.status,
                amount=int(row.paid_amount or 0) if paid else int(row.total_amount),
                approved_day=approved,
                delivered_day=local_day(row.delivered_at) if row.delivered_at else None,
                payment_date=row.payment_date,
                flags=_split_flags_of(row.flags),
            )
        )
    return result


def _split_flags_of(text: str | None) -> list[dict[str, Any]]:
    """The order's policy flags that the dashboard reads (``split_suspected``)."""
    if not text or SPLIT_FLAG not in text:
        return []
    return [f for f in json.loads(text) or [] if f.get("code") == SPLIT_FLAG]


@dataclass(slots=True)  # many per dashboard: plain slots build fastest
class _Line:
    id: int
    order_id: int
    need_id: int
    category: str
    description: str
    unit_price: int
    amount: int


def _lines(
    session: Session, orders: dict[int, _Order], start: date, end: date, agency_id: int | None
) -> list[_Line]:
    """The lines of ``orders`` (the realised orders of ``start``..``end`` and the agency),
    selected with the same conditions rather than a list of ids."""
    lines: list[_Line] = []
    statement = (
        select(
            OrderLine.id,
            OrderLine.order_id,
            OrderLine.need_id,
            Offer.category,
            OrderLine.description,
            OrderLine.quantity,
            OrderLine.quantity_received,
            OrderLine.unit_price,
        )
        .join(Offer, Offer.id == OrderLine.offer_id)
        .where(
            OrderLine.order_id.in_(
                select(Order.id).where(*_realised_between(start, end, agency_id))
            )
        )
        .order_by(OrderLine.id)
    )
    for row in session.execute(statement):
        order = orders.get(row.order_id)
        if order is None:  # approved on a day just outside (or committed since)
            continue
        paid = order.status in PAID_STATUSES
        quantity = (row.quantity_received or 0) if paid else row.quantity
        lines.append(
            _Line(
                id=row.id,
                order_id=row.order_id,
                need_id=row.need_id,
                category=row.category,
                description=row.description,
                unit_price=int(row.unit_price),
                amount=int(quantity) * int(row.unit_price),
            )
        )
    return lines


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _suppliers(session: Session, ids: Iterable[int]) -> dict[int, _Supplier]:
    found: dict[int, _Supplier] = {}
    for chunk in _chunks(sorted(set(ids)), 500):
        for s in session.execute(
            select(
                Supplier.id,
                Supplier.code,
                Supplier.name,
                Supplier.size_class,
                Supplier.is_koperasi,
                Supplier.is_local,
                Supplier.kecamatan,
            ).where(Supplier.id.in_(chunk))
        ):
            found[s.id] = _Supplier(
                id=s.id,
                code=s.code,
                name=s.name,
                size_class=SizeClass(s.size_class).value,
                is_koperasi=bool(s.is_koperasi),
                is_local=bool(s.is_local),
                kecamatan=s.kecamatan,
            )
    return found


def _agencies(session: Session) -> dict[int, tuple[str, str]]:
    return {
        a.id: (a.code, a.name) for a in session.execute(select(Agency.id, Agency.code, Agency.name))
    }


# --- sections -------------------------------------------------------------------------------


def _monthly(
    period: Period, orders: list[_Order], suppliers: dict[int, _Supplier]
) -> list[MonthRow]:
    accs: dict[tuple[int, int], _Acc] = {ym: _Acc() for ym in period.months()}
    for order in orders:
        s = suppliers[order.supplier_id]
        accs[(order.approved_day.year, order.approved_day.month)].add(
            order.amount, order.id, s.umk, s.is_local
        )
    return [
        MonthRow(
            month=f"{year:04d}-{month:02d}",
            label=f"{MONTH_NAMES[month - 1]} {year}",
            spend=acc.spend,
            umk_spend=acc.umk,
            umk_share=share(acc.umk, acc.spend),
            local_spend=acc.local,
            local_share=share(acc.local, acc.spend),
            orders=len(acc.orders),
        )
        for (year, month), acc in accs.items()
    ]


def _supplier_rows(
    orders: list[_Order], suppliers: dict[int, _Supplier], total: int
) -> list[SupplierRow]:
    spend: Counter[int] = Counter()
    count: Counter[int] = Counter()
    for order in orders:
        spend[order.supplier_id] += order.amount
        count[order.supplier_id] += 1
    rows = [
        SupplierRow(
            supplier_id=s.id,
            code=s.code,
            name=s.name,
            size_class=s.size_class,
            is_koperasi=s.is_koperasi,
            is_umk=s.umk,
            is_local=s.is_local,
            kecamatan=s.kecamatan,
            spend=spend[sid],
            share=share(spend[sid], total),
            orders=count[sid],
        )
        for sid, s in suppliers.items()
        if count[sid]
    ]
    rows.sort(key=lambda r: (-r.spend, r.code))
    return rows


def herfindahl_index(amounts: Iterable[int]) -> float:
    """Sum of squared percentage shares, 0..10 000; 0.0 when nothing was spent."""
    values = [a for a in amounts if a > 0]
    total = sum(values)
    if not total:
        return 0.0
    return sum((100.0 * a / total) ** 2 for a in values)


def _cert_reason(code: str) -> str:
    return f"sertifikat {code}"


_REASON_LABELS = {
    ReasonCode.UNVERIFIED: "penyedia belum terverifikasi",
    ReasonCode.PRICE_ABOVE_HPS: "harga di atas HPS",
    ReasonCode.MIN_ORDER_ABOVE_QUANTITY: "minimal order melebihi kebutuhan",
    ReasonCode.MIN_ORDER_ABOVE_CAPACITY: "minimal order melebihi kapasitas",
    ReasonCode.NO_CAPACITY: "kapasitas nol",
    ReasonCode.CATEGORY_MISMATCH: "kategori berbeda",
}


@dataclass
class _Cat:
    needs: int = 0
    needs_value: int = 0
    unmet_needs: int = 0
    unmet_value: int = 0
    no_local: int = 0
    no_local_value: int = 0
    reasons: Counter[str] = field(default_factory=Counter)


@dataclass
class _LocalSupplier:
    """A verified local supplier with its certificates' expiry dates, so that its optimiser
    view on any day (certificates valid that day) is cheap to build and cached per day."""

    model: opt.Supplier
    certificates: list[tuple[str, date | None]]
    by_day: dict[date, opt.Supplier] = field(default_factory=dict)

    def on(self, day: date) -> opt.Supplier:
        model = self.by_day.get(day)
        if model is None:
            certs = frozenset(t for t, until in self.certificates if until is None or until >= day)
            model = self.by_day[day] = replace(self.model, certs=certs)
        return model


def _local_offers(
    session: Session, categories: list[str]
) -> dict[str, list[tuple[opt.Offer, _LocalSupplier]]]:
    """Active, verified offers of verified local suppliers, by category, read as plain rows;
    capacity is the offer's full capacity (what could serve the demand at all)."""
    connection = session.connection()
    rows = connection.execute(
        select(
            Offer.code,
            Offer.category,
            Offer.name,
            Offer.unit,
            Offer.unit_price,
            Offer.capacity,
            Offer.min_order_qty,
            Offer.lead_time_days,
            Supplier.id,
            Supplier.code,
            Supplier.name,
            Supplier.nib,
            Supplier.size_class,
            Supplier.is_koperasi,
            Supplier.region,
            Supplier.kecamatan,
        )
        .join(Supplier, Supplier.id == Offer.supplier_id)
        .where(
            Offer.category.in_(categories),
            Offer.active.is_(True),
            Offer.status == VerificationStatus.VERIFIED,
            Supplier.status == VerificationStatus.VERIFIED,
            Supplier.is_local.is_(True),
        )
        .order_by(Offer.id)
    ).all()
    certificates: dict[int, list[tuple[str, date | None]]] = defaultdict(list)
    offering = select(Offer.supplier_id).where(Offer.category.in_(categories))
    for supplier_id, cert_type, valid_until in connection.execute(
        select(Certificate.supplier_id, Certificate.type, Certificate.valid_until).where(
            Certificate.supplier_id.in_(offering),
            # THE certificate rule (Certificate.counts_on): verified ones only; the date is
            # judged per need (_LocalSupplier.on).
            Certificate.status == VerificationStatus.VERIFIED,
        )
    ):
        certificates[supplier_id].append((cert_type.value, valid_until))
    suppliers: dict[int, _LocalSupplier] = {}
    result: dict[str, list[tuple[opt.Offer, _LocalSupplier]]] = defaultdict(list)
    for (
        code,
        category,
        name,
        unit,
        price,
        capacity,
        min_order,
        lead,
        sid,
        scode,
        sname,
        nib,
        size_class,
        is_koperasi,
        region,
        kecamatan,
    ) in rows:
        supplier = suppliers.get(sid)
        if supplier is None:
            supplier = suppliers[sid] = _LocalSupplier(
                opt.Supplier(
                    scode, sname, nib, size_class.value, is_koperasi, region, kecamatan, True, True
                ),
                certificates[sid],
            )
        offer = opt.Offer(code, scode, category, name, unit, price, capacity, min_order, lead)
        result[category].append((offer, supplier))
    return result


@dataclass(slots=True)  # many per dashboard: plain slots build fastest
class _NeedRow:
    id: int
    category: str
    quantity: int
    max_unit_price: int
    # What the need's eligibility verdict depends on besides the catalogue: the row as of its
    # version and last update, and its agency's code (part of the optimiser's view).
    key: tuple[int, int, datetime | None, str]

    @property
    def value(self) -> int:
        return self.quantity * self.max_unit_price


# A local catalogue of one category, as the eligibility rule sees it.
_Fingerprint = tuple[tuple[opt.Offer, opt.Supplier, tuple[tuple[str, date | None], ...]], ...]


class _VerdictMemo:
    """Verdicts of the eligibility rule per need (eligible, or the reasons why not), kept
    across dashboards while neither the need nor its category's local catalogue changed:
    the catalogue is read on every computation and compared with the one the verdicts were
    made against (interned per category, so most comparisons are by identity)."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self.max_entries = max_entries
        self._catalogues: dict[str, _Fingerprint] = {}
        self._verdicts: dict[tuple[int, int, datetime | None, str], tuple[object, _Verdict]] = {}
        self._lock = threading.Lock()

    def intern(self, category: str, fingerprint: _Fingerprint) -> _Fingerprint:
        with self._lock:
            known = self._catalogues.get(category)
            if known == fingerprint:
                return known
            self._catalogues[category] = fingerprint
            return fingerprint

    def get(self, row: _NeedRow, catalogue: _Fingerprint) -> _Verdict | None:
        found = self._verdicts.get(row.key)
        if found is None or found[0] is not catalogue:
            return None
        return found[1]

    def put(
        self, key: tuple[int, int, datetime | None, str], catalogue: object, v: _Verdict
    ) -> None:
        with self._lock:
            if len(self._verdicts) >= self.max_entries:
                self._verdicts.clear()
            self._verdicts[key] = (catalogue, v)


# (eligible, reasons why not)
_Verdict = tuple[bool, frozenset[str]]
_VERDICTS = _VerdictMemo()


def _verdict(need: Need, local: list[tuple[opt.Offer, _LocalSupplier]]) -> _Verdict:
    need_model = need_to_model(need)
    reasons: set[str] = set()
    for offer_model, supplier_row in local:
        found = [
            r
            for r in ineligibility_reasons(
                need_model, offer_model, supplier_row.on(need.needed_by), need.needed_by
            )
            if r.code is not ReasonCode.LEAD_TIME_TOO_LONG
        ]
        if not found:
            return True, frozenset()
        for reason in found:
            if reason.code is ReasonCode.CERTIFICATE_MISSING:
                reasons.update(_cert_reason(c) for c in reason.certs)
            else:
                reasons.add(_REASON_LABELS[reason.code])
    return False, frozenset(reasons)


def _unmet(
    session: Session, period: Period, agency_id: int | None, labels: dict[str, str]
) -> list[UnmetRow]:
    statement = (
        select(
            Need.id,
            Need.category,
            Need.quantity,
            Need.max_unit_price,
            Need.version,
            Need.updated_at,
            Agency.code,
        )
        .join(Agency, Agency.id == Need.agency_id)
        .where(
            Need.needed_by >= period.start,
            Need.needed_by <= period.end,
            Need.status.in_(DEMAND_STATUSES),
        )
        .order_by(Need.id)
    )
    if agency_id is not None:
        statement = statement.where(Need.agency_id == agency_id)
    needs = [
        _NeedRow(
            r.id, r.category, r.quantity, r.max_unit_price, (r.id, r.version, r.updated_at, r.code)
        )
        for r in session.execute(statement)
    ]
    if not needs:
        return []
    ordered: Counter[int] = Counter()
    for need_id, quantity in session.execute(
        select(OrderLine.need_id, OrderLine.quantity)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            OrderLine.need_id.in_(statement.with_only_columns(Need.id).order_by(None)),
            Order.status.in_(REALISED_STATUSES),
        )
    ):
        ordered[need_id] += int(quantity)
    categories = sorted({n.category for n in needs})
    local_offers = _local_offers(session, categories)
    catalogues = {
        category: _VERDICTS.intern(
            category,
            tuple(
                (offer, supplier.model, tuple(supplier.certificates))
                for offer, supplier in local_offers.get(category, [])
            ),
        )
        for category in categories
    }
    verdicts: dict[int, _Verdict] = {}
    missing: list[int] = []
    for row in needs:
        known = _VERDICTS.get(row, catalogues[row.category])
        if known is None:
            missing.append(row.id)
        else:
            verdicts[row.id] = known
    for chunk in _chunks(missing, 500):
        for need in session.scalars(
            select(Need).where(Need.id.in_(chunk)).options(selectinload(Need.agency))
        ):
            verdict = verdicts[need.id] = _verdict(need, local_offers.get(need.category, []))
            key = (need.id, need.version, need.updated_at, need.agency.code)
            _VERDICTS.put(key, catalogues[need.category], verdict)

    cats: dict[str, _Cat] = defaultdict(_Cat)
    for row in needs:
        cat = cats[row.category]
        cat.needs += 1
        cat.needs_value += row.value
        unmet_quantity = max(0, row.quantity - ordered[row.id])
        if unmet_quantity:
            cat.unmet_needs += 1
            cat.unmet_value += unmet_quantity * row.max_unit_price
        eligible, reasons = verdicts[row.id]
        if eligible:
            continue
        cat.no_local += 1
        cat.no_local_value += row.value
        cat.reasons.update(reasons or {NO_LOCAL_SUPPLIER})
    rows = []
    for code, cat in cats.items():
        ranked = sorted(cat.reasons.items(), key=lambda item: (-item[1], item[0]))
        rows.append(
            UnmetRow(
                category=code,
                label=labels.get(code, code),
                needs=cat.needs,
                needs_value=cat.needs_value,
                unmet_needs=cat.unmet_needs,
                unmet_value=cat.unmet_value,
                no_local_supplier=cat.no_local,
                no_local_value=cat.no_local_value,
                main_reason=ranked[0][0] if ranked else None,
                reasons=[ReasonCount(reason, n) for reason, n in ranked],
            )
        )
    rows.sort(key=lambda r: (-r.no_local_value, -r.unmet_value, r.category))
    return rows


def expiring_certificates(
    session: Session, today: date, warning_days: int
) -> list[ExpiringCertificate]:
    rows = session.execute(
        select(
            Supplier.id,
            Supplier.code,
            Supplier.name,
            Supplier.kecamatan,
            Certificate.type,
            Certificate.number,
            Certificate.valid_until,
        )
        .join(Supplier, Supplier.id == Certificate.supplier_id)
        .where(
            Supplier.status == VerificationStatus.VERIFIED,
            Certificate.status == VerificationStatus.VERIFIED,
            Certificate.valid_until >= today,
            Certificate.valid_until <= today + timedelta(days=warning_days),
        )
    ).all()
    result: list[ExpiringCertificate] = []
    for sid, code, name, kecamatan, kind, number, valid_until in rows:
        if valid_until is None:
            continue
        result.append(
            ExpiringCertificate(
                supplier_id=sid,
                supplier_code=code,
                supplier_name=name,
                kecamatan=kecamatan,
                type=CertificateType(kind).value,
                number=number,
                valid_until=valid_until,
                days_left=(valid_until - today).days,
            )
        )
    result.sort(key=lambda c: (c.days_left, c.supplier_code, c.type, c.number))
    return result


def _payment_row(
    key: str, label: str, orders: list[_Order], target: int, today: date
) -> PaymentRow:
    days = [
        (o.payment_date - o.delivered_day).days
        for o in orders
        if o.payment_date is not None and o.delivered_day is not None
    ]
    late = sum(1 for d in days if d > target)
    overdue = sum(
        1
        for o in orders
        if o.status == OrderStatus.DELIVERED
        and o.payment_date is None
        and o.delivered_day is not None
        and (today - o.delivered_day).days > target
    )
    return PaymentRow(
        key=key,
        label=label,
        paid_orders=len(days),
        median_days=float(statistics.median(days)) if days else None,
        average_days=sum(days) / len(days) if days else None,
        max_days=max(days) if days else None,
        late_payments=late,
        late_share=share(late, len(days)),
        unpaid_overdue=overdue,
    )


def _payment_speed(
    orders: list[_Order], agencies: dict[int, tuple[str, str]], target: int, today: date
) -> list[PaymentRow]:
    grouped: dict[int, list[_Order]] = defaultdict(list)
    for order in orders:
        grouped[order.agency_id].append(order)
    rows = [
        _payment_row(agencies[aid][0], agencies[aid][1], items, target, today)
        for aid, items in grouped.items()
    ]
    rows.sort(key=lambda r: (-(r.median_days or 0.0), r.key))
    return rows


def _rotation_flags(
    session: Session,
    period: Period,
    history: list[_Order],
    policy: ProcurementPolicy,
    agencies: dict[int, tuple[str, str]],
    suppliers: dict[int, _Supplier],
) -> list[IntegrityFlag]:
    """``history``: the realised orders approved from ``rotation_window_days - 1`` days before
    the period to its end."""
    window = policy.rotation_window_days
    pairs: dict[tuple[int, int], list[_Order]] = defaultdict(list)
    for order in history:
        pairs[(order.agency_id, order.supplier_id)].append(order)
    flags: list[IntegrityFlag] = []
    missing = {sid for _, sid in pairs} - set(suppliers)
    suppliers = {**suppliers, **_suppliers(session, missing)} if missing else suppliers
    for (aid, sid), items in pairs.items():
        items.sort(key=lambda o: (o.approved_day, o.id))
        best: list[_Order] = []
        for index, last in enumerate(items):
            if last.approved_day not in period:
                continue
            inside = [
                o for o in items[: index + 1] if (last.approved_day - o.approved_day).days < window
            ]
            if len(inside) > len(best):
                best = inside
        if len(best) > policy.rotation_limit:
            first, last_day = best[0].approved_day, best[-1].approved_day
            flags.append(
                IntegrityFlag(
                    kind="rotation",
                    agency_id=aid,
                    agency=agencies[aid][1],
                    supplier_id=sid,
                    supplier=suppliers[sid].name,
                    order_codes=[o.code for o in best],
                    detail=(
                        f"{len(best)} pesanan ke penyedia yang sama dalam {window} hari "
                        f"({tanggal(first)} s.d. {tanggal(last_day)}), melebihi batas rotasi "
                        f"{policy.rotation_limit} pesanan"
                    ),
                    value=float(len(best)),
                )
            )
    return flags


def _split_flags(
    orders: list[_Order], agencies: dict[int, tuple[str, str]], suppliers: dict[int, _Supplier]
) -> list[IntegrityFlag]:
    flags: list[IntegrityFlag] = []
    for order in orders:
        for flag in order.flags:
            if flag.get("code") != SPLIT_FLAG:
                continue
            flags.append(
                IntegrityFlag(
                    kind="split",
                    agency_id=order.agency_id,
                    agency=agencies[order.agency_id][1],
                    supplier_id=order.supplier_id,
                    supplier=suppliers[order.supplier_id].name,
                    order_codes=[order.code],
                    detail=str(flag.get("message", "Dugaan pemecahan paket")),
                    value=float(order.amount),
                )
            )
    return flags


def _price_flags(
    session: Session,
    period: Period,
    agency_id: int | None,
    scoped: list[_Order],
    scoped_lines: list[_Line],
    agencies: dict[int, tuple[str, str]],
    suppliers: dict[int, _Supplier],
    ratio: float,
    min_lines: int,
    labels: dict[str, str],
) -> list[IntegrityFlag]:
    prices: dict[str, list[int]] = defaultdict(list)
    if agency_id is None:
        for line in scoped_lines:
            prices[line.category].append(line.unit_price)
    else:  # the market: every agency's realised lines of the period
        for category, unit_price, approved_at in session.execute(
            select(Offer.category, OrderLine.unit_price, Order.approved_at)
            .join(Order, Order.id == OrderLine.order_id)
            .join(Offer, Offer.id == OrderLine.offer_id)
            .where(*_realised_between(period.start, period.end, None))
        ):
            if approved_at is not None and local_day(approved_at) in period:
                prices[category].append(int(unit_price))
    medians = {
        category: float(statistics.median(values))
        for category, values in prices.items()
        if len(values) >= min_lines
    }
    by_id = {o.id: o for o in scoped}
    flags: list[IntegrityFlag] = []
    for line in scoped_lines:
        median = medians.get(line.category)
        if median is None or line.unit_price <= ratio * median:
            continue
        order = by_id[line.order_id]
        factor = line.unit_price / median
        flags.append(
            IntegrityFlag(
                kind="price",
                agency_id=order.agency_id,
                agency=agencies[order.agency_id][1],
                supplier_id=order.supplier_id,
                supplier=suppliers[order.supplier_id].name,
                order_codes=[order.code],
                detail=(
                    f"Harga satuan {line.description} {format_rupiah(line.unit_price)} adalah "
                    f"{f'{factor:.2f}'.replace('.', ',')}x median kategori "
                    f"{labels.get(line.category, line.category)} {format_rupiah(round(median))}"
                ),
                value=factor,
            )
        )
    return flags


# --- the dashboard --------------------------------------------------------------------------


def compute_dashboard(
    session: Session,
    period: Period,
    *,
    agency_id: int | None = None,
    policy: ProcurementPolicy | None = None,
    today: date | None = None,
    price_outlier_ratio: float = 1.5,
    price_min_lines: int = 3,
) -> Dashboard:
    """Every figure of the dashboard for a period (see the module docstring for the
    definitions), optionally for one agency."""
    spending = compute_spending(
        session,
        period,
        agency_id=agency_id,
        policy=policy,
        today=today,
        price_outlier_ratio=price_outlier_ratio,
        price_min_lines=price_min_lines,
    )
    return with_unmet(spending, compute_unmet(session, period, agency_id=agency_id))


def compute_unmet(session: Session, period: Period, *, agency_id: int | None) -> list[UnmetRow]:
    """The unmet-demand section: the only part of the dashboard that reads needs."""
    labels = {code: c.name_id for code, c in load_taxonomy().items()}
    return _unmet(session, period, agency_id, labels)


def with_unmet(spending: Dashboard, unmet: list[UnmetRow]) -> Dashboard:
    """A dashboard from :func:`compute_spending`'s and :func:`compute_unmet`'s parts."""
    return replace(spending, unmet_by_category=unmet)


def compute_spending(
    session: Session,
    period: Period,
    *,
    agency_id: int | None = None,
    policy: ProcurementPolicy | None = None,
    today: date | None = None,
    price_outlier_ratio: float = 1.5,
    price_min_lines: int = 3,
) -> Dashboard:
    """Every figure but unmet demand (left empty): what orders, order lines, offers,
    suppliers, certificates and agencies give; no need is read."""
    if today is None:
        from matcher.clock import today as business_today

        today = business_today()
    policy = policy or policy_on(today)
    labels = {code: c.name_id for code, c in load_taxonomy().items()}
    agencies = _agencies(session)
    # The rotation check looks back a window before the period: one query for both.
    history = _orders(
        session,
        period.start - timedelta(days=policy.rotation_window_days - 1),
        period.end,
        agency_id,
    )
    orders = [o for o in history if o.approved_day >= period.start]
    by_id = {o.id: o for o in orders}
    lines = _lines(session, by_id, period.start, period.end, agency_id)
    suppliers = _suppliers(session, (o.supplier_id for o in orders))

    total = sum(o.amount for o in orders)
    umk = sum(o.amount for o in orders if suppliers[o.supplier_id].umk)
    local = sum(o.amount for o in orders if suppliers[o.supplier_id].is_local)
    local_umk = sum(
        o.amount
        for o in orders
        if suppliers[o.supplier_id].umk and suppliers[o.supplier_id].is_local
    )
    paid = sum(o.amount for o in orders if o.status in PAID_STATUSES)

    by_agency: dict[str, _Acc] = defaultdict(_Acc)
    by_kecamatan: dict[str, _Acc] = defaultdict(_Acc)
    by_size: dict[str, _Acc] = defaultdict(_Acc)
    for order in orders:
        s = suppliers[order.supplier_id]
        code = agencies[order.agency_id][0]
        by_agency[code].add(order.amount, order.id, s.umk, s.is_local)
        by_kecamatan[s.kecamatan].add(order.amount, order.id, s.umk, s.is_local)
        by_size[s.group].add(order.amount, order.id, s.umk, s.is_local)
    by_category: dict[str, _Acc] = defaultdict(_Acc)
    for line in lines:
        s = suppliers[by_id[line.order_id].supplier_id]
        by_category[line.category].add(line.amount, line.order_id, s.umk, s.is_local)

    supplier_rows = _supplier_rows(orders, suppliers, total)
    top = supplier_rows[:10]
    payment = _payment_speed(orders, agencies, policy.payment_target_days, today)
    overall = _payment_row("*", "Semua perangkat daerah", orders, policy.payment_target_days, today)
    flags = (
        _rotation_flags(session, period, history, policy, agencies, suppliers)
        + _split_flags(orders, agencies, suppliers)
        + _price_flags(
            session,
            period,
            agency_id,
            orders,
            lines,
            agencies,
            suppliers,
            price_outlier_ratio,
            price_min_lines,
            labels,
        )
    )
    flags.sort(key=lambda f: (FLAG_KINDS.index(f.kind), f.agency, f.supplier, f.order_codes[0]))
    umk_share = share(umk, total)
    return Dashboard(
        period=period,
        agency_id=agency_id,
        today=today,
        target_share=policy.umk_share_target,
        total_spend=total,
        umk_spend=umk,
        umk_share=umk_share,
        local_spend=local,
        local_share=share(local, total),
        local_umk_spend=local_umk,
        local_umk_share=share(local_umk, total),
        meets_target=total > 0 and umk_share >= policy.umk_share_target,
        paid_spend=paid,
        orders=len(orders),
        distinct_suppliers=len(supplier_rows),
        distinct_umk_suppliers=sum(1 for r in supplier_rows if r.is_umk),
        by_agency=_rows(by_agency, dict(agencies.values())),
        by_category=_rows(by_category, labels),
        by_kecamatan=_rows(by_kecamatan, {OUTSIDE_KECAMATAN: OUTSIDE_LABEL}),
        by_size_class=_rows(by_size, SIZE_CLASS_LABELS),
        monthly=_monthly(period, orders, suppliers),
        suppliers=supplier_rows,
        top_suppliers=top,
        top10_share=share(sum(r.spend for r in top), total),
        herfindahl=herfindahl_index(r.spend for r in supplier_rows),
        unmet_by_category=[],
        expiring_certificates=expiring_certificates(
            session, today, policy.certificate_warning_days
        ),
        payment_speed=payment,
        payment_overall=overall,
        payment_target_days=policy.payment_target_days,
        integrity_flags=flags,
    )
