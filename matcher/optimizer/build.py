"""Building the solver-neutral formulation from an instance and adding stage-fixing rows."""

from __future__ import annotations

import copy

import numpy as np
import numpy.typing as npt

from matcher.optimizer import constraints
from matcher.optimizer.eligibility import EligiblePairs
from matcher.optimizer.formulation import Formulation, needs_indicator, pair_data
from matcher.optimizer.model import Instance
from matcher.optimizer.objectives import Objective


def build_formulation(instance: Instance, pairs: EligiblePairs | None = None) -> Formulation:
    data = pair_data(instance, pairs)
    p = len(data)
    indicator = needs_indicator(data, instance.policy.max_suppliers_per_need, len(instance.needs))
    y_of_pair = np.full(p, -1, dtype=np.int64)
    y_pairs = np.flatnonzero(indicator)
    y_of_pair[y_pairs] = p + np.arange(y_pairs.size)
    col_lb = np.zeros(p + y_pairs.size, dtype=np.int64)
    col_ub = np.concatenate([data.ub, np.ones(y_pairs.size, dtype=np.int64)])
    form = Formulation(instance, data, y_of_pair, col_lb, col_ub)
    for _name, add in constraints.ALL:
        add(form)
    return form


def with_objective_fixed(
    form: Formulation, objective: Objective, internal_value: int
) -> Formulation:
    """A copy with the row ``coef . x >= value`` (max) or ``<= value`` (min): a later stage may
    never worsen this objective."""
    fixed = copy.copy(form)
    fixed.families = dict(form.families)
    cols = np.flatnonzero(objective.coef).astype(np.int64)
    lo, hi = (
        (float(internal_value), np.inf)
        if objective.sense == "max"
        else (
            -np.inf,
            float(internal_value),
        )
    )
    fixed.add_family(
        f"fix_{objective.name}",
        [objective.name],
        [lo],
        [hi],
        np.zeros(cols.size, dtype=np.int64),
        cols,
        objective.coef[cols],
    )
    return fixed


def complete_columns(form: Formulation, x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Full column vector from x values: y = 1 exactly where x > 0."""
    full = np.zeros(form.num_cols, dtype=np.int64)
    full[: form.num_pairs] = x
    with_y = np.flatnonzero(form.y_of_pair >= 0)
    full[form.y_of_pair[with_y]] = (x[with_y] > 0).astype(np.int64)
    return full


def is_feasible(form: Formulation, cols: npt.NDArray[np.int64]) -> bool:
    """Whether a full column vector satisfies every row and bound (integer arithmetic)."""
    if (cols < form.col_lb).any() or (cols > form.col_ub).any():
        return False
    for fam in form.families.values():
        if not fam.size:
            continue
        act = np.bincount(fam.row, weights=None, minlength=fam.size).astype(np.int64) * 0
        np.add.at(act, fam.row, fam.val * cols[fam.col])
        if (act < fam.lo - 1e-9).any() or (act > fam.hi + 1e-9).any():
            return False
    return True
