"""The contract every MIP back end implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from matcher.optimizer.formulation import Formulation
from matcher.optimizer.model import StageStatus
from matcher.optimizer.objectives import Objective

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SolveParams:
    time_limit: float = 60.0
    threads: int = 2
    seed: int = 0
    deterministic: bool = False


@dataclass(frozen=True)
class SolveOutcome:
    """``values`` is a full column vector (x then y); ``objective`` and ``bound`` are in the
    internal sense of the objective (``coef . x``)."""

    status: StageStatus
    values: IntArray | None
    objective: int | None
    bound: float | None
    seconds: float
    solver: str


class MipBackend(Protocol):
    name: str

    def solve(
        self,
        form: Formulation,
        objective: Objective,
        params: SolveParams,
        hint: IntArray | None = None,
    ) -> SolveOutcome: ...


def tighter(sense: str, a: float | None, b: float | None) -> float | None:
    """The tighter of two bounds on an objective of ``sense`` (either may be missing): the
    least for a maximisation, the greatest for a minimisation."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b) if sense == "max" else max(a, b)


def proven(objective: Objective, value: int | None, bound: float | None) -> bool:
    """Optimal only when the integer value meets the rounded bound exactly."""
    if value is None or bound is None:
        return False
    if objective.sense == "max":
        return int(np.floor(bound + 1e-6)) <= value
    return int(np.ceil(bound - 1e-6)) >= value
