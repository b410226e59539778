"""Minimum order and the on/off link: x(n, o) is 0 or at least min_order_qty(o).

With indicator y(p): moq * y <= x <= min(quantity, capacity) * y (the tight big-M). Pairs
without a y column have moq 1 and need no link."""

from __future__ import annotations

import numpy as np

from matcher.optimizer.formulation import Formulation


def add(form: Formulation) -> None:
    pairs = form.pairs
    with_y = np.flatnonzero(form.y_of_pair >= 0)
    if not with_y.size:
        return
    y = form.y_of_pair[with_y]
    m = with_y.size
    keys = [f"{int(p)}" for p in with_y]
    # x - ub*y <= 0
    form.add_family(
        "link",
        keys,
        np.full(m, -np.inf),
        np.zeros(m),
        np.concatenate([np.arange(m), np.arange(m)]).astype(np.int64),
        np.concatenate([with_y, y]).astype(np.int64),
        np.concatenate([np.ones(m, dtype=np.int64), -pairs.ub[with_y]]),
    )
    big = with_y[pairs.moq[with_y] > 1]
    if not big.size:
        return
    yb = form.y_of_pair[big]
    b = big.size
    # x - moq*y >= 0
    form.add_family(
        "min_order",
        [f"{int(p)}" for p in big],
        np.zeros(b),
        np.full(b, np.inf),
        np.concatenate([np.arange(b), np.arange(b)]).astype(np.int64),
        np.concatenate([big, yb]).astype(np.int64),
        np.concatenate([np.ones(b, dtype=np.int64), -pairs.moq[big]]),
    )
