"""Document verification responses."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from matcher.models import DocumentKind


class DocumentVerification(BaseModel):
    valid: bool = Field(description="Kode dikenal: dokumen ini diterbitkan oleh sistem")
    matches_current_data: bool = Field(
        description="Data pesanan saat ini masih menghasilkan dokumen yang sama"
    )
    kind: DocumentKind
    title: str
    number: str
    order_code: str
    agency: str
    supplier: str
    supplier_nib: str
    total_amount: int
    generated_at: datetime
    sha256: str
