"""Stage 2: maximise sum of x * HPS over offers of priority suppliers."""

from __future__ import annotations

import numpy as np

from matcher.optimizer.objectives.base import Objective, PairsModel, full_coef


def objective(form: PairsModel) -> Objective:
    """Stage 2: maximise sum of x * HPS over offers of priority suppliers."""
    return Objective(
        "priority",
        full_coef(form, np.where(form.pairs.priority, form.pairs.hps, 0).astype(np.int64)),
        "max",
        reported_sense="max",
    )
