"""Open data: a period's orders as an Open Contracting Data Standard (OCDS 1.1) release
package.

One release per realised order of the period (the dashboard's definition: approved,
accepted, delivered, paid or closed, approved in the period, WIB days), ``ocid`` =
``{prefix}-{order code}``. Each release carries the tender (direct procurement through the
pasar sistemik, the order's items), the award to the supplier, the contract (the Surat
Pesanan; ``terminated`` once closed) and, when paid, the payment as an implementation
transaction. Parties: the agency as ``buyer`` and ``procuringEntity``, the supplier as
``supplier`` with ``details.scale`` (mikro -> micro, kecil and menengah -> sme, besar -> large;
a koperasi by its size class) and its NIB as identifier. Items are classified by the
taxonomy category (scheme ``X-PASAR-SISTEMIK``, an extension of the open
itemClassificationScheme codelist); amounts are numbers in IDR; dates RFC 3339 in WIB.

The ocid prefix is a setting (``MATCHER_OCDS_OCID_PREFIX``). The default
``ocds-matcher-batu`` is a documented placeholder: real prefixes are registered with the
Open Contracting Partnership and must be set before publishing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.catalog.taxonomy import load_taxonomy
from matcher.config import get_settings
from matcher.dashboard.service import REALISED_STATUSES, Period, day_start_utc, local_day
from matcher.models import Order, OrderLine, OrderStatus, SizeClass
from matcher.models.catalog import Offer

OCDS_VERSION = "1.1"
CURRENCY = "IDR"
CLASSIFICATION_SCHEME = "X-PASAR-SISTEMIK"
SCALES = {
    SizeClass.MIKRO: "micro",
    SizeClass.KECIL: "sme",
    SizeClass.MENENGAH: "sme",
    SizeClass.BESAR: "large",
}


class OpenDataSettings(BaseSettings):
    """Publication settings, from the environment with the prefix ``MATCHER_OCDS_``."""

    model_config = SettingsConfigDict(env_prefix="MATCHER_OCDS_", extra="ignore")

    ocid_prefix: str = "ocds-matcher-batu"  # placeholder: register a real one with OCP
    publisher_name: str = "Dinas Koperasi dan Usaha Mikro Kota Batu"
    publisher_uri: str = "https://batukota.go.id"
    base_uri: str = "https://pasar-sistemik.batukota.go.id/api/v1/opendata/ocds"
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    publication_policy: str = "https://pasar-sistemik.batukota.go.id/data-terbuka"


def rfc3339(moment: datetime) -> str:
    """An RFC 3339 timestamp in WIB, whole seconds: ``2026-03-05T10:00:00+07:00``."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    zone = ZoneInfo(get_settings().timezone)
    return aware.astimezone(zone).replace(microsecond=0).isoformat()


def day_rfc3339(day: date) -> str:
    return rfc3339(datetime.combine(day, time(0), tzinfo=ZoneInfo(get_settings().timezone)))


