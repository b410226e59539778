"""Rupiah: formatting (``Rp1.250.000``) and amounts in words (terbilang) for documents."""

from __future__ import annotations

_DIGITS = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)
# Short scale as used in Indonesian: ribu 10^3, juta 10^6, miliar 10^9, triliun 10^12,
# kuadriliun 10^15.
_SCALES = ((10**15, "kuadriliun"), (10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))
MAX_TERBILANG = 10**18 - 1


def format_rupiah(amount: int) -> str:
    """``1250000`` -> ``"Rp1.250.000"``; negative amounts as ``"-Rp5.000"``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_DIGITS[hundreds], "ratus"]
    if rest == 0:
        return words
    if rest < 10:
        words.append(_DIGITS[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words += [_DIGITS[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_DIGITS[tens], "puluh"]
        if ones:
            words.append(_DIGITS[ones])
    return words


def _words(n: int) -> list[str]:
    words: list[str] = []
    for value, name in _SCALES:
        count, n = divmod(n, value)
        if count:
            words += [*_words(count), name]
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        words.append("seribu")
    elif thousands > 1:
        words += [*_below_thousand(thousands), "ribu"]
    words += _below_thousand(n)
    return words


def terbilang(amount: int, *, currency: str | None = "rupiah") -> str:
    """An integer amount in Indonesian words: ``1_250_000`` -> ``"satu juta dua ratus lima
    puluh ribu rupiah"``, ``0`` -> ``"nol rupiah"``. ``currency=None`` gives the bare number."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("terbilang expects an integer amount")
    if abs(amount) > MAX_TERBILANG:
        raise ValueError(f"amount too large for terbilang: {amount}")
    words = ["nol"] if amount == 0 else _words(abs(amount))
    if amount < 0:
        words.insert(0, "minus")
    if currency:
        words.append(currency)
    return " ".join(words)
