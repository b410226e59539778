"""Rupiah formatting and amounts in words (terbilang)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.money import MAX_TERBILANG, format_rupiah, terbilang


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol rupiah"),
        (1, "satu rupiah"),
        (10, "sepuluh rupiah"),
        (11, "sebelas rupiah"),
        (12, "dua belas rupiah"),
        (19, "sembilan belas rupiah"),
        (20, "dua puluh rupiah"),
        (45, "empat puluh lima rupiah"),
        (100, "seratus rupiah"),
        (101, "seratus satu rupiah"),
        (111, "seratus sebelas rupiah"),
        (200, "dua ratus rupiah"),
        (1000, "seribu rupiah"),
        (1001, "seribu satu rupiah"),
        (1100, "seribu seratus rupiah"),
        (2000, "dua ribu rupiah"),
        (11_000, "sebelas ribu rupiah"),
        (100_000, "seratus ribu rupiah"),
        (101_000, "seratus satu ribu rupiah"),
        (1_000_000, "satu juta rupiah"),
        (1_001_000, "satu juta seribu rupiah"),
        (1_250_000, "satu juta dua ratus lima puluh ribu rupiah"),
        (15_000_000, "lima belas juta rupiah"),
        (200_000_000, "dua ratus juta rupiah"),
        (2_000_000_000, "dua miliar rupiah"),
        (1_000_000_000_000, "satu triliun rupiah"),
        (
            1_234_567_890,
            "satu miliar dua ratus tiga puluh empat juta lima ratus enam puluh tujuh ribu "
            "delapan ratus sembilan puluh rupiah",
        ),
    ],
)
def test_terbilang(amount: int, words: str) -> None:
    assert terbilang(amount) == words


def test_terbilang_without_currency_and_negative() -> None:
    assert terbilang(1000, currency=None) == "seribu"
    assert terbilang(-5000) == "minus lima ribu rupiah"


def test_terbilang_rejects_non_integers_and_huge_amounts() -> None:
    with pytest.raises(TypeError):
        terbilang(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="too large"):
        terbilang(MAX_TERBILANG + 1)


_UNITS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
    "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
    "seratus": 100, "seribu": 1000,
}  # fmt: skip
_SMALL = {"belas": None, "puluh": 10, "ratus": 100}
_SCALE = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "triliun": 10**12, "kuadriliun": 10**15}


def _parse(words: str) -> int:
    """An independent reading of the words back into a number."""
    total, group, last = 0, 0, 0
    for word in words.split():
        if word in _UNITS:
            last = _UNITS[word]
            group += last
        elif word == "belas":
            group += 10
        elif word in _SMALL:
            factor = _SMALL[word]
            assert factor is not None
            group += last * factor - last
        elif word in _SCALE:
            if word == "ribu":
                group *= 1000
                total += group
            else:
                total += group * _SCALE[word]
            group = 0
    return total + group


@given(st.integers(min_value=0, max_value=MAX_TERBILANG))
def test_terbilang_reads_back(amount: int) -> None:
    words = terbilang(amount, currency=None)
    assert "  " not in words
    assert _parse(words) == amount


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "Rp0"), (500, "Rp500"), (1250000, "Rp1.250.000"), (-5000, "-Rp5.000")],
)
def test_format_rupiah(amount: int, text: str) -> None:
    assert format_rupiah(amount) == text
