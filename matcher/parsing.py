"""Field parsers shared by every reader of the spec's CSV format (catalogue import,
instance folders, needs import). Each raises ``ValueError`` with a message in Bahasa
Indonesia that the caller attaches to a file, row and column."""

from __future__ import annotations

import re
from datetime import date

from matcher.catalog.taxonomy import CERTIFICATE_TYPES, category_codes

SIZE_CLASSES: tuple[str, ...] = ("mikro", "kecil", "menengah", "besar")

_TRUE = {"true", "ya", "1", "y", "yes"}
_FALSE = {"false", "tidak", "0", "n", "no", "t"}
# Whole rupiah: digits with optional dot thousands separators, optional "Rp" prefix.
_RUPIAH = re.compile(r"^(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)$", re.IGNORECASE)
_NIB = re.compile(r"^\d{13}$")


def parse_bool(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"nilai boolean tidak dikenal: {value!r} (pakai true/false, ya/tidak, 1/0)")


def parse_rupiah(value: str, *, allow_zero: bool = False) -> int:
    """A whole rupiah amount: ``15000``, ``15.000``, ``Rp15.000``, ``Rp 15.000``.

    Decimals (``15000,50``), text and negative amounts are rejected."""
    text = value.strip()
    match = _RUPIAH.match(text)
    if not match:
        raise ValueError(f"bukan jumlah rupiah bulat: {value!r}")
    amount = int(match.group(1).replace(".", ""))
    if amount == 0 and not allow_zero:
        raise ValueError("jumlah rupiah harus lebih dari 0")
    return amount


def parse_int(value: str, *, minimum: int | None = None) -> int:
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f"bukan bilangan bulat: {value!r}")
    number = int(text)
    if minimum is not None and number < minimum:
        raise ValueError(f"harus >= {minimum}, tertulis {number}")
    return number


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"tanggal tidak valid (format YYYY-MM-DD): {value!r}") from None


def parse_certs(value: str) -> frozenset[str]:
    """``HALAL;pirt; SLHS`` -> {"HALAL", "PIRT", "SLHS"}; unknown types are rejected."""
    certs: set[str] = set()
    for part in value.split(";"):
        code = part.strip().upper().replace(" ", "")
        if not code:
            continue
        if code not in CERTIFICATE_TYPES:
            raise ValueError(
                f"sertifikat tidak dikenal: {part.strip()!r} (pilihan: {', '.join(CERTIFICATE_TYPES)})"
            )
        certs.add(code)
    return frozenset(certs)


def parse_category(value: str) -> str:
    code = value.strip().upper()
    if code not in category_codes():
        raise ValueError(f"kategori tidak dikenal: {value!r}")
    return code


def parse_size_class(value: str) -> str:
    text = value.strip().lower()
    if text not in SIZE_CLASSES:
        raise ValueError(
            f"kelas usaha tidak dikenal: {value!r} (pilihan: {', '.join(SIZE_CLASSES)})"
        )
    return text


def parse_nib(value: str) -> str:
    text = value.strip()
    if not _NIB.match(text):
        raise ValueError(f"NIB harus 13 digit angka: {value!r}")
    return text


def format_certs(certs: frozenset[str] | set[str] | list[str]) -> str:
    """Canonical ``;``-joined form in the taxonomy's order."""
    return ";".join(c for c in CERTIFICATE_TYPES if c in set(certs))
