"""The deterministic demo generator: a seed and a business day in, plain records out.

This is the single source of the demo dataset: ``load`` writes these records to the database
and ``instance`` writes them as a spec instance folder. The same seed and day always give
identical records (one ``random.Random(seed)``, no other source of randomness)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone

from matcher.catalog.taxonomy import CERTIFICATE_TYPES, get_category
from matcher.demo import data
from matcher.demo.data import CategorySpec, ProductSpec
from matcher.models import CertificateType, NeedStatus, Role, SizeClass, VerificationStatus
from matcher.policy import DEFAULT_POLICY

WIB = timezone(timedelta(hours=7), "WIB")
V = VerificationStatus

# Default shape of the dataset.
LOCAL_UMKM = 262  # including the showcase suppliers
OUTSIDE_SUPPLIERS = 18
MAX_SUPPLIERS_PER_NEED = 3

# Certificate validity in years (None: no expiry printed, e.g. BPJPH halal since UU 6/2023).
VALIDITY_YEARS: dict[CertificateType, int] = {
    CertificateType.HALAL: 4,
    CertificateType.PIRT: 5,
    CertificateType.SLHS: 3,
    CertificateType.BPOM: 5,
    CertificateType.SNI: 4,
}
# P-IRT food type code (2 digits of the number) per category.
PIRT_FOOD_TYPE: dict[str, int] = {"MAKANAN_KEMASAN": 6, "SNACK": 9, "MINUMAN": 11}
SIZE_PRICE_FACTOR: dict[SizeClass, float] = {
    SizeClass.MIKRO: 1.0,
    SizeClass.KECIL: 0.98,
    SizeClass.MENENGAH: 0.95,
    SizeClass.BESAR: 0.92,
}
SIZE_CAPACITY_FACTOR: dict[SizeClass, float] = {
    SizeClass.MIKRO: 1.0,
    SizeClass.KECIL: 2.5,
    SizeClass.MENENGAH: 6.0,
    SizeClass.BESAR: 15.0,
}


# --- Records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusEvent:
    from_status: VerificationStatus | None
    to_status: VerificationStatus
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class CertificateRecord:
    type: CertificateType
    number: str
    issued_on: date
    valid_until: date | None
    # Verified by the tim pengelola; a few freshly uploaded ones wait (pending).
    status: VerificationStatus = VerificationStatus.VERIFIED

    def is_valid_on(self, day: date) -> bool:
        return self.valid_until is None or self.valid_until >= day

    def counts_on(self, day: date) -> bool:
        """The rule of ``Certificate.counts_on``: verified and not expired."""
        return self.status == VerificationStatus.VERIFIED and self.is_valid_on(day)


@dataclass(frozen=True)
class OfferRecord:
    code: str
    category: str
    name: str
    description: str
    unit: str
    unit_price: int
    capacity: int
    min_order_qty: int
    lead_time_days: int
    active: bool
    status: VerificationStatus
    status_reason: str | None
    events: tuple[StatusEvent, ...]


@dataclass(frozen=True)
class SupplierRecord:
    code: str
    name: str
    nib: str
    size_class: SizeClass
    is_koperasi: bool
    region: str
    kecamatan: str
    is_local: bool
    address: str
    contact_name: str
    phone: str
    email: str | None
    bank_name: str
    bank_account_number: str
    bank_account_name: str
    status: VerificationStatus
    status_reason: str | None
    events: tuple[StatusEvent, ...]
    certificates: tuple[CertificateRecord, ...]
    offers: tuple[OfferRecord, ...]

    def valid_certificate_types(self, day: date) -> tuple[str, ...]:
        held = {c.type.value for c in self.certificates if c.counts_on(day)}
        return tuple(t for t in CERTIFICATE_TYPES if t in held)


@dataclass(frozen=True)
class AgencyRecord:
    code: str
    name: str
    fiscal_year: int
    budget: int  # annual belanja barang/jasa
    round_budget: int  # available for the demo planning round (agencies.csv)
    address: str
    region: str


@dataclass(frozen=True)
class NeedRecord:
    code: str
    agency_code: str
    category: str
    description: str
    quantity: int
    unit: str
    max_unit_price: int
    required_certs: tuple[str, ...]
    needed_by: date
    region: str
    status: NeedStatus
    submitted_at: datetime | None


@dataclass(frozen=True)
class UserRecord:
    email: str
    full_name: str
    role: Role
    agency_code: str | None
    supplier_code: str | None


@dataclass(frozen=True)
class DemoDataset:
    seed: int
    today: date
    agencies: tuple[AgencyRecord, ...]
    suppliers: tuple[SupplierRecord, ...]
    needs: tuple[NeedRecord, ...]
    users: tuple[UserRecord, ...]
    max_suppliers_per_need: int
    max_supplier_value: int

    @property
    def offers(self) -> tuple[OfferRecord, ...]:
        return tuple(o for s in self.suppliers for o in s.offers)


# --- Helpers ---------------------------------------------------------------------------


def _price_step(value: float) -> int:
    if value < 10_000:
        return 100
    if value < 100_000:
        return 500
    if value < 1_000_000:
        return 5_000
    return 25_000


def round_price(value: float) -> int:
    """Prices as shops quote them: to Rp100, Rp500, Rp5.000 or Rp25.000."""
    step = _price_step(value)
    return max(step, round(value / step) * step)


def round_up_price(value: float) -> int:
    step = _price_step(value)
    return math.ceil(value / step) * step


def round_quantity(value: float) -> int:
    """Quantities as people order them: 7, 35, 240, 1.500."""
    step = 1 if value < 20 else 5 if value < 200 else 10 if value < 1_000 else 50
    return max(1, round(value / step) * step)


def _at(day: date, rng: random.Random) -> datetime:
    """A moment during office hours (WIB) of a day, in UTC."""
    moment = datetime.combine(day, time(8 + rng.randrange(8), rng.randrange(60)), tzinfo=WIB)
    return moment.astimezone(UTC)


def _weighted(rng: random.Random, weights: dict[str, int] | dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        self.names: set[str] = set()
        self.nibs: set[str] = set()
        self.emails: set[str] = set()
        self.offer_counter = 0
        self.cert_counter = 0

    # -- identities --

    def nib(self) -> str:
        while True:
            value = f"{self.rng.choice((9, 1, 2, 8))}{self.rng.randrange(10**12):012d}"
            if value not in self.nibs:
                self.nibs.add(value)
                return value

    def phone(self) -> str:
        prefix = self.rng.choice(data.PHONE_PREFIXES)
        return f"{prefix}-{self.rng.randrange(10_000):04d}-{self.rng.randrange(1_000, 100_000)}"

    def person(self) -> tuple[str, str, str]:
        """(first name, full name, title): ("Sri", "Sri Wahyuni", "Bu")."""
        if self.rng.random() < 0.55:
            first = self.rng.choice(data.WOMEN)
            title = self.rng.choice(("Bu", "Bu", "Mbak"))
        else:
            first = self.rng.choice(data.MEN)
            title = self.rng.choice(("Pak", "Pak", "Mas", "Cak"))
        return first, f"{first} {self.rng.choice(data.SURNAMES)}", title

    def brand(self, *, local: bool = True) -> str:
        first = self.rng.choice(data.NAME_FIRST)
        seconds = data.NAME_SECOND if local else data.NAME_SECOND_GENERIC
        second = self.rng.choice([w for w in seconds if w != first])
        return f"{first} {second}"

    def business_name(
        self, patterns: Sequence[str], owner: str, title: str, region: str, size: SizeClass
    ) -> str:
        local = region in data.DESA_TO_KECAMATAN
        for attempt in range(50):
            name = self.rng.choice(patterns).format(
                brand=self.brand(local=local), owner=owner, title=title, desa=region
            )
            if not name.startswith(("UD ", "CV ", "PT ", "Kelompok ", "Gapoktan ")):
                if size == SizeClass.BESAR:
                    name = f"PT {name}"
                elif size == SizeClass.MENENGAH:
                    name = f"CV {name}"
                elif size == SizeClass.KECIL and self.rng.random() < 0.2:
                    name = f"UD {name}"
            if attempt > 20:
                name = f"{name} {region}"
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("cannot find a unique business name")  # pragma: no cover

    def email_for(self, name: str) -> str:
        words = name.lower().replace("koperasi merah putih", "kmp").split()
        words = [w for w in words if w not in {"desa", "kelurahan", "ud", "cv", "pt"}]
        base = ".".join("".join(ch for ch in w if ch.isalnum()) for w in words)[:40].strip(".")
        email, n = f"{base}@demo.umkm.id", 2
        while email in self.emails:
            email, n = f"{base}{n}@demo.umkm.id", n + 1
        self.emails.add(email)
        return email

    def bank(self, account_name: str) -> tuple[str, str, str]:
        bank = self.rng.choice(data.BANKS)
        digits = {"BRI": 15, "Bank Mandiri": 13}.get(bank, 10)
        number = "".join(str(self.rng.randrange(10)) for _ in range(digits))
        return bank, number, account_name

    def local_address(self, desa: str) -> str:
        street = self.rng.choice((*data.STREETS, f"Jl. Raya {desa}"))
        return (
            f"{street} No. {self.rng.randint(1, 150)}, RT {self.rng.randint(1, 12):02d}"
            f"/RW {self.rng.randint(1, 8):02d}, {data.desa_label(desa)}, "
            f"Kec. {data.DESA_TO_KECAMATAN[desa]}, Kota Batu"
        )

    # -- verification history --

    def supplier_history(
        self, status: VerificationStatus, reason: str | None
    ) -> tuple[date, tuple[StatusEvent, ...]]:
        registered = self.today - timedelta(days=self.rng.randint(60, 700))
        events = [StatusEvent(None, V.PENDING, "Pendaftaran penyedia", _at(registered, self.rng))]
        if status == V.PENDING:
            return registered, tuple(events)
        decided = registered + timedelta(days=self.rng.randint(2, 30))
        if status == V.REJECTED:
            events.append(StatusEvent(V.PENDING, V.REJECTED, reason, _at(decided, self.rng)))
            return registered, tuple(events)
        events.append(StatusEvent(V.PENDING, V.VERIFIED, None, _at(decided, self.rng)))
        if status == V.SUSPENDED:
            suspended = decided + timedelta(days=self.rng.randint(10, 25))
            events.append(StatusEvent(V.VERIFIED, V.SUSPENDED, reason, _at(suspended, self.rng)))
        return registered, tuple(events)

    def supplier_status(
        self, weights: dict[VerificationStatus, float]
    ) -> tuple[VerificationStatus, str | None]:
        status = VerificationStatus(_weighted(self.rng, {k.value: w for k, w in weights.items()}))
        if status == V.REJECTED:
            return status, self.rng.choice(data.REJECT_REASONS)
        if status == V.SUSPENDED:
            return status, self.rng.choice(data.SUSPEND_REASONS)
        return status, None

    # -- certificates --

    def certificate(
        self,
        kind: CertificateType,
        bps: str,
        categories: Sequence[str],
        *,
        state: str,
    ) -> CertificateRecord:
        rng, today = self.rng, self.today
        years = VALIDITY_YEARS[kind]
        self.cert_counter += 1
        if kind == CertificateType.HALAL and state == "valid" and rng.random() < 0.55:
            # BPJPH certificate without an expiry date (UU 6/2023).
            issued = today - timedelta(days=rng.randint(30, 900))
            number = f"ID{bps[:2]}11{rng.randint(100_000_000, 999_999_999):013d}"
            return CertificateRecord(kind, number, issued, None)
        if state == "expired":
            valid_until = today - timedelta(days=rng.randint(5, 400))
        elif state == "expiring":
            valid_until = today + timedelta(days=rng.randint(1, 59))
        else:
            valid_until = today + timedelta(days=rng.randint(60, years * 365 - 30))
        issued = valid_until - timedelta(days=years * 365 - 1)
        if kind == CertificateType.HALAL:
            if issued.year < 2021:  # LPPOM MUI certificate, before BPJPH took over
                number = f"07100{rng.randrange(10**9):09d}{issued.month:02d}{issued.year % 100}"
            else:
                number = f"ID{bps[:2]}11{rng.randint(100_000_000, 999_999_999):013d}"
        elif kind == CertificateType.PIRT:
            food = next((PIRT_FOOD_TYPE[c] for c in categories if c in PIRT_FOOD_TYPE), 6)
            number = (
                f"P-IRT {rng.choice((2, 2, 2, 1, 5))}{food:02d}{bps}"
                f"{rng.randint(1, 12):02d}{rng.randint(1, 9999):04d}-{valid_until.year % 100:02d}"
            )
        elif kind == CertificateType.SLHS:
            number = f"443.5/{rng.randint(1, 2999):04d}/SLHS/{bps}/{issued.year}"
        elif kind == CertificateType.BPOM:
            number = f"BPOM RI MD {rng.randrange(10**11, 10**12)}"
        else:
            lab = rng.choice(("BBT", "B4T", "BBKK", "Sucofindo"))
            number = f"SPPT-SNI {rng.randint(1, 9999):04d}/LSPro-{lab}/{issued.year}"
        return CertificateRecord(kind, number, issued, valid_until)

    def certificates(
        self,
        categories: Sequence[str],
        size: SizeClass,
        bps: str,
        *,
        complete: bool = False,
    ) -> tuple[CertificateRecord, ...]:
        rng = self.rng
        wanted: set[str] = set()
        for code in categories:
            wanted.update(get_category(code).default_required_certs)
        big = size in (SizeClass.MENENGAH, SizeClass.BESAR)
        if big and {"MAKANAN_KEMASAN", "MINUMAN"} & set(categories):
            wanted.add("BPOM")
        if big and {"SERAGAM", "FURNITUR", "TAS_SEPATU"} & set(categories) and rng.random() < 0.5:
            wanted.add("SNI")
        if "NASI_KOTAK" not in categories and "SNACK" in categories and rng.random() < 0.3:
            wanted.add("SLHS")
        records: list[CertificateRecord] = []
        for kind_name in CERTIFICATE_TYPES:
            if kind_name not in wanted:
                continue
            kind = CertificateType(kind_name)
            if not complete:
                have = {
                    SizeClass.MIKRO: 0.72 if kind == CertificateType.HALAL else 0.86,
                    SizeClass.KECIL: 0.9,
                }.get(size, 0.97)
                if rng.random() >= have:
                    continue
            state = "valid"
            if not complete:
                draw = rng.random()
                state = "expired" if draw < 0.13 else "expiring" if draw < 0.19 else "valid"
            records.append(self.certificate(kind, bps, categories, state=state))
        return tuple(records)

    # -- offers --

    def offers(
        self,
        categories: Sequence[str],
        size: SizeClass,
        *,
        is_local: bool,
        is_koperasi: bool,
        supplier_status: VerificationStatus,
        registered: date,
    ) -> tuple[OfferRecord, ...]:
        rng = self.rng
        records: list[OfferRecord] = []
        for index, code in enumerate(categories):
            spec: CategorySpec = data.CATEGORIES[code]
            if index == 0:
                count = {SizeClass.MIKRO: 2, SizeClass.KECIL: 2}.get(size, 3)
                count = rng.randint(1, min(count, len(spec.products)))
            else:
                count = 1
            for product in rng.sample(spec.products, count):
                records.append(
                    self.offer(
                        code,
                        spec,
                        product,
                        size,
                        is_local=is_local,
                        is_koperasi=is_koperasi,
                        supplier_status=supplier_status,
                        registered=registered,
                    )
                )
        return tuple(records)

    def offer(
        self,
        code: str,
        spec: CategorySpec,
        product: ProductSpec,
        size: SizeClass,
        *,
        is_local: bool,
        is_koperasi: bool,
        supplier_status: VerificationStatus,
        registered: date,
    ) -> OfferRecord:
        rng = self.rng
        self.offer_counter += 1
        low, high = product.price
        price = rng.uniform(low, high) * SIZE_PRICE_FACTOR[size]
        if not is_local:
            price *= 0.97
        if rng.random() < 0.06:  # an expensive seller, above most HPS
            price *= rng.uniform(1.2, 1.4)
        capacity_factor = SIZE_CAPACITY_FACTOR[size] * (1.5 if is_koperasi else 1.0)
        capacity = round_quantity(rng.uniform(*spec.capacity) * capacity_factor)
        min_order = rng.choice(spec.min_order)
        if size in (SizeClass.MENENGAH, SizeClass.BESAR):
            min_order *= 2
        min_order = min(min_order, capacity)
        lead = rng.randint(*spec.lead_time) + (0 if is_local else 2)
        if supplier_status in (V.VERIFIED, V.SUSPENDED):
            status = VerificationStatus(
                _weighted(rng, {V.VERIFIED.value: 92, V.PENDING.value: 6, V.REJECTED.value: 2})
            )
        else:
            status = V.PENDING
        reason = rng.choice(data.OFFER_REJECT_REASONS) if status == V.REJECTED else None
        submitted = registered + timedelta(days=rng.randint(0, 20))
        events = [StatusEvent(None, V.PENDING, "Penawaran diajukan", _at(submitted, rng))]
        if status != V.PENDING:
            decided = submitted + timedelta(days=rng.randint(1, 20))
            events.append(StatusEvent(V.PENDING, status, reason, _at(decided, rng)))
        name = product.name
        return OfferRecord(
            code=f"O{self.offer_counter:06d}",
            category=code,
            name=name,
            description=product.description,
            unit=get_category(code).unit,
            unit_price=round_price(price),
            capacity=capacity,
            min_order_qty=min_order,
            lead_time_days=lead,
            active=rng.random() >= 0.03,
            status=status,
            status_reason=reason,
            events=tuple(events),
        )

    # -- suppliers --

    def supplier(
        self,
        number: int,
        *,
        name: str,
        contact: str,
        region: str,
        categories: Sequence[str],
        size: SizeClass,
        is_koperasi: bool,
        status: VerificationStatus,
        reason: str | None,
        complete_certificates: bool = False,
    ) -> SupplierRecord:
        code = f"S{number:05d}"
        is_local = region in data.DESA_TO_KECAMATAN
        if is_local:
            kecamatan, bps, address = (
                data.DESA_TO_KECAMATAN[region],
                data.KOTA_BATU_BPS,
                self.local_address(region),
            )
        else:
            bps, localities = data.OUTSIDE_REGIONS[region]
            kecamatan = "-"
            address = (
                f"{self.rng.choice(data.STREETS)} No. {self.rng.randint(1, 250)}, "
                f"{self.rng.choice(localities)}, {region}"
            )
        registered, events = self.supplier_history(status, reason)
        bank_name, account, account_name = self.bank(name if is_koperasi else contact)
        return SupplierRecord(
            code=code,
            name=name,
            nib=self.nib(),
            size_class=size,
            is_koperasi=is_koperasi,
            region=region,
            kecamatan=kecamatan,
            is_local=is_local,
            address=address,
            contact_name=contact,
            phone=self.phone(),
            email=self.email_for(name) if self.rng.random() < 0.6 else None,
            bank_name=bank_name,
            bank_account_number=account,
            bank_account_name=account_name,
            status=status,
            status_reason=reason,
            events=events,
            certificates=self.certificates(categories, size, bps, complete=complete_certificates),
            offers=self.offers(
                categories,
                size,
                is_local=is_local,
                is_koperasi=is_koperasi,
                supplier_status=status,
                registered=registered,
            ),
        )

    def categories_for(
        self, primary: str, table: dict[str, tuple[tuple[str, float], ...]]
    ) -> list[str]:
        categories = [primary]
        for other, probability in table.get(primary, ()):
            if self.rng.random() < probability:
                categories.append(other)
        return categories

    def koperasi(self, number: int, desa: str) -> SupplierRecord:
        name = f"Koperasi Merah Putih {data.desa_label(desa)}"
        self.names.add(name)
        pandanrejo = desa == "Pandanrejo"
        choices = sorted(
            data.DESA_SPECIALTIES.get(desa, frozenset())
            & {"SAYUR_BUAH", "MAKANAN_KEMASAN", "MINUMAN", "TANAMAN", "KERAJINAN"}
        ) or ["SAYUR_BUAH", "MAKANAN_KEMASAN"]
        extra = self.rng.sample(choices, min(len(choices), self.rng.randint(1, 2)))
        if pandanrejo:
            status, reason = V.VERIFIED, None
        else:
            status, reason = self.supplier_status(
                {V.VERIFIED: 82, V.PENDING: 12, V.REJECTED: 0, V.SUSPENDED: 6}
            )
        _, contact, _ = self.person()
        return self.supplier(
            number,
            name=name,
            contact=contact,
            region=desa,
            categories=["BERAS", *extra],
            size=SizeClass.KECIL if self.rng.random() < 0.3 else SizeClass.MIKRO,
            is_koperasi=True,
            status=status,
            reason=reason,
            complete_certificates=pandanrejo,
        )

    def local_region(self, category: str) -> str:
        weights = {
            desa: 5.0 if category in data.DESA_SPECIALTIES.get(desa, frozenset()) else 1.0
            for desa in data.ALL_DESA
        }
        return _weighted(self.rng, weights)

    def umkm(self, number: int, primary: str, *, force_verified: bool = False) -> SupplierRecord:
        rng = self.rng
        size = SizeClass(
            _weighted(
                rng,
                {
                    SizeClass.MIKRO.value: 70,
                    SizeClass.KECIL.value: 24,
                    SizeClass.MENENGAH.value: 5,
                    SizeClass.BESAR.value: 1,
                },
            )
        )
        region = self.local_region(primary)
        first, contact, title = self.person()
        name = self.business_name(data.NAME_PATTERNS[primary], first, title, region, size)
        if force_verified:
            status, reason = V.VERIFIED, None
        else:
            status, reason = self.supplier_status(
                {V.VERIFIED: 84, V.PENDING: 9, V.REJECTED: 3.5, V.SUSPENDED: 3.5}
            )
        return self.supplier(
            number,
            name=name,
            contact=contact,
            region=region,
            categories=self.categories_for(primary, data.SECONDARY),
            size=size,
            is_koperasi=False,
            status=status,
            reason=reason,
        )

    def outside(self, number: int) -> SupplierRecord:
        rng = self.rng
        primary = _weighted(rng, data.OUTSIDE_CATEGORY_WEIGHTS)
        region = rng.choice(tuple(data.OUTSIDE_REGIONS))
        size = SizeClass(
            _weighted(
                rng,
                {
                    SizeClass.KECIL.value: 25,
                    SizeClass.MENENGAH.value: 45,
                    SizeClass.BESAR.value: 30,
                },
            )
        )
        first, contact, title = self.person()
        brand_region = "Malang" if region == "Kab. Malang" else region
        patterns = tuple(f"{p} {brand_region}" for p in data.OUTSIDE_NAME_PATTERNS[primary])
        name = self.business_name(patterns, first, title, region, size)
        status, reason = self.supplier_status({V.VERIFIED: 85, V.PENDING: 15})
        return self.supplier(
            number,
            name=name,
            contact=contact,
            region=region,
            categories=self.categories_for(primary, data.SECONDARY),
            size=size,
            is_koperasi=False,
            status=status,
            reason=reason,
        )

    def showcase(self, number: int, spec: data.ShowcaseSupplier) -> SupplierRecord:
        self.names.add(spec.name)
        return self.supplier(
            number,
            name=spec.name,
            contact=spec.owner,
            region=spec.region,
            categories=spec.categories,
            size=SizeClass(spec.size_class),
            is_koperasi=spec.is_koperasi,
            status=V.VERIFIED,
            reason=None,
            complete_certificates=True,
        )

    # -- agencies and needs --

    def agency(self, spec: data.AgencySpec) -> tuple[AgencyRecord, int]:
        low, high = spec.budget_range
        budget = self.rng.randint(low // 10_000_000, high // 10_000_000) * 10_000_000
        if spec.region == "Pesanggrahan":
            address = (
                "Balai Kota Among Tani, Jl. Panglima Sudirman No. 507, Pesanggrahan, Kota Batu"
            )
        else:
            address = self.local_address(spec.region)
        record = AgencyRecord(
            code=spec.code,
            name=spec.name,
            fiscal_year=self.today.year,
            budget=budget,
            round_budget=0,  # set once the agency's needs are known
            address=address,
            region=spec.region,
        )
        return record, budget

    def need_region(self, spec: data.AgencySpec) -> str:
        if spec.name.startswith("Kecamatan "):
            return self.rng.choice(data.KECAMATAN[spec.name.removeprefix("Kecamatan ")])
        if spec.code in {"A008", "A009", "A013", "A016", "A017", "A026"}:
            return self.rng.choice(data.ALL_DESA)
        return spec.region

    def need(self, number: int, spec: data.AgencySpec) -> NeedRecord:
        rng = self.rng
        category = _weighted(rng, spec.buys)
        cat_spec = data.CATEGORIES[category]
        product = rng.choice(cat_spec.products)
        event = rng.choice(data.EVENTS_BY_CATEGORY.get(category, data.EVENTS_GENERAL))
        quantity = round_quantity(rng.uniform(*product.quantity))
        hps = round_up_price(product.price[1] * rng.uniform(1.03, 1.2))
        low, high = cat_spec.lead_time
        if rng.random() < 0.08:  # urgent: only the quickest suppliers can make it
            needed_by = self.today + timedelta(days=rng.randint(2, low + 2))
        else:
            needed_by = self.today + timedelta(days=rng.randint(low + 4, high + 45))
        required = DEFAULT_POLICY.required_certificates(category, needed_by)
        status = NeedStatus.DRAFT if rng.random() < 0.08 else NeedStatus.SUBMITTED
        submitted_at = (
            _at(self.today - timedelta(days=rng.randint(1, 20)), rng)
            if status == NeedStatus.SUBMITTED
            else None
        )
        description = product.need.format(event=event)
        return NeedRecord(
            code=f"N{number:06d}",
            agency_code=spec.code,
            category=category,
            description=description[0].upper() + description[1:],
            quantity=quantity,
            unit=get_category(category).unit,
            max_unit_price=hps,
            required_certs=tuple(c for c in CERTIFICATE_TYPES if c in required),
            needed_by=needed_by,
            region=self.need_region(spec),
            status=status,
            submitted_at=submitted_at,
        )


UPLOADED_CERTIFICATES = 4


def _with_uploaded_certificates(
    gen: _Generator, suppliers: list[SupplierRecord]
) -> list[SupplierRecord]:
    """A few verified local food UMKM without a halal certificate have just uploaded one: it
    waits in the tim pengelola's verification queue (and does not count yet)."""
    chosen = 0
    result: list[SupplierRecord] = []
    for supplier in suppliers:
        food = [o.category for o in supplier.offers if o.category in PIRT_FOOD_TYPE]
        if (
            chosen < UPLOADED_CERTIFICATES
            and food
            and supplier.is_local
            and not supplier.is_koperasi
            and supplier.status == VerificationStatus.VERIFIED
            and all(c.type != CertificateType.HALAL for c in supplier.certificates)
        ):
            chosen += 1
            # A BPJPH certificate (no expiry date since UU 6/2023), issued days ago.
            uploaded = CertificateRecord(
                CertificateType.HALAL,
                f"ID3511{gen.rng.randint(100_000_000, 999_999_999):013d}",
                gen.today - timedelta(days=3 + chosen),
                None,
                VerificationStatus.PENDING,
            )
            supplier = replace(supplier, certificates=(*supplier.certificates, uploaded))
        result.append(supplier)
    return result


