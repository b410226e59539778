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
from matcher.models.orders import (
    AuditEntry,
    Complaint,
    ComplaintAttachment,
    ComplaintStatus,
    DocumentKind,
    IdempotencyRecord,
    Order,
    OrderDocument,
    OrderLine,
    OrderStatus,
)
from matcher.models.organisation import Agency, LoginThrottle, RevokedToken, User
from matcher.models.procurement import Need, Plan, PlanLine, PlanLineStatus
from matcher.models.scenarios import ScenarioRun
from matcher.models.stamp import DataStamp

__all__ = [
    "Agency",
    "AuditEntry",
    "Base",
    "Certificate",
    "CertificateType",
    "ChangeSource",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintStatus",
    "DataStamp",
    "DocumentKind",
    "IdempotencyRecord",
    "LoginThrottle",
    "Need",
    "NeedStatus",
    "Offer",
    "OfferHistory",
    "Order",
    "OrderDocument",
    "OrderLine",
    "OrderStatus",
    "Plan",
    "PlanLine",
    "PlanLineStatus",
    "PlanStatus",
    "RevokedToken",
    "Role",
    "ScenarioRun",
    "SizeClass",
    "Supplier",
    "User",
    "VerifiableEntity",
    "VerificationEvent",
    "VerificationStatus",
]

# The audit log listens to every session's flushes; registering it here means any code that
# can see a model also records its changes.
from matcher import audit as _audit  # noqa: F401

# Likewise the data stamp (matcher.stamp) follows every session's changes to the data.
from matcher import stamp as _stamp  # noqa: F401
