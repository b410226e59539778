"""Stage 1: minimise unmet value = demand value - sum of x * HPS (maximise the filled part)."""

from __future__ import annotations

from matcher.optimizer.objectives.base import Objective, PairsModel, full_coef


def objective(form: PairsModel) -> Objective:
    """Stage 1: minimise unmet value = demand value - sum of x * HPS (maximise the filled part)."""
    return Objective(
        "unmet",
        full_coef(form, form.pairs.hps),
        "max",
        offset=form.instance.demand_value,
        sign=-1,
        reported_sense="min",
    )
