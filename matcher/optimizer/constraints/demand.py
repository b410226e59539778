"""Never over-supply: sum over offers of x(n, o) <= quantity(n) (short(n) is the slack).

Rows are skipped for needs whose pairs cannot exceed the quantity together anyway."""

from __future__ import annotations

import numpy as np

from matcher.optimizer.formulation import Formulation


def add(form: Formulation) -> None:
    pairs = form.pairs
    needs = form.instance.needs
    if not len(pairs):
        return
    total_ub = np.bincount(pairs.need, weights=pairs.ub, minlength=len(needs))
    quantity = np.array([n.quantity for n in needs], dtype=np.float64)
    active = total_ub > quantity
    keep = active[pairs.need]
    members = np.flatnonzero(keep)
    rows_of_need = np.cumsum(active) - 1
    need_ids = np.flatnonzero(active)
    form.add_family(
        "demand",
        [needs[int(i)].need_id for i in need_ids],
        np.full(need_ids.size, -np.inf),
        quantity[need_ids],
        rows_of_need[pairs.need[members]].astype(np.int64),
        members.astype(np.int64),
        np.ones(members.size, dtype=np.int64),
    )
