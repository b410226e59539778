"""At most k offers serve one need: sum over o of y(n, o) <= k, for needs with more than k
eligible offers (the others cannot violate it and get no y columns for it)."""

from __future__ import annotations

import numpy as np

from matcher.optimizer.formulation import Formulation


def add(form: Formulation) -> None:
    pairs = form.pairs
    needs = form.instance.needs
    k = form.instance.policy.max_suppliers_per_need
    if not len(pairs):
        return
    per_need = np.bincount(pairs.need, minlength=len(needs))
    active = per_need > k
    members = np.flatnonzero(active[pairs.need])
    if not members.size:
        return
    local = np.cumsum(active) - 1
    need_ids = np.flatnonzero(active)
    form.add_family(
        "k_suppliers",
        [needs[int(i)].need_id for i in need_ids],
        np.full(need_ids.size, -np.inf),
        np.full(need_ids.size, float(k)),
        local[pairs.need[members]].astype(np.int64),
        form.y_of_pair[members].astype(np.int64),
        np.ones(members.size, dtype=np.int64),
    )
