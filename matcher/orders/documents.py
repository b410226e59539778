"""The order documents as PDF, in Bahasa Indonesia: Surat Pesanan, Bukti Persetujuan
Pemesanan, Bukti Pengiriman (berita acara serah terima) and Bukti Pembayaran
(Perwali Blitar 24/2024, SI-UMKM).

A document is built in two steps: ``document_data`` collects what it says (a JSON-able dict
read from the order as it stands), ``render`` lays that out with fpdf2. The bytes are
deterministic: the PDF creation date is the event time the document records and fpdf2's file
identifier is a hash of the content, so regenerating a document from unchanged data gives the
same bytes. ``issue`` stores the bytes with their SHA-256; ``download`` regenerates and
compares: on a mismatch the stored bytes are served and the mismatch is flagged and audited.

The verification code printed on the document is an HMAC (settings secret) of the document's
data, 12 base32 characters; ``GET /api/v1/documents/verify/{code}`` confirms it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher import audit
from matcher.clock import tanggal
from matcher.config import get_settings
from matcher.errors import InvalidTransition, NotFound
from matcher.models import DocumentKind, Order, OrderDocument, User
from matcher.money import format_rupiah, terbilang

TITLES: dict[DocumentKind, str] = {
    DocumentKind.SURAT_PESANAN: "SURAT PESANAN",
    DocumentKind.PERSETUJUAN: "BUKTI PERSETUJUAN PEMESANAN",
    DocumentKind.PENGIRIMAN: "BUKTI PENGIRIMAN / BERITA ACARA SERAH TERIMA",
    DocumentKind.PEMBAYARAN: "BUKTI PEMBAYARAN",
}
PREFIXES: dict[DocumentKind, str] = {
    DocumentKind.SURAT_PESANAN: "SP",
    DocumentKind.PERSETUJUAN: "BPP",
    DocumentKind.PENGIRIMAN: "BAST",
    DocumentKind.PEMBAYARAN: "BP",
}
FILENAMES: dict[DocumentKind, str] = {
    DocumentKind.SURAT_PESANAN: "surat-pesanan",
    DocumentKind.PERSETUJUAN: "bukti-persetujuan-pemesanan",
    DocumentKind.PENGIRIMAN: "bukti-pengiriman",
    DocumentKind.PEMBAYARAN: "bukti-pembayaran",
}
CODE_LENGTH = 12
VERIFY_PATH = "/api/v1/documents/verify/"

# Core PDF fonts are Latin-1: common typographic characters get ASCII stand-ins, anything
# else outside Latin-1 becomes "?".
_REPLACEMENTS = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
    }
)


def latin1(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_REPLACEMENTS)
    return text.encode("latin-1", "replace").decode("latin-1")


def as_utc(moment: datetime) -> datetime:
    """One representation of a stored moment whatever the database gives back (SQLite: naive
    UTC; PostgreSQL: aware, in the connection's time zone)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _local(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(ZoneInfo(get_settings().timezone))


def waktu(moment: datetime) -> str:
    local = _local(moment)
    return f"{tanggal(local.date())} pukul {local:%H.%M} WIB"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def document_number(kind: DocumentKind, order: Order) -> str:
    return f"{PREFIXES[kind]}/{order.code}"


def event_time(kind: DocumentKind, order: Order) -> datetime:
    """The moment a document records; its PDF creation date."""
    moments = {
        DocumentKind.SURAT_PESANAN: order.approved_at,
        DocumentKind.PERSETUJUAN: order.approved_at,
        DocumentKind.PENGIRIMAN: order.received_at,
        DocumentKind.PEMBAYARAN: order.paid_at,
    }
    moment = moments[kind]
    if moment is None:
        raise InvalidTransition(
            f"{TITLES[kind].title()} belum dapat dibuat untuk pesanan berstatus "
            f"'{order.status.value}'",
            current_state=order.status.value,
        )
    return as_utc(moment)


def _user_name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return "Sistem (tim pengelola)"
    user = session.get(User, user_id)
    if user is None:
        return f"Pengguna {user_id}"
    return user.full_name or user.email


def document_data(session: Session, order: Order, kind: DocumentKind) -> dict[str, Any]:
    """Everything a document says, read from the order: the input of ``render`` and of the
    verification code."""
    at = event_time(kind, order)
    agency, supplier = order.agency, order.supplier
    supplier_address = ", ".join(
        part
        for part in (
            supplier.address,
            supplier.region,
            f"Kec. {supplier.kecamatan}" if supplier.kecamatan not in ("", "-") else None,
        )
        if part
    )
    # Each document holds only what was settled when it was issued, so later steps (delivery,
    # payment) do not change an earlier document.
    receipt = kind is DocumentKind.PENGIRIMAN
    lines = [
        {
            "description": line.description,
            "unit": line.unit,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "amount": line.amount,
            **(
                {
                    "delivered": line.quantity_delivered,
                    "received": line.quantity_received,
                    "received_amount": line.received_amount,
                }
                if receipt
                else {}
            ),
        }
        for line in order.lines
    ]
    data: dict[str, Any] = {
        "kind": kind.value,
        "title": TITLES[kind],
        "number": document_number(kind, order),
        "order_code": order.code,
        "date": _local(at).date().isoformat(),
        "at": at.isoformat(),
        "agency": {"code": agency.code, "name": agency.name, "address": agency.address or ""},
        "supplier": {
            "code": supplier.code,
            "name": supplier.name,
            "nib": supplier.nib,
            "address": supplier_address,
            "is_koperasi": supplier.is_koperasi,
            "size_class": supplier.size_class.value,
        },
        "lines": lines,
        "total": order.total_amount,
        "delivery_place": order.delivery_place,
        "delivery_date": order.delivery_date.isoformat(),
    }
    if kind in (DocumentKind.SURAT_PESANAN, DocumentKind.PERSETUJUAN):
        data["approved_by"] = _user_name(session, order.approved_by_user_id)
        data["flags"] = [flag["message"] for flag in order.flags]
    if kind is DocumentKind.PENGIRIMAN:
        data["delivered_at"] = (
            as_utc(order.delivered_at).isoformat() if order.delivered_at else None
        )
        data["received_by"] = _user_name(session, order.received_by_user_id)
        data["received_total"] = sum(line.received_amount for line in order.lines)
        data["delivery_note"] = order.delivery_note or ""
    if kind is DocumentKind.PEMBAYARAN:
        data["payment_date"] = order.payment_date.isoformat() if order.payment_date else None
        data["payment_reference"] = order.payment_reference or ""
        data["paid_amount"] = order.paid_amount or 0
        data["bank"] = " / ".join(
            part
            for part in (
                supplier.bank_name,
                supplier.bank_account_number,
                supplier.bank_account_name,
            )
            if part
        )
    return data


def verification_code(data: dict[str, Any]) -> str:
    """HMAC-SHA256 of the document's data with the settings secret, 12 base32 characters."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    secret = get_settings().secret_key.get_secret_value().encode()
    digest = hmac.new(secret, canonical.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


class _Document(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, latin1(self.footer_text), align="C")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    text = latin1(text)
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "...") > width - 2:
        text = text[:-1]
    return text + "..."


def render(data: dict[str, Any], code: str, *, compress: bool = True) -> bytes:
    """Lay out a document. Same data and code -> same bytes."""
    kind = DocumentKind(data["kind"])
    at = datetime.fromisoformat(data["at"])
    pdf = _Document(orientation="P", unit="mm", format="A4")
    pdf.footer_text = f"Kode verifikasi {code} - periksa keaslian di {VERIFY_PATH}{code}"
    pdf.set_compression(compress)
    pdf.set_creation_date(at)
    pdf.set_title(latin1(f"{data['title']} {data['number']}"))
    pdf.set_author(latin1(data["agency"]["name"]))
    pdf.set_creator("matcher - pasar sistemik Kota Batu")
    pdf.set_producer("matcher")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    def line(
        text: str, *, size: float = 10, style: str = "", align: str = "L", h: float = 5.5
    ) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, h, latin1(text), align=align, new_x="LMARGIN", new_y="NEXT")

    line("PEMERINTAH KOTA BATU", size=12, style="B", align="C")
    line(data["agency"]["name"].upper(), size=12, style="B", align="C")
    if data["agency"]["address"]:
        line(data["agency"]["address"], size=9, align="C")
    pdf.ln(2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)
    line(data["title"], size=13, style="B", align="C")
    line(f"Nomor: {data['number']}", align="C")
    line(f"Tanggal: {tanggal(date.fromisoformat(data['date']))}", align="C")
    pdf.ln(3)

    supplier = data["supplier"]
    line("Pemesan", style="B")
    line(f"{data['agency']['name']} ({data['agency']['code']})")
    line("Penyedia", style="B")
    kind_label = "Koperasi" if supplier["is_koperasi"] else f"Usaha {supplier['size_class']}"
    line(f"{supplier['name']} ({kind_label})")
    line(f"NIB: {supplier['nib']}")
    line(f"Alamat: {supplier['address']}")
    line(f"Nomor pesanan: {data['order_code']}")
    pdf.ln(2)

    receipt = kind is DocumentKind.PENGIRIMAN
    if receipt:
        headers = ["No", "Uraian", "Satuan", "Dipesan", "Dikirim", "Diterima", "Nilai diterima"]
        widths = [8.0, 62.0, 18.0, 18.0, 18.0, 18.0, 38.0]
    else:
        headers = ["No", "Uraian", "Satuan", "Jumlah", "Harga satuan", "Total"]
        widths = [8.0, 74.0, 20.0, 18.0, 30.0, 30.0]
    pdf.set_font("Helvetica", "B", 9)
    for header, width in zip(headers, widths, strict=True):
        pdf.cell(width, 7, header, border=1, align="C")
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for number, item in enumerate(data["lines"], start=1):
        if receipt:
            cells = [
                str(number),
                item["description"],
                item["unit"],
                str(item["quantity"]),
                str(item["delivered"] if item["delivered"] is not None else "-"),
                str(item["received"] if item["received"] is not None else "-"),
                format_rupiah(item["received_amount"]),
            ]
        else:
            cells = [
                str(number),
                item["description"],
                item["unit"],
                str(item["quantity"]),
                format_rupiah(item["unit_price"]),
                format_rupiah(item["amount"]),
            ]
        for index, (text, width) in enumerate(zip(cells, widths, strict=True)):
            align = "L" if index in (1, 2) else "R"
            pdf.cell(width, 6.5, _fit(pdf, text, width), border=1, align=align)
        pdf.ln()
    pdf.set_font("Helvetica", "B", 9)
    label_width = sum(widths[:-1])
    if receipt:
        amount = data["received_total"]
        pdf.cell(label_width, 7, "Total nilai diterima", border=1, align="R")
    else:
        amount = data["total"]
        pdf.cell(label_width, 7, "Total", border=1, align="R")
    pdf.cell(widths[-1], 7, format_rupiah(amount), border=1, align="R")
    pdf.ln(9)
    line(f"Terbilang: {capitalised(terbilang(amount))}", style="I")
    pdf.ln(2)

    delivery_date = tanggal(date.fromisoformat(data["delivery_date"]))
    if kind is DocumentKind.SURAT_PESANAN:
        line(f"Tempat pengiriman: {data['delivery_place']}")
        line(f"Tanggal pengiriman: {delivery_date}")
        line(
            "Dengan ini kami memesan barang/jasa sesuai rincian di atas. Penyedia diminta "
            "mengirimkan barang tepat waktu dan sesuai spesifikasi."
        )
    elif kind is DocumentKind.PERSETUJUAN:
        line(f"Pesanan disetujui pada {waktu(at)} oleh {data['approved_by']}.")
        line(f"Tempat pengiriman: {data['delivery_place']}")
        line(f"Tanggal pengiriman: {delivery_date}")
        if data["flags"]:
            line("Catatan kepatuhan:", style="B")
            for flag in data["flags"]:
                line(f"- {flag}", size=9)
    elif kind is DocumentKind.PENGIRIMAN:
        if data["delivered_at"]:
            line(f"Barang dikirim: {waktu(datetime.fromisoformat(data['delivered_at']))}")
        line(f"Barang diterima: {waktu(at)} oleh {data['received_by']}")
        line(f"Tempat serah terima: {data['delivery_place']}")
        if data["delivery_note"]:
            line(f"Catatan: {data['delivery_note']}")
        line(
            "Para pihak menyatakan barang telah diserahterimakan dengan jumlah seperti tercantum "
            "di atas (berita acara serah terima)."
        )
    else:
        payment_date = data["payment_date"]
        if payment_date:
            line(f"Tanggal pembayaran: {tanggal(date.fromisoformat(payment_date))}")
        line(f"Referensi pembayaran: {data['payment_reference']}")
        line(f"Jumlah dibayar: {format_rupiah(data['paid_amount'])}", style="B")
        line(f"Terbilang: {capitalised(terbilang(data['paid_amount']))}", style="I")
        if data["bank"]:
            line(f"Rekening penyedia: {data['bank']}")
    pdf.ln(8)
    pdf.set_font("Helvetica", "", 10)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.cell(half, 6, "Pemesan,", align="C")
    pdf.cell(half, 6, "Penyedia,", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.cell(half, 6, _fit(pdf, data["agency"]["name"], half), align="C")
    pdf.cell(half, 6, _fit(pdf, supplier["name"], half), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    line(f"Kode verifikasi: {code}", style="B", align="C")
    return bytes(pdf.output())


@dataclass(frozen=True)
class Rendered:
    data: dict[str, Any]
    code: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def build(session: Session, order: Order, kind: DocumentKind) -> Rendered:
    data = document_data(session, order, kind)
    code = verification_code(data)
    return Rendered(data=data, code=code, content=render(data, code))


def issue(session: Session, order: Order, kind: DocumentKind) -> OrderDocument:
    """Generate and store a document (once per order and kind)."""
    existing = session.scalar(
        select(OrderDocument).where(OrderDocument.order_id == order.id, OrderDocument.kind == kind)
    )
    if existing is not None:
        return existing
    rendered = build(session, order, kind)
    document = OrderDocument(
        order_id=order.id,
        kind=kind,
        number=rendered.data["number"],
        sha256=rendered.sha256,
        size=len(rendered.content),
        content=rendered.content,
        generated_at=event_time(kind, order),
        verification_code=rendered.code,
    )
    session.add(document)
    session.flush()
    return document


@dataclass(frozen=True)
class Download:
    document: OrderDocument
    content: bytes
    intact: bool
    reasons: tuple[str, ...]


def download(session: Session, order: Order, kind: DocumentKind) -> Download:
    """The stored document, checked: its bytes against the stored SHA-256, and a fresh
    rendering from today's data against the stored bytes. Any difference is flagged (and
    audited); the stored bytes are what is served."""
    document = session.scalar(
        select(OrderDocument).where(OrderDocument.order_id == order.id, OrderDocument.kind == kind)
    )
    if document is None:
        raise NotFound(f"{TITLES[kind].title()} untuk pesanan {order.code} belum diterbitkan")
    reasons: list[str] = []
    if hashlib.sha256(document.content).hexdigest() != document.sha256:
        reasons.append("stored_bytes_changed")
    rendered = build(session, order, kind)
    if rendered.sha256 != document.sha256:
        reasons.append("regenerated_differs")
    if reasons:
        audit.record(
            session,
            "order_document",
            document.id,
            "integrity_mismatch",
            before={"sha256": document.sha256, "verification_code": document.verification_code},
            after={
                "sha256": rendered.sha256,
                "verification_code": rendered.code,
                "reasons": reasons,
            },
        )
    return Download(document, document.content, not reasons, tuple(reasons))


def verify(session: Session, code: str) -> OrderDocument:
    """The document a verification code belongs to, if the code is genuine."""
    normalised = code.strip().upper().replace("-", "")
    document = session.scalar(
        select(OrderDocument).where(OrderDocument.verification_code == normalised)
    )
    if document is None:
        raise NotFound(f"Kode verifikasi {code} tidak dikenal")
    return document
