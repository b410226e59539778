"""Supplier cap: sum over the supplier's offers of x * unit_price <= max_supplier_value,
when the policy sets a cap and the supplier could exceed it."""

from __future__ import annotations

import numpy as np

from matcher.optimizer.formulation import Formulation


def add(form: Formulation) -> None:
    pairs = form.pairs
    suppliers = form.instance.suppliers
    cap = form.instance.policy.max_supplier_value
    if cap is None or not len(pairs):
        return
    most = np.bincount(pairs.supplier, weights=pairs.ub * pairs.price, minlength=len(suppliers))
    active = most > cap
    members = np.flatnonzero(active[pairs.supplier])
    if not members.size:
        return
    local = np.cumsum(active) - 1
    supplier_ids = np.flatnonzero(active)
    form.add_family(
        "supplier_cap",
        [suppliers[int(i)].supplier_id for i in supplier_ids],
        np.full(supplier_ids.size, -np.inf),
        np.full(supplier_ids.size, float(cap)),
        local[pairs.supplier[members]].astype(np.int64),
        members.astype(np.int64),
        pairs.price[members],
    )
