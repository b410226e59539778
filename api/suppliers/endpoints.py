"""/api/v1/suppliers: the supplier catalogue and its verification actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import CurrentPrincipal, SessionDep
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from api.suppliers.schemas import (
    SupplierDetail,
    SupplierRead,
    VerificationEventRead,
    VerificationRequest,
)
from matcher.catalog import suppliers as service
from matcher.catalog import verification
from matcher.catalog.repository import SupplierRepository
from matcher.catalog.schemas import SupplierCreate, SupplierUpdate
from matcher.models import Supplier, VerifiableEntity, VerificationStatus
from matcher.models.enums import SizeClass

router = APIRouter(prefix="/suppliers", tags=["Penyedia (suppliers)"])


def _detail(supplier: Supplier, principal: CurrentPrincipal) -> SupplierDetail | SupplierRead:
    if principal.is_admin or principal.owns_supplier(supplier.id):
        return SupplierDetail.model_validate(supplier)
    return SupplierRead.model_validate(supplier)


@router.get("", response_model=Page[SupplierRead], responses=responses(401, 422))
def list_suppliers(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    status_: Annotated[VerificationStatus | None, Query(alias="status")] = None,
    kecamatan: Annotated[str | None, Query(max_length=120)] = None,
    size_class: SizeClass | None = None,
    is_koperasi: bool | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Cari nama")] = None,
) -> Page[SupplierRead]:
    statement = service.list_statement(
        session,
        principal,
        status=status_,
        kecamatan=kecamatan,
        size_class=size_class,
        is_koperasi=is_koperasi,
        search=q,
    )
    return page_of(session, statement, page, SupplierRead.model_validate)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SupplierDetail,
    responses=responses(401, 403, 409, 422),
)
def create_supplier(
    body: SupplierCreate, session: SessionDep, principal: CurrentPrincipal
) -> SupplierDetail:
    supplier = service.create_supplier(session, principal, body)
    session.refresh(supplier, ["certificates"])
    return SupplierDetail.model_validate(supplier)


@router.get(
    "/{supplier_id}",
    response_model=SupplierDetail | SupplierRead,
    responses=responses(401, 404, 422),
)
def get_supplier(
    supplier_id: int, session: SessionDep, principal: CurrentPrincipal
) -> SupplierDetail | SupplierRead:
    supplier = SupplierRepository(session).get_readable(principal, supplier_id)
    return _detail(supplier, principal)


@router.patch(
    "/{supplier_id}",
    response_model=SupplierDetail,
    responses=responses(401, 403, 404, 409, 422),
)
def update_supplier(
    supplier_id: int, body: SupplierUpdate, session: SessionDep, principal: CurrentPrincipal
) -> SupplierDetail:
    supplier = service.update_supplier(session, principal, supplier_id, body)
    session.refresh(supplier, ["certificates"])
    return SupplierDetail.model_validate(supplier)


@router.post(
    "/{supplier_id}/verification",
    response_model=VerificationEventRead,
    responses=responses(401, 403, 404, 409, 422),
)
def act_on_supplier(
    supplier_id: int, body: VerificationRequest, session: SessionDep, principal: CurrentPrincipal
) -> VerificationEventRead:
    """Verify, reject, suspend, reinstate or resubmit a supplier (tim pengelola only)."""
    supplier = SupplierRepository(session).get_readable(principal, supplier_id)
    event = verification.apply_action(session, principal, supplier, body.action, body.reason)
    return VerificationEventRead.model_validate(event)


@router.get(
    "/{supplier_id}/verification",
    response_model=list[VerificationEventRead],
    responses=responses(401, 404, 422),
)
def supplier_verification_history(
    supplier_id: int, session: SessionDep, principal: CurrentPrincipal
) -> list[VerificationEventRead]:
    SupplierRepository(session).get_readable(principal, supplier_id)
    events = verification.history(session, VerifiableEntity.SUPPLIER, supplier_id)
    return [VerificationEventRead.model_validate(e) for e in events]