def generate(
    seed: int = data.DEFAULT_SEED,
    today: date | None = None,
    *,
    local_umkm: int = LOCAL_UMKM,
    outside_suppliers: int = OUTSIDE_SUPPLIERS,
) -> DemoDataset:
    """The demo dataset for a seed and a business day (default: ``matcher.clock.today()``)."""
    if today is None:
        from matcher.clock import today as business_today

        today = business_today()
    gen = _Generator(seed, today)
    suppliers: list[SupplierRecord] = []

    def number() -> int:
        return len(suppliers) + 1

    for desa in data.ALL_DESA:
        suppliers.append(gen.koperasi(number(), desa))
    for showcase in data.SHOWCASE:
        suppliers.append(gen.showcase(number(), showcase))
    # Every category first once (verified), then by weight.
    for code in data.UMKM_CATEGORY_WEIGHTS:
        suppliers.append(gen.umkm(number(), code, force_verified=True))
    remaining = local_umkm - len(data.SHOWCASE) - len(data.UMKM_CATEGORY_WEIGHTS)
    for _ in range(max(0, remaining)):
        suppliers.append(gen.umkm(number(), _weighted(gen.rng, data.UMKM_CATEGORY_WEIGHTS)))
    for _ in range(outside_suppliers):
        suppliers.append(gen.outside(number()))

    agencies: list[AgencyRecord] = []
    needs: list[NeedRecord] = []
    for spec in data.AGENCIES:
        agency, budget = gen.agency(spec)
        count = 5 + round(budget / 450_000_000)
        agency_needs = [gen.need(len(needs) + i + 1, spec) for i in range(count)]
        needs.extend(agency_needs)
        planned = sum(
            n.quantity * n.max_unit_price for n in agency_needs if n.status == NeedStatus.SUBMITTED
        )
        round_budget = min(
            budget, int(planned * gen.rng.uniform(0.75, 1.15)) // 1_000_000 * 1_000_000
        )
        agencies.append(
            AgencyRecord(
                code=agency.code,
                name=agency.name,
                fiscal_year=agency.fiscal_year,
                budget=agency.budget,
                round_budget=round_budget,
                address=agency.address,
                region=agency.region,
            )
        )

    suppliers = _with_uploaded_certificates(gen, suppliers)
    by_name = {s.name: s.code for s in suppliers}
    users = tuple(
        UserRecord(
            email=u.email,
            full_name=u.full_name,
            role=Role(u.role),
            agency_code=u.agency_code,
            supplier_code=by_name[u.supplier_name] if u.supplier_name else None,
        )
        for u in data.DEMO_USERS
    )
    return DemoDataset(
        seed=seed,
        today=today,
        agencies=tuple(agencies),
        suppliers=tuple(suppliers),
        needs=tuple(needs),
        users=users,
        max_suppliers_per_need=MAX_SUPPLIERS_PER_NEED,
        max_supplier_value=DEFAULT_POLICY.direct_procurement_limit,
    )
