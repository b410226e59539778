"""One pure function per change type: ``(Instance, change) -> Instance``.

The optimiser stays database-free: every change rewrites the plain dataclasses with
:func:`dataclasses.replace`. Money and units stay integers: percentages are applied exactly
(:class:`fractions.Fraction`) and rounded down for budgets and capacities (never promise more
than there is), to the nearest rupiah for prices and to the nearest unit for demand."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from fractions import Fraction
from typing import Any

from matcher.catalog.taxonomy import get_category
from matcher.errors import InvalidInput
from matcher.geography import all_desa
from matcher.optimizer.model import Instance, Need, Offer, Policy, Supplier
from matcher.policy import CertificateRule
from matcher.scenarios.schema import (
    AddSuppliers,
    BudgetChange,
    CapacityChange,
    CertificateRuleChange,
    Change,
    DemandChange,
    PolicyChange,
    PriceChange,
    RemoveSuppliers,
    SupplierFilter,
)


class ChangeError(InvalidInput):
    """A change that does not fit its base (an unknown agency or supplier, a code clash)."""


def _factor(percent: float) -> Fraction:
    return 1 + Fraction(str(percent)) / 100


def _floor_pct(value: int, percent: float) -> int:
    return max(0, math.floor(value * _factor(percent)))


def _round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _check_known(kind: str, wanted: Iterable[str] | None, known: Iterable[str]) -> None:
    if wanted is None:
        return
    missing = sorted(set(wanted) - set(known))
    if missing:
        raise ChangeError(f"{kind} tidak ada di data dasar: {', '.join(missing)}")


def budget(instance: Instance, change: BudgetChange) -> Instance:
    _check_known("instansi", change.agencies, instance.agency_by_id)
    chosen = None if change.agencies is None else set(change.agencies)
    agencies = []
    for agency in instance.agencies:
        if chosen is None or agency.agency_id in chosen:
            if change.percent is not None:
                new = _floor_pct(agency.budget, change.percent)
            else:
                new = max(0, agency.budget + (change.amount or 0))
            agency = replace(agency, budget=new)
        agencies.append(agency)
    return replace(instance, agencies=tuple(agencies))


def _supplier_matches(supplier: Supplier, f: SupplierFilter) -> bool:
    if f.suppliers is not None and supplier.supplier_id not in f.suppliers:
        return False
    if f.kecamatan is not None and supplier.kecamatan.lower() not in {
        k.lower() for k in f.kecamatan
    }:
        return False
    if f.size_classes is not None and supplier.size_class not in f.size_classes:
        return False
    return f.koperasi is None or supplier.is_koperasi == f.koperasi


def _offer_matches(instance: Instance, offer: Offer, f: SupplierFilter) -> bool:
    if f.categories is not None and offer.category not in f.categories:
        return False
    return _supplier_matches(instance.supplier_by_id[offer.supplier_id], f)


def capacity(instance: Instance, change: CapacityChange) -> Instance:
    _check_known("pemasok", change.suppliers, instance.supplier_by_id)
    offers = []
    for offer in instance.offers:
        if _offer_matches(instance, offer, change):
            if change.percent is not None:
                new = _floor_pct(offer.capacity, change.percent)
            else:
                new = max(0, offer.capacity + (change.amount or 0))
            offer = replace(offer, capacity=new)
        offers.append(offer)
    return replace(instance, offers=tuple(offers))


def _median_price(instance: Instance, category: str) -> int:
    prices = [o.unit_price for o in instance.offers_by_category.get(category, ())]
    if not prices:
        raise ChangeError(
            f"tidak ada penawaran {category} di data dasar: isi 'unit_price' penawaran baru"
        )
    return int(statistics.median_low(prices))


def add_suppliers(instance: Instance, change: AddSuppliers) -> Instance:
    places = all_desa()
    count = len(places) if change.per_desa else int(change.count or 0)
    suppliers = list(instance.suppliers)
    offers = list(instance.offers)
    taken = set(instance.supplier_by_id) | set(instance.offer_by_id)
    for i in range(count):
        desa, kecamatan = places[i % len(places)]
        code = f"{change.prefix}{i + 1:03d}"
        name = change.name.format(desa=desa, kecamatan=kecamatan, number=i + 1)
        supplier = Supplier(
            supplier_id=code,
            name=name,
            nib=f"99{i + 1:011d}",
            size_class=change.size_class,
            is_koperasi=change.is_koperasi,
            region=desa,
            kecamatan=kecamatan,
            is_local=True,
            verified=change.verified,
            certs=frozenset(change.certs),
        )
        new_offers = []
        for j, spec in enumerate(change.offers):
            category = get_category(spec.category)
            new_offers.append(
                Offer(
                    offer_id=f"{code}-{j + 1}",
                    supplier_id=code,
                    category=spec.category,
                    name=spec.name or f"{category.name_id} ({name})",
                    unit=spec.unit or category.unit,
                    unit_price=spec.unit_price or _median_price(instance, spec.category),
                    capacity=spec.capacity,
                    min_order_qty=spec.min_order_qty,
                    lead_time_days=spec.lead_time_days,
                )
            )
        clash = ({code} | {o.offer_id for o in new_offers}) & taken
        if clash:
            raise ChangeError(f"kode sudah dipakai di data dasar: {', '.join(sorted(clash))}")
        suppliers.append(supplier)
        offers.extend(new_offers)
    return replace(instance, suppliers=tuple(suppliers), offers=tuple(offers))


def remove_suppliers(instance: Instance, change: RemoveSuppliers) -> Instance:
    _check_known("pemasok", change.suppliers, instance.supplier_by_id)
    offered: dict[str, set[str]] = {}
    for offer in instance.offers:
        offered.setdefault(offer.supplier_id, set()).add(offer.category)
    chosen = {
        s.supplier_id
        for s in instance.suppliers
        if _supplier_matches(s, change)
        and (
            change.categories is None
            or bool(offered.get(s.supplier_id, set()) & set(change.categories))
        )
    }
    if change.mode == "suspend":
        suppliers = tuple(
            replace(s, verified=False) if s.supplier_id in chosen else s for s in instance.suppliers
        )
        return replace(instance, suppliers=suppliers)
    return replace(
        instance,
        suppliers=tuple(s for s in instance.suppliers if s.supplier_id not in chosen),
        offers=tuple(o for o in instance.offers if o.supplier_id not in chosen),
    )


def price(instance: Instance, change: PriceChange) -> Instance:
    factor = _factor(change.percent)
    offers = tuple(
        replace(o, unit_price=max(1, _round_half_up(o.unit_price * factor)))
        if change.categories is None or o.category in change.categories
        else o
        for o in instance.offers
    )
    return replace(instance, offers=offers)


def certificate_rule(instance: Instance, change: CertificateRuleChange) -> Instance:
    rule = CertificateRule(
        certificate=change.certificate,
        effective_from=change.effective_from or date.min,
        source="skenario what-if",
        food_categories=change.food_categories,
        categories=frozenset(change.categories),
    )
    needs = tuple(
        replace(n, required_certs=n.required_certs | {rule.certificate})
        if rule.applies(n.category, n.needed_by)
        else n
        for n in instance.needs
    )
    return replace(instance, needs=needs)


def policy(instance: Instance, change: PolicyChange) -> Instance:
    p: Policy = instance.policy
    if change.max_suppliers_per_need is not None:
        p = replace(p, max_suppliers_per_need=change.max_suppliers_per_need)
    if change.remove_supplier_cap:
        p = replace(p, max_supplier_value=None)
    if change.max_supplier_value is not None:
        p = replace(p, max_supplier_value=change.max_supplier_value)
    share = change.min_local_share
    if share is not None:
        if share.mode == "hard":
            p = replace(p, min_priority_share=share.share, priority_weight=None)
        else:
            p = replace(p, min_priority_share=None, priority_weight=share.weight)
    return replace(instance, policy=p)


def demand(instance: Instance, change: DemandChange) -> Instance:
    _check_known("instansi", change.agencies, instance.agency_by_id)
    factor = _factor(change.percent)
    needs: list[Need] = []
    for need in instance.needs:
        if (change.categories is None or need.category in change.categories) and (
            change.agencies is None or need.agency_id in change.agencies
        ):
            need = replace(need, quantity=_round_half_up(need.quantity * factor))
        if need.quantity > 0:
            needs.append(need)
    return replace(instance, needs=tuple(needs))


APPLY: dict[str, Callable[[Instance, Any], Instance]] = {
    "budget": budget,
    "capacity": capacity,
    "add_suppliers": add_suppliers,
    "remove_suppliers": remove_suppliers,
    "price": price,
    "certificate_rule": certificate_rule,
    "policy": policy,
    "demand": demand,
}


def apply_change(instance: Instance, change: Change) -> Instance:
    return APPLY[change.type](instance, change)


def apply_changes(instance: Instance, changes: Iterable[Change]) -> Instance:
    for change in changes:
        instance = apply_change(instance, change)
    return instance


def share_target(changes: Iterable[Change]) -> tuple[float, str] | None:
    """The last minimum local/UMK share the changes set, with its mode (for reporting)."""
    target = None
    for change in changes:
        if isinstance(change, PolicyChange) and change.min_local_share is not None:
            target = (change.min_local_share.share, change.min_local_share.mode)
    return target
