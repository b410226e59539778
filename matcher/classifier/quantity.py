"""Quantity and unit extraction from free-text need descriptions.

``"snek box 150 pax utk bimtek"`` -> ``Quantity(value=150, unit="porsi", raw="150 pax")``.

Numbers follow Indonesian writing: a dot groups thousands (``2.000 lembar`` is 2 000) and
a comma marks decimals (``1,5 ton`` is 1.5 t, reported as 1 500 kg). A dot followed by one
or two digits is read as a decimal point (``2.5 kg``); a comma followed by exactly three
digits before a unit that cannot be split (``1,500 pcs``) is read as an English thousands
separator. Prices (``Rp 25.000``, ``@ 15.000``) and dimensions (``3x1 m``, ``60 x 90 cm``)
are not quantities. When a text holds several quantities, counted units (pax, rim, dus,
karung...) win over measures (kg, ml, meter), which win over durations (bulan, hari): in
``beras 5 kg 200 karung`` the quantity is 200 karung and 5 kg is the size of one sack."""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.classifier.units import GLUED_ONLY, MULTIPLIERS, UNITS, UnitSpec

NUMBER_PATTERN = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_MULTIPLIER_PATTERN = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w.,/@])(?P<number>{NUMBER_PATTERN})(?![\d])"
    rf"(?P<gap>\s*)(?:(?P<mult>{_MULTIPLIER_PATTERN})\s*)?"
    r"(?P<unit>[a-z]+2?)(?![a-z0-9])",
)
_COUNTED = re.compile(
    rf"\b(?:sebanyak|sejumlah|jumlah|jml|jmlh|volume|vol|qty|total)\s*[:=]?\s*"
    rf"(?P<number>{NUMBER_PATTERN})(?![\d.,]*\d)",
)
_PRICE_BEFORE = re.compile(r"(?:rp\.?|@|idr)\s*$")
_DIMENSION_BEFORE = re.compile(r"\d\s*[x×*]\s*$")
_PRICE_TIMES_BEFORE = re.compile(r"(?:rp\.?|@|idr)\s*[\d.,]+\s*(?:rb|ribu)?\s*[x×*]\s*$")
_DIMENSION_AFTER = re.compile(r"^\s*[x×*]\s*\d")
_KIND_RANK = {"count": 0, "measure": 1, "time": 2}


@dataclass(frozen=True)
class Quantity:
    """An amount found in a text, in its canonical unit (``None`` when no unit was named)."""

    value: float
    unit: str | None
    raw: str
    start: int
    end: int
    pieces_per_unit: int | None = None

    @property
    def pieces(self) -> float | None:
        """The amount in pieces for units with a fixed count (3 kodi -> 60)."""
        if self.unit == "pcs":
            return self.value
        if self.pieces_per_unit is None:
            return None
        return self.value * self.pieces_per_unit

    def to_dict(self) -> dict[str, object]:
        return {"value": format_number(self.value), "unit": self.unit, "raw": self.raw}


def format_number(value: float) -> int | float:
    """``150.0`` -> ``150``; other values rounded to 3 decimals."""
    if float(value).is_integer():
        return int(value)
    return round(value, 3)


def parse_number(text: str, *, divisible: bool = True) -> float:
    """An Indonesian-written number: ``2.000`` -> 2000, ``1,5`` -> 1.5, ``12.500,75`` ->
    12500.75, ``2.5`` -> 2.5. With ``divisible=False`` a comma before exactly three digits
    groups thousands (``1,500`` -> 1500), since a fraction of a piece makes no sense."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    if "," in text:
        whole, fraction = text.split(",", 1)
        if not divisible and len(fraction) == 3:
            return float(whole + fraction)
        return float(f"{whole}.{fraction}")
    return float(text)


def _unit(word: str, gap: str) -> UnitSpec | None:
    spec = UNITS.get(word)
    if spec is None:
        return None
    if word in GLUED_ONLY and gap:
        return None
    return spec


def extract_quantities(text: str) -> list[Quantity]:
    """Every number-with-unit in the text, in order of appearance."""
    lowered = text.lower()
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(lowered):
        start = match.start("number")
        before = lowered[max(0, start - 24) : start]
        if _PRICE_BEFORE.search(before):
            continue
        if _DIMENSION_BEFORE.search(before) and not _PRICE_TIMES_BEFORE.search(before):
            continue
        if _DIMENSION_AFTER.match(lowered[match.end("number") :]):
            continue
        spec = _unit(match.group("unit"), match.group("gap"))
        if spec is None:
            continue
        number = parse_number(match.group("number"), divisible=spec.kind != "count")
        multiplier = MULTIPLIERS.get(match.group("mult") or "", 1.0)
        found.append(
            Quantity(
                value=number * multiplier * spec.factor,
                unit=spec.canonical,
                raw=text[start : match.end("unit")],
                start=start,
                end=match.end("unit"),
                pieces_per_unit=spec.pieces,
            )
        )
    return found


def _kind(quantity: Quantity) -> int:
    spec = UNITS.get(quantity.unit or "")
    return _KIND_RANK[spec.kind] if spec is not None else 0


def extract_quantity(text: str) -> Quantity | None:
    """The quantity the text asks for, or ``None``.

    Counted units beat measures, measures beat durations; among equals the first wins.
    Without any unit, a number after ``sebanyak``/``jumlah``/``qty``... is returned with
    ``unit=None``."""
    found = extract_quantities(text)
    if found:
        return min(found, key=lambda q: (_kind(q), q.start))
    lowered = text.lower()
    counted = _COUNTED.search(lowered)
    if counted is None:
        return None
    return Quantity(
        value=parse_number(counted.group("number")),
        unit=None,
        raw=text[counted.start("number") : counted.end("number")],
        start=counted.start("number"),
        end=counted.end("number"),
    )
