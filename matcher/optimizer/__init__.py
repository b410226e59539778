"""The optimisation core: plain dataclasses in, an :class:`Allocation` out.

Entry points: :func:`solve` (lexicographic solve), :mod:`matcher.optimizer.eligibility`
(the single eligibility rule), :func:`read_instance` / :func:`read_allocation` /
:func:`write_allocation` (folder format), :func:`validate` (independent validator)."""

from matcher.optimizer.eligibility import (
    EligiblePairs,
    Ineligibility,
    ReasonCode,
    eligible_pairs,
    ineligibility_reasons,
    is_eligible,
)
from matcher.optimizer.io import read_allocation, read_instance, write_allocation
from matcher.optimizer.lexicographic import SOLVERS, SolveOptions, solve
from matcher.optimizer.model import (
    Agency,
    Allocation,
    AllocationLine,
    BindingConstraint,
    Instance,
    Need,
    NeedDiagnostic,
    NeedReason,
    Offer,
    Policy,
    StageResult,
    Supplier,
)
from matcher.optimizer.validator import ValidationReport, Violation, validate

__all__ = [
    "SOLVERS",
    "Agency",
    "Allocation",
    "AllocationLine",
    "BindingConstraint",
    "EligiblePairs",
    "Ineligibility",
    "Instance",
    "Need",
    "NeedDiagnostic",
    "NeedReason",
    "Offer",
    "Policy",
    "ReasonCode",
    "SolveOptions",
    "StageResult",
    "Supplier",
    "ValidationReport",
    "Violation",
    "eligible_pairs",
    "ineligibility_reasons",
    "is_eligible",
    "read_allocation",
    "read_instance",
    "solve",
    "validate",
    "write_allocation",
]
