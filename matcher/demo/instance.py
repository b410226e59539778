"""Exporting the demo dataset as a spec instance folder (shared/spec/allocation-model.md):
suppliers.csv, offers.csv, agencies.csv, needs.csv and policy.json, for ``matcher solve``.

What the folder format cannot express is resolved on the dataset's day: a supplier's
``certs`` are the certificates still valid that day, ``verified`` is its status today, only
active verified offers are listed, only submitted needs form the planning round, and an
agency's budget is the part of its annual budget set aside for this round. The folder is
written by the optimiser's one writer of the format, ``matcher.optimizer.io.write_instance``."""

from __future__ import annotations

from pathlib import Path

from matcher.demo.generate import DemoDataset
from matcher.models import NeedStatus, VerificationStatus
from matcher.optimizer import model as opt
from matcher.optimizer.io import write_instance as write_instance_folder


def to_instance(dataset: DemoDataset) -> opt.Instance:
    """The demo's planning round as an optimiser instance."""
    day = dataset.today
    suppliers = tuple(
        opt.Supplier(
            supplier_id=s.code,
            name=s.name,
            nib=s.nib,
            size_class=s.size_class.value,
            is_koperasi=s.is_koperasi,
            region=s.region,
            kecamatan=s.kecamatan,
            is_local=s.is_local,
            verified=s.status == VerificationStatus.VERIFIED,
            certs=frozenset(s.valid_certificate_types(day)),
        )
        for s in dataset.suppliers
    )
    offers = tuple(
        opt.Offer(
            offer_id=o.code,
            supplier_id=s.code,
            category=o.category,
            name=o.name,
            unit=o.unit,
            unit_price=o.unit_price,
            capacity=o.capacity,
            min_order_qty=o.min_order_qty,
            lead_time_days=o.lead_time_days,
        )
        for s in dataset.suppliers
        for o in s.offers
        if o.active and o.status == VerificationStatus.VERIFIED
    )
    agencies = tuple(opt.Agency(a.code, a.name, a.round_budget) for a in dataset.agencies)
    needs = tuple(
        opt.Need(
            need_id=n.code,
            agency_id=n.agency_code,
            category=n.category,
            description=n.description,
            quantity=n.quantity,
            max_unit_price=n.max_unit_price,
            required_certs=frozenset(n.required_certs),
            needed_by=n.needed_by,
            region=n.region,
        )
        for n in dataset.needs
        if n.status == NeedStatus.SUBMITTED
    )
    policy = opt.Policy(
        today=day,
        max_suppliers_per_need=dataset.max_suppliers_per_need,
        max_supplier_value=dataset.max_supplier_value,
    )
    return opt.Instance(suppliers, offers, agencies, needs, policy)


def write_instance(dataset: DemoDataset, directory: Path) -> dict[str, int]:
    """Write the instance folder (created if missing); returns rows written per file."""
    instance = to_instance(dataset)
    write_instance_folder(instance, directory)
    return {
        "suppliers.csv": len(instance.suppliers),
        "offers.csv": len(instance.offers),
        "agencies.csv": len(instance.agencies),
        "needs.csv": len(instance.needs),
    }
