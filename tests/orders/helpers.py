"""Building blocks for the order tests: plans ready for approval, draft orders, PDF text."""

from __future__ import annotations

import contextlib
import re
import uuid
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from matcher.clock import today
from matcher.models import (
    Agency,
    Need,
    NeedStatus,
    Offer,
    Order,
    OrderLine,
    OrderStatus,
    Plan,
    PlanLine,
    PlanStatus,
    Supplier,
)
from tests.factories import Factory


def need(factory: Factory, agency: Agency, **fields: Any) -> Need:
    values: dict[str, Any] = {
        "code": f"TN{factory._n():06d}",
        "agency_id": agency.id,
        "category": "SNACK",
        "description": "Snack box rapat koordinasi",
        "quantity": 100,
        "unit": "kotak",
        "max_unit_price": 20_000,
        "required_certs": [],
        "needed_by": today() + timedelta(days=14),
        "region": "Sisir",
        "status": NeedStatus.PLANNED,
    }
    values.update(fields)
    row = Need(**values)
    factory.session.add(row)
    factory.session.commit()
    return row


def plan(factory: Factory, agency: Agency | None, lines: list[tuple[Need, Offer, int]]) -> Plan:
    """A completed plan (as the planner stores it) with proposed lines."""
    session = factory.session
    row = Plan(
        name="Rencana uji",
        agency_id=agency.id if agency else None,
        status=PlanStatus.COMPLETED,
        plan_date=today(),
        need_ids=[n.id for n, _, _ in lines],
    )
    session.add(row)
    session.flush()
    for need_row, offer, quantity in lines:
        session.add(
            PlanLine(
                plan_id=row.id,
                need_id=need_row.id,
                offer_id=offer.id,
                supplier_id=offer.supplier_id,
                quantity=quantity,
                unit_price=offer.unit_price,
                is_priority=True,
            )
        )
    session.commit()
    session.refresh(row, ["lines"])
    return row


def draft_order(
    session: Session, agency: Agency, offer: Offer, need_row: Need, quantity: int, **fields: Any
) -> Order:
    """A draft order straight in the database (as plan approval makes them)."""
    order = Order(
        code=f"T-{uuid.uuid4().hex[:16]}",
        agency_id=agency.id,
        supplier_id=offer.supplier_id,
        status=OrderStatus.DRAFT,
        delivery_place="Balai Kota Among Tani",
        delivery_date=need_row.needed_by,
        total_amount=quantity * offer.unit_price,
        committed_amount=0,
        flags=[],
        **fields,
    )
    order.lines.append(
        OrderLine(
            need_id=need_row.id,
            offer_id=offer.id,
            description=offer.name,
            unit=offer.unit,
            quantity=quantity,
            unit_price=offer.unit_price,
            reserved_quantity=0,
        )
    )
    session.add(order)
    session.commit()
    return order


@dataclass
class Scene:
    agency: Agency
    supplier: Supplier
    offer: Offer
    need: Need
    officer_headers: dict[str, str]
    supplier_headers: dict[str, str]
    admin_headers: dict[str, str]


def scene(
    factory: Factory, *, capacity: int = 500, budget: int = 500_000_000, **offer_fields: Any
) -> Scene:
    from matcher.models import Role

    agency = factory.agency(budget=budget, address="Jl. Panglima Sudirman No. 507, Kota Batu")
    supplier = factory.supplier(
        name="UMKM Snack Sisir",
        address="Jl. Diponegoro 12",
        bank_name="Bank Jatim",
        bank_account_number="0011223344",
        bank_account_name="UMKM Snack Sisir",
    )
    offer = factory.offer(supplier, capacity=capacity, **offer_fields)
    need_row = need(factory, agency)
    _, officer_headers = factory.login(Role.OFFICER, agency_id=agency.id)
    _, supplier_headers = factory.login(Role.SUPPLIER, supplier_id=supplier.id)
    _, admin_headers = factory.login(Role.ADMIN)
    return Scene(
        agency, supplier, offer, need_row, officer_headers, supplier_headers, admin_headers
    )


_TJ = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def pdf_text(content: bytes) -> str:
    """The text shown by an fpdf2 PDF (core fonts): inflate the page streams and collect the
    string operands of ``Tj``."""
    assert content.startswith(b"%PDF-")
    texts: list[str] = []
    for match in _STREAM.finditer(content):
        raw = match.group(1)
        with contextlib.suppress(zlib.error):
            raw = zlib.decompress(raw)
        for string in _TJ.findall(raw):
            unescaped = re.sub(rb"\\(.)", rb"\1", string)
            texts.append(unescaped.decode("latin-1"))
    return re.sub(r"\s+", " ", " ".join(texts))


def day_after(days: int) -> date:
    return today() + timedelta(days=days)
