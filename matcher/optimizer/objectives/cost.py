"""Stage 3: minimise cost = sum of x * unit price."""

from __future__ import annotations

from matcher.optimizer.objectives.base import Objective, PairsModel, full_coef


def objective(form: PairsModel) -> Objective:
    """Stage 3: minimise cost = sum of x * unit price."""
    return Objective("cost", full_coef(form, form.pairs.price), "min", reported_sense="min")
