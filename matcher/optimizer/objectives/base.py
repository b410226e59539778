"""An objective is linear in the x columns: the solvers optimise ``coef . x`` in ``sense``,
and the value reported in rupiah is ``offset + sign * coef . x``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from matcher.optimizer.formulation import PairData
from matcher.optimizer.model import Instance

Sense = Literal["max", "min"]


class PairsModel(Protocol):
    """What an objective module reads: the instance, the pairs and the column count
    (a :class:`~matcher.optimizer.formulation.Formulation` or a :class:`PairsView`)."""

    @property
    def instance(self) -> Instance: ...

    @property
    def pairs(self) -> PairData: ...

    @property
    def num_pairs(self) -> int: ...

    @property
    def num_cols(self) -> int: ...


class PairsView:
    """Objectives over the pairs only (no y columns, no rows): for engines that do not build
    the full formulation."""

    def __init__(self, instance: Instance, pairs: PairData) -> None:
        self.instance = instance
        self.pairs = pairs
        self.num_pairs = len(pairs)
        self.num_cols = len(pairs)


@dataclass(frozen=True)
class Objective:
    name: str
    coef: npt.NDArray[np.int64]  # over all columns (zeros on y)
    sense: Sense
    offset: int = 0
    sign: int = 1  # reported = offset + sign * coef.x
    reported_sense: Sense = "min"

    def internal(self, x: npt.NDArray[np.int64]) -> int:
        return int(np.dot(self.coef[: x.shape[0]], x)) if x.size else 0

    def report(self, internal: int) -> int:
        return self.offset + self.sign * internal

    def report_bound(self, internal_bound: float) -> int:
        """A valid bound in the reported sense from a bound on ``coef . x``."""
        if self.sense == "max":
            rounded = int(np.floor(internal_bound + 1e-6))
        else:
            rounded = int(np.ceil(internal_bound - 1e-6))
        return self.offset + self.sign * rounded


def full_coef(form: PairsModel, x_coef: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    coef = np.zeros(form.num_cols, dtype=np.int64)
    coef[: form.num_pairs] = x_coef
    return coef


def gcd_of(values: npt.NDArray[np.int64]) -> int:
    """Greatest common divisor of the nonzero values (1 when there are none)."""
    nz = np.abs(values[values != 0])
    return int(np.gcd.reduce(nz)) if nz.size else 1