def _value(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": CURRENCY}


def _agency_party_id(code: str) -> str:
    return f"ID-SKPD-BATU-{code}"


def _supplier_party_id(nib: str) -> str:
    return f"ID-NIB-{nib}"


@dataclass(frozen=True)
class _Context:
    settings: OpenDataSettings
    categories: dict[str, str]


def _items(order: Order, ctx: _Context, *, received: bool = False) -> list[dict[str, Any]]:
    items = []
    for line in order.lines:
        quantity = (line.quantity_received or 0) if received else line.quantity
        category = line.offer.category
        items.append(
            {
                "id": str(line.id),
                "description": line.description,
                "classification": {
                    "scheme": CLASSIFICATION_SCHEME,
                    "id": category,
                    "description": ctx.categories.get(category, category),
                },
                "quantity": quantity,
                "unit": {"name": line.unit, "value": _value(line.unit_price)},
            }
        )
    return items


def release(order: Order, ctx: _Context) -> dict[str, Any]:
    """The OCDS release of one realised order."""
    assert order.approved_at is not None
    agency, supplier = order.agency, order.supplier
    ocid = f"{ctx.settings.ocid_prefix}-{order.code}"
    moments = [
        m
        for m in (
            order.approved_at,
            order.accepted_at,
            order.delivered_at,
            order.received_at,
            order.paid_at,
            order.closed_at,
        )
        if m is not None
    ]
    latest = max(m.replace(tzinfo=UTC) if m.tzinfo is None else m for m in moments)
    buyer = {"id": _agency_party_id(agency.code), "name": agency.name}
    seller = {"id": _supplier_party_id(supplier.nib), "name": supplier.name}
    paid = order.status in (OrderStatus.PAID, OrderStatus.CLOSED) and order.paid_amount is not None
    items = _items(order, ctx)
    tags = ["tender", "award", "contract"]
    contract: dict[str, Any] = {
        "id": f"{order.code}-contract",
        "awardID": f"{order.code}-award",
        "title": f"Surat Pesanan {order.code}",
        "status": "terminated" if order.status == OrderStatus.CLOSED else "active",
        "dateSigned": rfc3339(order.approved_at),
        "value": _value(order.total_amount),
        "items": items,
        "period": {
            "startDate": rfc3339(order.approved_at),
            "endDate": day_rfc3339(order.delivery_date),
        },
    }
    if paid:
        assert order.paid_amount is not None and order.payment_date is not None
        tags.append("implementation")
        contract["implementation"] = {
            "transactions": [
                {
                    "id": f"{order.code}-payment",
                    "source": "APBD Kota Batu",
                    "date": day_rfc3339(order.payment_date),
                    "value": _value(order.paid_amount),
                    "payer": buyer,
                    "payee": seller,
                }
            ]
        }
    address = {
        "locality": supplier.region,
        "region": "Jawa Timur",
        "countryName": "Indonesia",
    }
    return {
        "ocid": ocid,
        "id": f"{order.code}-{order.status.value}-{latest:%Y%m%d%H%M%S}",
        "date": rfc3339(latest),
        "tag": tags,
        "initiationType": "tender",
        "language": "id",
        "parties": [
            {
                "id": buyer["id"],
                "name": agency.name,
                "identifier": {
                    "scheme": "X-SKPD-BATU",
                    "id": agency.code,
                    "legalName": agency.name,
                },
                "address": {
                    "locality": agency.region or "Kota Batu",
                    "region": "Jawa Timur",
                    "countryName": "Indonesia",
                },
                "roles": ["buyer", "procuringEntity"],
            },
            {
                "id": seller["id"],
                "name": supplier.name,
                "identifier": {"scheme": "ID-NIB", "id": supplier.nib, "legalName": supplier.name},
                "address": address,
                "roles": ["supplier"],
                "details": {
                    "scale": SCALES[SizeClass(supplier.size_class)],
                    "sizeClass": SizeClass(supplier.size_class).value,
                    "isKoperasi": supplier.is_koperasi,
                    "isLocal": supplier.is_local,
                    "kecamatan": supplier.kecamatan,
                },
            },
        ],
        "buyer": buyer,
        "tender": {
            "id": f"{order.code}-tender",
            "title": f"Pengadaan langsung pasar sistemik {order.code}",
            "status": "complete",
            "items": items,
            "value": _value(order.total_amount),
            "procuringEntity": buyer,
            "procurementMethod": "direct",
            "procurementMethodDetails": "Pengadaan langsung melalui pasar sistemik Kota Batu",
            "mainProcurementCategory": "goods",
            "tenderers": [seller],
            "numberOfTenderers": 1,
        },
        "awards": [
            {
                "id": f"{order.code}-award",
                "title": f"Penetapan penyedia {order.code}",
                "status": "active",
                "date": rfc3339(order.approved_at),
                "value": _value(order.total_amount),
                "suppliers": [seller],
                "items": items,
            }
        ],
        "contracts": [contract],
    }


def period_orders(session: Session, period: Period) -> list[Order]:
    """Realised orders approved in the period (WIB days), by code."""

    candidates = session.scalars(
        select(Order)
        .where(
            Order.status.in_(REALISED_STATUSES),
            Order.approved_at >= day_start_utc(period.start) - timedelta(days=1),
            Order.approved_at < day_start_utc(period.end + timedelta(days=2)),
        )
        .options(
            selectinload(Order.agency),
            selectinload(Order.supplier),
            selectinload(Order.lines).selectinload(OrderLine.offer).load_only(Offer.category),
        )
        .order_by(Order.code)
    )
    return [
        o for o in candidates if o.approved_at is not None and local_day(o.approved_at) in period
    ]


def release_package(
    session: Session,
    period: Period,
    *,
    published: datetime | None = None,
    settings: OpenDataSettings | None = None,
) -> dict[str, Any]:
    """The OCDS 1.1 release package of the period's orders."""
    settings = settings or OpenDataSettings()
    ctx = _Context(settings, {code: c.name_id for code, c in load_taxonomy().items()})
    published = published or datetime.now(UTC)
    return {
        "uri": f"{settings.base_uri}?start={period.start.isoformat()}&end={period.end.isoformat()}",
        "version": OCDS_VERSION,
        "publishedDate": rfc3339(published),
        "publisher": {"name": settings.publisher_name, "uri": settings.publisher_uri},
        "license": settings.license,
        "publicationPolicy": settings.publication_policy,
        "releases": [release(order, ctx) for order in period_orders(session, period)],
    }


def filename(period: Period) -> str:
    return f"ocds-pasar-sistemik-{period.start.isoformat()}-{period.end.isoformat()}.json"
