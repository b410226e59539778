"""Exporting the demo dataset as a spec instance folder (shared/spec/allocation-model.md):
suppliers.csv, offers.csv, agencies.csv, needs.csv and policy.json, for ``matcher solve``.

What the folder format cannot express is resolved on the dataset's day: a supplier's
``certs`` are the certificates still valid that day, ``verified`` is its status today, only
active verified offers are listed, only submitted needs form the planning round, and an
agency's budget is the part of its annual budget set aside for this round."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from matcher.demo.generate import DemoDataset
from matcher.models import NeedStatus, VerificationStatus

SUPPLIER_COLUMNS = (
    "supplier_id",
    "name",
    "nib",
    "size_class",
    "is_koperasi",
    "region",
    "kecamatan",
    "is_local",
    "verified",
    "certs",
)
OFFER_COLUMNS = (
    "offer_id",
    "supplier_id",
    "category",
    "name",
    "unit",
    "unit_price",
    "capacity",
    "min_order_qty",
    "lead_time_days",
)
AGENCY_COLUMNS = ("agency_id", "name", "budget")
NEED_COLUMNS = (
    "need_id",
    "agency_id",
    "category",
    "description",
    "quantity",
    "max_unit_price",
    "required_certs",
    "needed_by",
    "region",
)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _write(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def write_instance(dataset: DemoDataset, directory: Path) -> dict[str, int]:
    """Write the instance folder (created if missing); returns rows written per file."""
    directory.mkdir(parents=True, exist_ok=True)
    day = dataset.today
    suppliers = [
        (
            s.code,
            s.name,
            s.nib,
            s.size_class.value,
            _bool(s.is_koperasi),
            s.region,
            s.kecamatan,
            _bool(s.is_local),
            _bool(s.status == VerificationStatus.VERIFIED),
            ";".join(s.valid_certificate_types(day)),
        )
        for s in dataset.suppliers
    ]
    offers = [
        (
            o.code,
            s.code,
            o.category,
            o.name,
            o.unit,
            o.unit_price,
            o.capacity,
            o.min_order_qty,
            o.lead_time_days,
        )
        for s in dataset.suppliers
        for o in s.offers
        if o.active and o.status == VerificationStatus.VERIFIED
    ]
    agencies = [(a.code, a.name, a.round_budget) for a in dataset.agencies]
    needs = [
        (
            n.code,
            n.agency_code,
            n.category,
            n.description,
            n.quantity,
            n.max_unit_price,
            ";".join(n.required_certs),
            n.needed_by.isoformat(),
            n.region,
        )
        for n in dataset.needs
        if n.status == NeedStatus.SUBMITTED
    ]
    _write(directory / "suppliers.csv", SUPPLIER_COLUMNS, suppliers)
    _write(directory / "offers.csv", OFFER_COLUMNS, offers)
    _write(directory / "agencies.csv", AGENCY_COLUMNS, agencies)
    _write(directory / "needs.csv", NEED_COLUMNS, needs)
    policy = {
        "today": day.isoformat(),
        "max_suppliers_per_need": dataset.max_suppliers_per_need,
        "max_supplier_value": dataset.max_supplier_value,
    }
    (directory / "policy.json").write_text(json.dumps(policy, indent=2) + "\n", encoding="utf-8")
    return {
        "suppliers.csv": len(suppliers),
        "offers.csv": len(offers),
        "agencies.csv": len(agencies),
        "needs.csv": len(needs),
    }
