"""/api/v1/classify: the need-category classifier's suggestions for a free text (top three
categories with probabilities, and the quantity and unit read from the text). Used by the
need form as the officer types; any logged-in user may call it, with a Bearer token or the
web session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.security import APIKeyCookie

from api.classify.schemas import CategorySuggestion, ClassificationRead, QuantityRead
from api.deps import SessionDep, oauth2_scheme
from api.problems import responses
from matcher.auth.principal import Principal
from matcher.auth.service import principal_from_token
from matcher.classifier.service import classify_one
from matcher.errors import Unauthorized
from web.auth import SESSION_COOKIE

router = APIRouter(prefix="/classify", tags=["Klasifikasi kebutuhan"])

session_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False)


def bearer_or_cookie_principal(
    session: SessionDep,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
    cookie: Annotated[str | None, Depends(session_cookie)],
) -> Principal:
    token = bearer or cookie
    if not token:
        raise Unauthorized("Perlu masuk (token Bearer atau sesi)")
    return principal_from_token(session, token)


@router.get("", response_model=ClassificationRead, responses=responses(401, 422))
def classify_text(
    text: Annotated[str, Query(min_length=1, max_length=500, description="Uraian kebutuhan")],
    _principal: Annotated[Principal, Depends(bearer_or_cookie_principal)],
) -> ClassificationRead:
    """Top three categories (most probable first) and the extracted quantity/unit."""
    result = classify_one(text)
    quantity = result.quantity
    return ClassificationRead(
        text=result.text,
        top=[
            CategorySuggestion(category=s.category, name=s.name_id, probability=s.probability)
            for s in result.top
        ],
        quantity=(
            QuantityRead(value=quantity.value, unit=quantity.unit, raw=quantity.raw)
            if quantity is not None
            else None
        ),
    )
