"""The optimisation core: plain dataclasses in, an :class:`Allocation` out.

Entry points: :func:`solve` (lexicographic solve), :mod:`matcher.optimizer.eligibility`
(the single eligibility rule), :func:`read_instance` / :func:`read_allocation` /
:func:`write_allocation` (folder format), :func:`validate` (independent validator).

Determinism: eligibility, greedy, LP rounding and the combinatorial bounds are
deterministic (stable sorts, index tie-breaks). Solver seeds are fixed (``seed``). With
``SolveOptions(deterministic=True)`` the solvers stop on work limits (HiGHS node limits in
the full MIP, deterministic time for the LNS sub-MIPs on one CP-SAT worker, a fixed number
of LNS passes and of column-generation rounds, CP-SAT on one worker with deterministic
time), so the same input gives the same
allocation whatever the machine load, as long as the wall-clock safety limit is not reached.
With the default wall-clock limits the auto engine's LNS and its LP helper process run
against the clock, so on large instances the allocation may depend on load."""

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
