"""Offer capacity: sum over needs of x(n, o) <= capacity(o), for offers shared by needs
whose combined upper bounds exceed it (single-need offers are bounded by x's own bound)."""

from __future__ import annotations

import numpy as np

from matcher.optimizer.formulation import Formulation


def add(form: Formulation) -> None:
    pairs = form.pairs
    offers = form.instance.offers
    if not len(pairs):
        return
    total_ub = np.bincount(pairs.offer, weights=pairs.ub, minlength=len(offers))
    cap = np.array([o.capacity for o in offers], dtype=np.float64)
    active = total_ub > cap
    members = np.flatnonzero(active[pairs.offer])
    local = np.cumsum(active) - 1
    offer_ids = np.flatnonzero(active)
    form.add_family(
        "capacity",
        [offers[int(i)].offer_id for i in offer_ids],
        np.full(offer_ids.size, -np.inf),
        cap[offer_ids],
        local[pairs.offer[members]].astype(np.int64),
        members.astype(np.int64),
        np.ones(members.size, dtype=np.int64),
    )
