"""The dated halal rule and category defaults."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.policy import DEFAULT_POLICY, CertificateRule

HALAL_DAY = date(2026, 10, 17)


@pytest.mark.parametrize("category", ["BERAS", "SAYUR_BUAH", "SNACK", "MINUMAN", "NASI_KOTAK"])
def test_food_requires_halal_from_17_october_2026(category: str) -> None:
    before = DEFAULT_POLICY.required_certificates(category, date(2026, 10, 16))
    on_day = DEFAULT_POLICY.required_certificates(category, HALAL_DAY)
    assert "HALAL" in on_day
    assert on_day >= before


def test_rice_needs_no_halal_before_the_date_and_halal_after() -> None:
    assert DEFAULT_POLICY.required_certificates("BERAS", date(2026, 10, 16)) == frozenset()
    assert DEFAULT_POLICY.required_certificates("BERAS", HALAL_DAY) == frozenset({"HALAL"})


def test_category_defaults_kept() -> None:
    assert DEFAULT_POLICY.required_certificates("NASI_KOTAK", date(2026, 1, 1)) == {"HALAL", "SLHS"}


def test_non_food_never_requires_halal() -> None:
    assert DEFAULT_POLICY.required_certificates("SERAGAM", date(2030, 1, 1)) == frozenset()


def test_extra_rule_for_a_category() -> None:
    policy = DEFAULT_POLICY.with_rule(
        CertificateRule("SNI", date(2027, 1, 1), "skenario", categories=frozenset({"MASKER"}))
    )
    assert policy.required_certificates("MASKER", date(2026, 12, 31)) == frozenset()
    assert policy.required_certificates("MASKER", date(2027, 1, 1)) == {"SNI"}
