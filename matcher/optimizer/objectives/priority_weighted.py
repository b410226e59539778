"""Weighted stage 2 for what-if scenarios: maximise ``w * priority value - cost``.

Used instead of the spec's stage 2 (maximise priority value) when the policy sets
``priority_weight``: each rupiah of priority value (at HPS, as objective 2) is worth ``w``
rupiah of cost. ``w = 0`` makes stage 2 a pure cost minimisation, which is what the
"price of localness" sweep uses together with a hard floor. Coefficients are scaled by
:data:`SCALE` so that a fractional weight stays integer; the reported stage value is
divided back to rupiah by :func:`matcher.optimizer.constraints.priority_share.finish`."""

from __future__ import annotations

import numpy as np

from matcher.optimizer.objectives.base import Objective, PairsModel, full_coef

SCALE = 1000


def objective(form: PairsModel) -> Objective:
    weight = form.instance.policy.priority_weight or 0.0
    pairs = form.pairs
    scaled_weight = round(weight * SCALE)
    coef = np.where(pairs.priority, scaled_weight * pairs.hps, 0) - SCALE * pairs.price
    return Objective(
        "priority_weighted", full_coef(form, coef.astype(np.int64)), "max", reported_sense="max"
    )
