"""The import report of /api/v1/catalog/import: the same shape as ``matcher catalog import
--json``."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RejectedRow(BaseModel):
    file: str = Field(description="Berkas atau lembar, mis. offers.csv")
    row: int = Field(description="Nomor baris spreadsheet (judul = 1; 0 = seluruh berkas)")
    column: str = Field(description="Kolom yang salah ('' bila seluruh baris)")
    reason: str


class ImportReportRead(BaseModel):
    inserted: int
    updated: int
    unchanged: int
    rejected: list[RejectedRow]
