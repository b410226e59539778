"""Unit vocabulary shared by normalisation and quantity extraction.

Every spelling officers use for a unit maps to one canonical unit. Canonical units follow
the taxonomy units where they exist (kg, porsi, kotak, pcs, botol, stel, paket, lembar,
unit, pot) and add the packaging and trade units that appear in requests (rim, lusin,
kodi, dus, karung, eksemplar, ...). Large masses are converted to kg (``1,5 ton`` is
1 500 kg); everything else keeps its unit, with a factor to pieces where one is fixed
(a lusin is 12, a kodi 20, a gross 144)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["count", "measure", "time"]


@dataclass(frozen=True)
class UnitSpec:
    canonical: str
    factor: float  # multiply the stated number by this to get the canonical amount
    kind: UnitKind
    pieces: int | None = None  # pieces in one canonical unit, when fixed (lusin: 12)


def _spec(
    canonical: str, kind: UnitKind, *spellings: str, factor: float = 1.0, pieces: int | None = None
) -> dict[str, UnitSpec]:
    """Spellings of one unit; the canonical name itself is a spelling unless a factor
    converts into it (the ``ton`` entry must not redefine ``kg``)."""
    spec = UnitSpec(canonical=canonical, factor=factor, kind=kind, pieces=pieces)
    names = spellings if factor != 1.0 else (canonical, *spellings)
    return dict.fromkeys(names, spec)


# fmt: off
UNITS: dict[str, UnitSpec] = {
    # mass
    **_spec("kg", "measure", "kilo", "kilogram", "kgs", "kilogr"),
    **_spec("kg", "measure", "ton", "tons", "tn", "t", factor=1000.0),
    **_spec("kg", "measure", "kuintal", "kwintal", "kw", "kwt", "qt", factor=100.0),
    **_spec("gram", "measure", "gr", "grm", "g", "gram", "grams"),
    **_spec("gram", "measure", "ons", factor=100.0),
    # volume and length
    **_spec("liter", "measure", "ltr", "lt", "l", "litre"),
    **_spec("ml", "measure", "mili", "mililiter", "cc"),
    **_spec("meter", "measure", "m", "mtr", "meteran"),
    **_spec("m2", "measure", "meter2", "mtr2", "meterpersegi"),
    # servings and people
    **_spec("porsi", "count", "prs", "pax", "paks", "porsian"),
    **_spec("orang", "count", "org", "peserta", "jiwa", "orng"),
    # packaging
    **_spec("kotak", "count", "ktk", "box", "boks", "bok", "bx", "kotakan"),
    **_spec("dus", "count", "dos", "kardus", "karton", "krt", "ds"),
    **_spec("botol", "count", "btl", "bottle", "btol"),
    **_spec("gelas", "count", "cup", "gls"),
    **_spec("galon", "count", "gln"),
    **_spec("bungkus", "count", "bks", "bngks", "sachet", "saset", "sachets", "pouch"),
    **_spec("pak", "count", "pack", "pck", "pk"),
    **_spec("toples", "count", "stoples", "tples"),
    **_spec("renteng", "count", "rtg"),
    **_spec("kaleng", "count", "klg"),
    **_spec("karung", "count", "sak", "krg", "zak"),
    **_spec("tray", "count", "tre", "trai"),
    # pieces and trade counts
    **_spec("pcs", "count", "pc", "pieces", "piece", "buah", "bh", "biji", "bj", "butir", "btr",
            "item", "potong", "ptg", "psc"),
    **_spec("unit", "count", "unt", "units"),
    **_spec("lembar", "count", "lbr", "lb", "lmbr", "lembr", "helai", "hlai", "sheet"),
    **_spec("eksemplar", "count", "eks", "exp", "expl", "eksp", "exemplar"),
    **_spec("rim", "count", "rims", pieces=500),
    **_spec("lusin", "count", "lsn", "dozen", "dz", pieces=12),
    **_spec("kodi", "count", "kd", pieces=20),
    **_spec("gross", "count", "gros", pieces=144),
    **_spec("stel", "count", "setel", "stell", "stl", "sstel"),
    **_spec("set", "count", "sets", "perangkat"),
    **_spec("pasang", "count", "psg", "pasng", "pairs", "pair"),
    **_spec("paket", "count", "pkt", "paketan", "pket"),
    **_spec("roll", "count", "rol", "gulung"),
    **_spec("pot", "count", "pots"),
    **_spec("polybag", "count", "poly", "polibag"),
    **_spec("batang", "count", "btg", "pohon", "phn"),
    **_spec("tangkai", "count", "tkai", "tngkai"),
    **_spec("rangkaian", "count", "rangkai"),
    **_spec("ikat", "count", "ikt"),
    **_spec("sisir", "count"),
    **_spec("buku", "count"),
    # service durations
    **_spec("bulan", "time", "bln"),
    **_spec("hari", "time", "hr"),
    **_spec("kali", "time"),
}
# fmt: on

# Spellings too ambiguous to stand for a unit when written apart from the number
# ("t", "l", "m", "g", ...): they count only when glued to it ("50l", "2t").
GLUED_ONLY: frozenset[str] = frozenset({"t", "l", "m", "g", "lb", "kd", "pk", "ds", "bj", "hr"})

# A multiplier word between number and unit: "2 ribu lembar".
MULTIPLIERS: dict[str, float] = {"ribu": 1000.0, "rb": 1000.0, "rbu": 1000.0}
