"""ORM models. Import from here so every mapper is registered with ``Base.metadata``."""

from matcher.models.base import Base
from matcher.models.catalog import Certificate, Offer, OfferHistory, Supplier, VerificationEvent
from matcher.models.enums import (
    CertificateType,
    ChangeSource,
    Role,
    SizeClass,
    VerifiableEntity,
    VerificationStatus,
)
from matcher.models.organisation import Agency, User

__all__ = [
    "Agency",
    "Base",
    "Certificate",
    "CertificateType",
    "ChangeSource",
    "Offer",
    "OfferHistory",
    "Role",
    "SizeClass",
    "Supplier",
    "User",
    "VerifiableEntity",
    "VerificationEvent",
    "VerificationStatus",
]
