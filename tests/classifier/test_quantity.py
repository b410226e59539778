"""Quantity and unit extraction: Indonesian number formats, unit spellings, prices."""

from __future__ import annotations

import pytest

from matcher.classifier.quantity import extract_quantities, extract_quantity, parse_number


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("snek box 150 pax utk bimtek", 150, "porsi"),
        ("cetak brosur 2.000 lembar", 2000, "lembar"),
        ("kertas HVS A4 20 rim", 20, "rim"),
        ("beras 1,5 ton utk operasi pasar", 1500, "kg"),
        ("batik tulis 3 kodi", 3, "kodi"),
        ("masker 5 lusin", 5, "lusin"),
        ("apel manalagi 50kg", 50, "kg"),
        ("kursi lipat 100 bh", 100, "pcs"),
        ("goodie bag 12 pcs", 12, "pcs"),
        ("seragam linmas 2 stel", 2, "stel"),
        ("nasi kotak 1.250 porsi", 1250, "porsi"),
        ("kertas 12.500 lembar", 12500, "lembar"),
        ("air mineral 40 dus", 40, "dus"),
        ("sari apel 24 btl", 24, "botol"),
        ("kalender 500 eks", 500, "eksemplar"),
        ("sepatu PDH 50 psg", 50, "pasang"),
        ("tanaman hias 200 pot", 200, "pot"),
        ("lemari arsip 5 unit", 5, "unit"),
        ("paket sembako 30 pkt", 30, "paket"),
        ("beras 3 kwintal", 300, "kg"),
        ("kopi bubuk 2,5 kg", 2.5, "kg"),
        ("minyak 2.5 liter", 2.5, "liter"),
        ("keripik 250 gr", 250, "gram"),
        ("cetak 2 ribu lembar", 2000, "lembar"),
        ("leaflet 5rb lembar", 5000, "lembar"),
        ("SNACK BOX 80 PAX", 80, "porsi"),
        ("makan siang 40 org", 40, "orang"),
        ("bibit 300 polybag", 300, "polybag"),
        ("cleaning service 12 bulan", 12, "bulan"),
        ("masker 1,500 pcs", 1500, "pcs"),
    ],
)
def test_quantity_forms(text: str, value: float, unit: str) -> None:
    quantity = extract_quantity(text)
    assert quantity is not None
    assert quantity.value == pytest.approx(value)
    assert quantity.unit == unit
    assert quantity.raw in text


def test_raw_keeps_the_original_spelling_and_position() -> None:
    text = "Snek Box 150 Pax utk bimtek"
    quantity = extract_quantity(text)
    assert quantity is not None
    assert quantity.raw == "150 Pax"
    assert text[quantity.start : quantity.end] == "150 Pax"
    assert quantity.to_dict() == {"value": 150, "unit": "porsi", "raw": "150 Pax"}


@pytest.mark.parametrize(
    "text",
    [
        "Belanja Makanan dan Minuman Rapat Koordinasi",
        "Rapat koordinasi TA 2026",
        "HUT RI ke-81",
        "nasi kotak @ Rp 25.000",
        "snack Rp25.000/kotak",
        "spanduk 3x1 m",
        "banner 60 x 90 cm",
        "kertas A4",
        "SDN Sisir 01",
    ],
)
def test_no_quantity(text: str) -> None:
    assert extract_quantity(text) is None


def test_counted_unit_wins_over_package_size() -> None:
    quantity = extract_quantity("beras 5 kg 200 karung")
    assert quantity is not None
    assert (quantity.value, quantity.unit) == (200, "karung")
    assert [q.unit for q in extract_quantities("beras 5 kg 200 karung")] == ["kg", "karung"]
    paper = extract_quantity("kertas HVS A4 70 gram 20 rim")
    assert paper is not None
    assert (paper.value, paper.unit) == (20, "rim")
    water = extract_quantity("air mineral 600 ml 100 dus")
    assert water is not None
    assert (water.value, water.unit) == (100, "dus")


def test_price_and_dimension_are_skipped_but_quantity_found() -> None:
    quantity = extract_quantity("nasi kotak Rp 25.000 x 150 porsi")
    assert quantity is not None
    assert (quantity.value, quantity.unit) == (150, "porsi")
    banner = extract_quantity("banner 3x1 m 10 lembar")
    assert banner is not None
    assert (banner.value, banner.unit) == (10, "lembar")


def test_number_without_unit_after_counting_word() -> None:
    quantity = extract_quantity("kebutuhan snack sebanyak 150")
    assert quantity is not None
    assert quantity.value == 150
    assert quantity.unit is None


def test_pieces_for_trade_units() -> None:
    kodi = extract_quantity("3 kodi")
    lusin = extract_quantity("5 lusin")
    pcs = extract_quantity("12 pcs")
    kg = extract_quantity("50 kg")
    assert kodi is not None and kodi.pieces == 60
    assert lusin is not None and lusin.pieces == 60
    assert pcs is not None and pcs.pieces == 12
    assert kg is not None and kg.pieces is None


@pytest.mark.parametrize(
    ("text", "divisible", "value"),
    [
        ("2.000", True, 2000),
        ("1.000.000", True, 1_000_000),
        ("1,5", True, 1.5),
        ("12.500,75", True, 12500.75),
        ("2.5", True, 2.5),
        ("1,500", True, 1.5),
        ("1,500", False, 1500),
        ("150", True, 150),
    ],
)
def test_parse_number(text: str, divisible: bool, value: float) -> None:
    assert parse_number(text, divisible=divisible) == pytest.approx(value)
