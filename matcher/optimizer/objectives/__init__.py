"""One module per objective; :data:`STAGES` is the spec's lexicographic order. A new
objective (e.g. a weighted priority share for what-if scenarios) is a new module."""

from __future__ import annotations

from collections.abc import Callable

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Instance
from matcher.optimizer.objectives import cost, priority, unmet
from matcher.optimizer.objectives.base import Objective, PairsModel, PairsView, Sense

ObjectiveModule = Callable[[PairsModel], Objective]

STAGES: tuple[tuple[str, ObjectiveModule], ...] = (
    ("unmet", unmet.objective),
    ("priority", priority.objective),
    ("cost", cost.objective),
)


def objective_over_pairs(make: ObjectiveModule, instance: Instance, pd: PairData) -> Objective:
    """The objective over all pairs, without building the full formulation."""
    return make(PairsView(instance, pd))


__all__ = [
    "STAGES",
    "Objective",
    "ObjectiveModule",
    "PairsModel",
    "PairsView",
    "Sense",
    "objective_over_pairs",
]
