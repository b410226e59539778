"""Jinja2 environment, Indonesian labels and filters, and the one render helper."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from matcher.auth.principal import Principal
from matcher.clock import tanggal
from matcher.config import get_settings
from matcher.money import format_rupiah, terbilang
from web.auth import csrf_for, set_anonymous_cookie

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FLASH_COOKIE = "matcher_pesan"

env = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

ROLE_LABELS = {
    "admin": "Tim Pengelola (Dinas Koperasi & UMKM)",
    "officer": "Pejabat Pengadaan",
    "supplier": "Penyedia",
    "planner": "Perencana",
    "viewer": "Pemantau",
}
STATUS_LABELS = {
    # needs
    "draft": "Draf",
    "submitted": "Diajukan",
    "planned": "Direncanakan",
    "ordered": "Dipesan",
    "fulfilled": "Terpenuhi",
    "cancelled": "Dibatalkan",
    # plans
    "queued": "Menunggu",
    "running": "Berjalan",
    "completed": "Selesai",
    "failed": "Gagal",
    # plan lines
    "proposed": "Diusulkan",
    "rejected": "Ditolak",
    # orders
    "approved": "Disetujui",
    "accepted": "Diterima penyedia",
    "declined": "Ditolak penyedia",
    "delivered": "Dikirim",
    "paid": "Dibayar",
    "closed": "Ditutup",
    # verification
    "pending": "Menunggu verifikasi",
    "verified": "Terverifikasi",
    "suspended": "Dibekukan",
    # complaints
    "open": "Baru",
    "in_review": "Ditinjau",
    "resolved": "Selesai",
}
SIZE_LABELS = {"mikro": "Mikro", "kecil": "Kecil", "menengah": "Menengah", "besar": "Besar"}
DOCUMENT_LABELS = {
    "surat_pesanan": "Surat Pesanan",
    "persetujuan": "Bukti Persetujuan Pemesanan",
    "pengiriman": "Bukti Pengiriman (BAST)",
    "pembayaran": "Bukti Pembayaran",
}


def _value(item: Any) -> str:
    return str(getattr(item, "value", item))


def status_label(status: Any) -> str:
    return STATUS_LABELS.get(_value(status), _value(status))


def rupiah(amount: int | None) -> str:
    return "-" if amount is None else format_rupiah(int(amount))


def tanggal_filter(day: date | datetime | None) -> str:
    if day is None:
        return "-"
    if isinstance(day, datetime):
        zone = ZoneInfo(get_settings().timezone)
        moment = day if day.tzinfo else day.replace(tzinfo=ZoneInfo("UTC"))
        local = moment.astimezone(zone)
        return f"{tanggal(local.date())} {local:%H.%M}"
    return tanggal(day)


def angka(value: float | int | None, digits: int = 0) -> str:
    """Indonesian number formatting: 1.234,5."""
    if value is None:
        return "-"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def persen(share: float | None, digits: int = 1) -> str:
    return "-" if share is None else f"{angka(share * 100, digits)}%"


env.filters["rupiah"] = rupiah
env.filters["tanggal"] = tanggal_filter
env.filters["angka"] = angka
env.filters["persen"] = persen
env.filters["status"] = status_label
env.filters["terbilang"] = terbilang
env.globals["ROLE_LABELS"] = ROLE_LABELS
env.globals["SIZE_LABELS"] = SIZE_LABELS
env.globals["DOCUMENT_LABELS"] = DOCUMENT_LABELS


def flash(response: Response, message: str) -> None:
    """A one-time message shown on the next page (after a redirect)."""
    encoded = base64.urlsafe_b64encode(message.encode()).decode()
    response.set_cookie(FLASH_COOKIE, encoded, httponly=True, samesite="lax", path="/")


def _take_flash(request: Request) -> str | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        return base64.urlsafe_b64decode(raw.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def redirect(url: str, message: str | None = None) -> RedirectResponse:
    """Post/redirect/get: 303 to ``url``, optionally with a one-time message."""
    response = RedirectResponse(url, status_code=303)
    if message:
        flash(response, message)
    return response


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
    title: str | None = None,
) -> HTMLResponse:
    token, new_seed = csrf_for(request)
    html = env.get_template(template).render(
        {
            "request": request,
            "principal": principal,
            "title": title,
            "csrf_token": token,
            "flash": _take_flash(request),
            "path": request.url.path,
            **(context or {}),
        }
    )
    response = HTMLResponse(html, status_code=status_code)
    if new_seed is not None:
        set_anonymous_cookie(request, response, new_seed)
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response
