"""Supplier certificates: ``/suppliers/{id}/certificates`` and ``/certificates/{id}``.

Whoever may read a supplier reads its certificates (officers: verified suppliers only).
Admin and the supplier itself add and remove them; for anyone else the supplier or the
certificate reads as absent (404). One the supplier adds waits as pending until the tim
pengelola verifies it (``/certificates/{id}/verification``; the queue is ``/certificates``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.certificates.schemas import CertificateStatusRead
from api.deps import AdminPrincipal, CurrentPrincipal, SessionDep
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from api.suppliers.schemas import VerificationEventRead, VerificationRequest
from matcher.catalog import certificates as service
from matcher.catalog import verification
from matcher.catalog.schemas import CertificateCreate
from matcher.clock import today
from matcher.models import VerifiableEntity, VerificationStatus

router = APIRouter(tags=["Sertifikat (certificates)"])


@router.get(
    "/suppliers/{supplier_id}/certificates",
    response_model=Page[CertificateStatusRead],
    responses=responses(401, 404, 422),
)
def list_certificates(
    supplier_id: int,
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    valid: Annotated[
        bool | None,
        Query(description="true: only those valid today; false: only expired ones"),
    ] = None,
) -> Page[CertificateStatusRead]:
    on = today()
    statement = service.list_statement(session, principal, supplier_id, valid_on=on, valid=valid)
    return page_of(session, statement, page, lambda r: CertificateStatusRead.of(r, on))


@router.post(
    "/suppliers/{supplier_id}/certificates",
    status_code=status.HTTP_201_CREATED,
    response_model=CertificateStatusRead,
    responses=responses(401, 404, 409, 422),
)
def add_certificate(
    supplier_id: int, body: CertificateCreate, session: SessionDep, principal: CurrentPrincipal
) -> CertificateStatusRead:
    """Record a certificate; one already expired is refused (it would never count)."""
    on = today()
    certificate = service.add_certificate(session, principal, supplier_id, body, today=on)
    return CertificateStatusRead.of(certificate, on)


@router.delete(
    "/certificates/{certificate_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=responses(401, 404, 422),
)
def remove_certificate(
    certificate_id: int, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    service.remove_certificate(session, principal, certificate_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/certificates",
    response_model=Page[CertificateStatusRead],
    responses=responses(401, 403, 422),
)
def review_queue(
    session: SessionDep,
    _admin: AdminPrincipal,
    page: PageDep,
    status: Annotated[
        VerificationStatus | None,
        Query(description="pending: waiting for review (the tim pengelola's queue)"),
    ] = VerificationStatus.PENDING,
) -> Page[CertificateStatusRead]:
    """Certificates across suppliers by verification status, oldest first (admin)."""
    on = today()
    return page_of(
        session, service.review_statement(status), page, lambda r: CertificateStatusRead.of(r, on)
    )


@router.post(
    "/certificates/{certificate_id}/verification",
    response_model=VerificationEventRead,
    responses=responses(401, 403, 404, 409, 422),
)
def act_on_certificate(
    certificate_id: int,
    body: VerificationRequest,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> VerificationEventRead:
    """Verify or reject a certificate (a reason is required to reject), suspend or reinstate
    it (tim pengelola only)."""
    certificate = service.get_readable(session, principal, certificate_id)
    event = verification.apply_action(session, principal, certificate, body.action, body.reason)
    return VerificationEventRead.model_validate(event)


@router.get(
    "/certificates/{certificate_id}/verification",
    response_model=list[VerificationEventRead],
    responses=responses(401, 404, 422),
)
def certificate_verification_history(
    certificate_id: int, session: SessionDep, principal: CurrentPrincipal
) -> list[VerificationEventRead]:
    service.get_readable(session, principal, certificate_id)
    events = verification.history(session, VerifiableEntity.CERTIFICATE, certificate_id)
    return [VerificationEventRead.model_validate(e) for e in events]
