"""Text normalisation: case, abbreviations, numbers and units, reduplication."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.classifier.normalize import NUMBER_TOKEN, normalize, normalizer_fingerprint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("snek box 150 pax utk bimtek", "snack box _num_ porsi untuk bimbingan teknis"),
        ("Belanja Makanan dan Minuman Rapat", "belanja makanan dan minuman rapat"),
        ("naskot 75 pax dgn lauk ayam", "nasi kotak _num_ porsi dengan lauk ayam"),
        ("mamin rakor", "makanan minuman rapat koordinasi"),
        ("kertas HVS A4 70gr 20 rim", "kertas hvs a4 _num_ gram _num_ rim"),
        ("apel Batu 50kg", "apel batu _num_ kg"),
        ("kursi lipat 100 bh", "kursi lipat _num_ pcs"),
        ("cetak 2.000 lembar", "cetak _num_ lembar"),
        ("cetak 2 ribu lembar", "cetak _num_ lembar"),
        ("beras 1,5 ton", "beras _num_ kg"),
        ("kue2 & oleh2", "kue kue dan oleh oleh"),
        ("buah2an segar", "buah buahan segar"),
        ("Alat/Bahan untuk Kegiatan Kantor-ATK", "alat bahan untuk kegiatan kantor atk"),
        ("X-Banner 5 bh", "x banner _num_ pcs"),
        ("kripik tempe", "keripik tempe"),
        ("PDH pegawai", "pakaian dinas harian pegawai"),
        ("s/d tgl 17", "sampai tanggal _num_"),
        ("  SNACK   BOX  ", "snack box"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_unit_words_are_units_only_after_a_number() -> None:
    # "buah" after a number is a count (pcs); on its own it is fruit.
    assert normalize("100 buah kursi") == f"{NUMBER_TOKEN} pcs kursi"
    assert normalize("buah segar") == "buah segar"
    assert normalize("snack box") == "snack box"
    assert normalize("20 box snack") == f"{NUMBER_TOKEN} kotak snack"


def test_fingerprint_is_stable() -> None:
    assert normalizer_fingerprint() == normalizer_fingerprint()
    assert len(normalizer_fingerprint()) == 16


_words = st.sampled_from(
    [
        "snek",
        "box",
        "150",
        "pax",
        "utk",
        "2.000",
        "lembar",
        "kue2",
        "Rp",
        "beras",
        "1,5",
        "ton",
        "bh",
        "mamin",
        "rapat",
        "x-banner",
        "A4",
        "/",
        "-",
        "&",
        "s/d",
        "50kg",
        "ribu",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_words, max_size=12))
def test_normalize_is_idempotent_and_clean(words: list[str]) -> None:
    once = normalize(" ".join(words))
    assert normalize(once) == once
    assert once == once.lower().strip()
    assert "  " not in once
