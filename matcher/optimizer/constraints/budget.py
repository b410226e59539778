"""Agency budget: sum over the agency's needs of x * unit_price <= budget(agency).

Skipped for agencies whose eligible pairs cannot exceed the budget even at full supply."""

from __future__ import annotations

import numpy as np

from matcher.optimizer.formulation import Formulation


def add(form: Formulation) -> None:
    pairs = form.pairs
    agencies = form.instance.agencies
    if not len(pairs):
        return
    most = np.bincount(pairs.agency, weights=pairs.ub * pairs.price, minlength=len(agencies))
    budget = np.array([a.budget for a in agencies], dtype=np.float64)
    active = most > budget
    members = np.flatnonzero(active[pairs.agency])
    if not members.size:
        return
    local = np.cumsum(active) - 1
    agency_ids = np.flatnonzero(active)
    form.add_family(
        "budget",
        [agencies[int(i)].agency_id for i in agency_ids],
        np.full(agency_ids.size, -np.inf),
        budget[agency_ids],
        local[pairs.agency[members]].astype(np.int64),
        members.astype(np.int64),
        pairs.price[members],
    )
