"""ORM models. Import from here so every mapper is registered with ``Base.metadata``."""

from matcher.models.base import Base
from matcher.models.catalog import Certificate, Offer, OfferHistory, Supplier, VerificationEvent
from matcher.models.enums import (
    CertificateType,
    ChangeSource,
    NeedStatus,
    Role,
    SizeClass,
    VerifiableEntity,
    VerificationStatus,
)
from matcher.models.organisation import Agency, User
from matcher.models.procurement import Need

__all__ = [
    "Agency",
    "Base",
    "Certificate",
    "CertificateType",
    "ChangeSource",
    "Offer",
    "Need",
    "NeedStatus",
    "OfferHistory",
    "Role",
    "SizeClass",
    "Supplier",
    "User",
    "VerifiableEntity",
    "VerificationEvent",
    "VerificationStatus",
]
