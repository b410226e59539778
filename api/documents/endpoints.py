"""/api/v1/documents: checking a printed document's verification code. Public on purpose:
whoever holds a paper Surat Pesanan or bukti can check it without an account; the answer
names only what the document itself shows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import SessionDep
from api.documents.schemas import DocumentVerification
from api.problems import responses
from matcher.orders import documents

router = APIRouter(prefix="/documents", tags=["Dokumen"])


@router.get("/verify/{code}", response_model=DocumentVerification, responses=responses(404, 422))
def verify_document(
    code: Annotated[str, Path(min_length=4, max_length=32)], session: SessionDep
) -> DocumentVerification:
    document = documents.verify(session, code)
    order = document.order
    rebuilt = documents.build(session, order, document.kind)
    return DocumentVerification(
        valid=True,
        matches_current_data=rebuilt.code == document.verification_code
        and rebuilt.sha256 == document.sha256,
        kind=document.kind,
        title=documents.TITLES[document.kind],
        number=document.number,
        order_code=order.code,
        agency=order.agency.name,
        supplier=order.supplier.name,
        supplier_nib=order.supplier.nib,
        total_amount=order.total_amount,
        generated_at=document.generated_at,
        sha256=document.sha256,
    )
