"""ORM models. Import from here so every mapper is registered with ``Base.metadata``."""

from matcher.models.base import Base
from matcher.models.catalog import Certificate, Offer, OfferHistory, Supplier, VerificationEvent
from matcher.models.enums import (
    CertificateType,
    ChangeSource,
    NeedStatus,
    PlanStatus,
    Role,
    SizeClass,
    VerifiableEntity,
    VerificationStatus,
)
from matcher.models.organisation import Agency, User
from matcher.models.procurement import Need, Plan, PlanLine

__all__ = [
    "Agency",
    "Base",
    "Certificate",
    "CertificateType",
    "ChangeSource",
    "Need",
    "NeedStatus",
    "Offer",
    "OfferHistory",
    "Plan",
    "PlanLine",
    "PlanStatus",
    "Role",
    "SizeClass",
    "Supplier",
    "User",
    "VerifiableEntity",
    "VerificationEvent",
    "VerificationStatus",
]
