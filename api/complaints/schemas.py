"""Complaint (pengaduan) requests and responses."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from matcher.models import ComplaintStatus, Role


class ComplaintCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_id: int
    subject: str = Field(min_length=3, max_length=200)
    description: str = Field(min_length=3, max_length=5000)
    document_refs: list[str] | None = Field(
        default=None,
        description="Kode verifikasi dokumen pesanan; kosong = semua dokumen pesanan",
        max_length=10,
    )


class ComplaintAction(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    resolution: str | None = Field(default=None, max_length=5000)


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ComplaintRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    order_id: int
    supplier_id: int
    agency_id: int
    filed_by_user_id: int | None
    filed_by_role: Role
    subject: str
    description: str
    document_refs: list[str]
    status: ComplaintStatus
    resolution: str | None
    handled_by_user_id: int | None
    closed_at: datetime | None
    created_at: datetime
    attachments: list[AttachmentRead]
