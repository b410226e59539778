"""The verification workflow of the tim pengelola (Perwali Blitar 24/2024 style).

Admin verifies or rejects suppliers, offers and certificates with a reason, suspends and
reinstates them. Every change is appended to ``verification_event`` (who, when, from, to,
why)."""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.errors import FieldError, Forbidden, InvalidInput, InvalidTransition
from matcher.models import (
    Certificate,
    Offer,
    Supplier,
    VerifiableEntity,
    VerificationEvent,
    VerificationStatus,
)


class VerificationAction(enum.StrEnum):
    VERIFY = "verify"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    RESUBMIT = "resubmit"


S = VerificationStatus
# action -> (allowed source states, target state, reason required)
TRANSITIONS: dict[
    VerificationAction, tuple[frozenset[VerificationStatus], VerificationStatus, bool]
] = {
    VerificationAction.VERIFY: (frozenset({S.PENDING}), S.VERIFIED, False),
    VerificationAction.REJECT: (frozenset({S.PENDING}), S.REJECTED, True),
    VerificationAction.SUSPEND: (frozenset({S.VERIFIED}), S.SUSPENDED, True),
    VerificationAction.REINSTATE: (frozenset({S.SUSPENDED}), S.VERIFIED, False),
    VerificationAction.RESUBMIT: (frozenset({S.REJECTED}), S.PENDING, False),
}


Verifiable = Supplier | Offer | Certificate


def entity_type_of(entity: Verifiable) -> VerifiableEntity:
    if isinstance(entity, Supplier):
        return VerifiableEntity.SUPPLIER
    if isinstance(entity, Offer):
        return VerifiableEntity.OFFER
    return VerifiableEntity.CERTIFICATE


def apply_action(
    session: Session,
    principal: Principal,
    entity: Verifiable,
    action: VerificationAction,
    reason: str | None,
) -> VerificationEvent:
    """Move a supplier, offer or certificate through the workflow and record the event."""
    if not principal.is_admin:
        raise Forbidden("Hanya tim pengelola (admin) yang dapat memverifikasi")
    sources, target, reason_required = TRANSITIONS[action]
    if entity.status not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise InvalidTransition(
            f"Tindakan '{action.value}' tidak dapat dilakukan pada status '{entity.status.value}'"
            f" (hanya dari: {allowed})",
            current_state=entity.status.value,
        )
    reason = (reason or "").strip() or None
    if reason_required and reason is None:
        raise InvalidInput(
            "Alasan wajib diisi untuk tindakan ini",
            errors=[FieldError(("body", "reason"), "wajib diisi")],
        )
    event = VerificationEvent(
        entity_type=entity_type_of(entity),
        entity_id=entity.id,
        from_status=entity.status,
        to_status=target,
        reason=reason,
        actor_user_id=principal.user_id,
    )
    entity.status = target
    entity.status_reason = reason
    session.add(event)
    session.flush()
    return event


def record_initial_status(
    session: Session, principal: Principal, entity: Verifiable, reason: str | None = None
) -> None:
    """Record the status an entity was created with (e.g. imported as verified)."""
    session.add(
        VerificationEvent(
            entity_type=entity_type_of(entity),
            entity_id=entity.id,
            from_status=None,
            to_status=entity.status,
            reason=reason,
            actor_user_id=principal.user_id,
        )
    )


def history(
    session: Session, entity_type: VerifiableEntity, entity_id: int
) -> list[VerificationEvent]:
    return list(
        session.scalars(
            select(VerificationEvent)
            .where(
                VerificationEvent.entity_type == entity_type,
                VerificationEvent.entity_id == entity_id,
            )
            .order_by(VerificationEvent.id)
        )
    )
