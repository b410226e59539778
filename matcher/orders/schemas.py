"""Inputs of the order services (the API uses them as request bodies)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Reassignment(_Input):
    line_id: int = Field(description="Baris rencana (plan line) yang dialihkan")
    offer_id: int = Field(description="Penawaran lain yang memenuhi syarat")


class PlanApproval(_Input):
    """Approve a whole plan (no ``line_ids``) or some lines; reject others; re-assign lines
    to other eligible offers before approving them."""

    line_ids: list[int] | None = Field(
        default=None, description="Baris yang disetujui; kosong = semua baris yang diusulkan"
    )
    reject_line_ids: list[int] = Field(default_factory=list)
    reassignments: list[Reassignment] = Field(default_factory=list)
    delivery_place: str | None = Field(default=None, max_length=300)
    delivery_date: date | None = None


class LineQuantity(_Input):
    line_id: int
    quantity: int = Field(ge=0)


class Delivery(_Input):
    """The supplier's delivery: quantity shipped per order line (lines left out: none)."""

    lines: list[LineQuantity] | None = Field(
        default=None, description="Kosong = semua baris dikirim penuh"
    )
    note: str | None = Field(default=None, max_length=2000)


class Receipt(_Input):
    """The officer's confirmation of what arrived (berita acara serah terima)."""

    lines: list[LineQuantity] | None = Field(
        default=None, description="Kosong = diterima sebanyak yang dikirim"
    )


class Payment(_Input):
    payment_date: date
    payment_reference: str = Field(min_length=1, max_length=120)


class Reason(_Input):
    reason: str | None = Field(default=None, max_length=2000)
