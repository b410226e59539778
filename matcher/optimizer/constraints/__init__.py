"""One module per constraint family of the spec; each exposes ``add(form)``.

:data:`ALL` is the order :func:`matcher.optimizer.build.build_formulation` applies them in; a
new policy constraint (e.g. a minimum priority share) is a new module appended here."""

from __future__ import annotations

from collections.abc import Callable

from matcher.optimizer.constraints import (
    budget,
    capacity,
    demand,
    k_suppliers,
    min_order,
    supplier_cap,
)
from matcher.optimizer.formulation import Formulation

ConstraintModule = Callable[[Formulation], None]

ALL: tuple[tuple[str, ConstraintModule], ...] = (
    ("demand", demand.add),
    ("capacity", capacity.add),
    ("min_order", min_order.add),
    ("k_suppliers", k_suppliers.add),
    ("budget", budget.add),
    ("supplier_cap", supplier_cap.add),
)
