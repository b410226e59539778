"""/api/v1/offers: suppliers' offers, their change history and verification.

Reading follows the catalogue scope (officers: active verified offers of verified suppliers;
supplier users: their own offers; admin, planners, viewers: all). Supplier users create and
change their own supplier's offers and the tim pengelola any; other roles get 403 on create,
and an offer the caller may not change reads as absent (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.orm import contains_eager

from api.deps import CurrentPrincipal, SessionDep, require_roles
from api.offers.schemas import OfferHistoryRead, OfferRead
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from api.suppliers.schemas import VerificationEventRead, VerificationRequest
from matcher.auth.principal import Principal
from matcher.catalog import offers as service
from matcher.catalog import verification
from matcher.catalog.repository import OfferRepository
from matcher.catalog.schemas import OfferCreate, OfferUpdate
from matcher.models import Offer, Role, VerifiableEntity, VerificationStatus

router = APIRouter(prefix="/offers", tags=["Penawaran (offers)"])

CatalogueWriter = Annotated[Principal, Depends(require_roles(Role.ADMIN, Role.SUPPLIER))]


@router.get("", response_model=Page[OfferRead], responses=responses(401, 422))
def list_offers(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    category: Annotated[
        str | None, Query(max_length=32, description="Kode taksonomi, mis. SNACK")
    ] = None,
    supplier_id: int | None = None,
    status_: Annotated[VerificationStatus | None, Query(alias="status")] = None,
    active: bool | None = None,
    kecamatan: Annotated[str | None, Query(max_length=120)] = None,
) -> Page[OfferRead]:
    statement = service.list_statement(
        session,
        principal,
        category=category,
        supplier_id=supplier_id,
        status=status_,
        active=active,
        kecamatan=kecamatan,
    ).options(contains_eager(Offer.supplier))
    return page_of(session, statement, page, OfferRead.model_validate)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OfferRead,
    responses=responses(401, 403, 404, 409, 422),
)
def create_offer(body: OfferCreate, session: SessionDep, principal: CatalogueWriter) -> OfferRead:
    """A supplier user offers for its own supplier, the tim pengelola for any. The new offer is
    ``pending`` until verified."""
    offer = service.create_offer(session, principal, body)
    return OfferRead.model_validate(offer)


@router.get("/{offer_id}", response_model=OfferRead, responses=responses(401, 404, 422))
def get_offer(offer_id: int, session: SessionDep, principal: CurrentPrincipal) -> OfferRead:
    return OfferRead.model_validate(OfferRepository(session).get_readable(principal, offer_id))


@router.patch(
    "/{offer_id}",
    response_model=OfferRead,
    responses=responses(401, 403, 404, 409, 422),
)
def update_offer(
    offer_id: int, body: OfferUpdate, session: SessionDep, principal: CatalogueWriter
) -> OfferRead:
    """Change price, capacity and the other offer fields; every change is kept in the offer's
    history."""
    offer = service.update_offer(session, principal, offer_id, body)
    return OfferRead.model_validate(offer)


@router.get(
    "/{offer_id}/history",
    response_model=Page[OfferHistoryRead],
    responses=responses(401, 404, 422),
)
def offer_history(
    offer_id: int, session: SessionDep, principal: CurrentPrincipal, page: PageDep
) -> Page[OfferHistoryRead]:
    """Recorded field changes, oldest first: ``changes`` maps a field to ``[old, new]``."""
    OfferRepository(session).get_readable(principal, offer_id)
    return page_of(
        session, service.history_statement(offer_id), page, OfferHistoryRead.model_validate
    )


@router.post(
    "/{offer_id}/verification",
    response_model=VerificationEventRead,
    responses=responses(401, 403, 404, 409, 422),
)
def act_on_offer(
    offer_id: int, body: VerificationRequest, session: SessionDep, principal: CurrentPrincipal
) -> VerificationEventRead:
    """Verify, reject, suspend, reinstate or resubmit an offer (tim pengelola only)."""
    offer = OfferRepository(session).get_readable(principal, offer_id)
    event = verification.apply_action(session, principal, offer, body.action, body.reason)
    return VerificationEventRead.model_validate(event)


@router.get(
    "/{offer_id}/verification",
    response_model=list[VerificationEventRead],
    responses=responses(401, 404, 422),
)
def offer_verification_history(
    offer_id: int, session: SessionDep, principal: CurrentPrincipal
) -> list[VerificationEventRead]:
    OfferRepository(session).get_readable(principal, offer_id)
    events = verification.history(session, VerifiableEntity.OFFER, offer_id)
    return [VerificationEventRead.model_validate(e) for e in events]
