"""Procurement policy: every regulatory figure the product encodes, in one dated object.

Each rule cites its source (see ../shared/spec/policy-sources.md). Rules that start on a date
(the halal obligation for food) are expressed as dated rules and evaluated *on a day*, never as
date checks scattered in the code. ``policy_on(day)`` gives the figures in force that day."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from matcher.catalog.taxonomy import get_category


@dataclass(frozen=True)
class CertificateRule:
    """From ``effective_from`` on, needs in ``categories`` (or every food category when
    ``food_categories`` is set) require ``certificate``."""

    certificate: str
    effective_from: date
    source: str
    food_categories: bool = False
    categories: frozenset[str] = frozenset()

    def applies(self, category_code: str, on: date) -> bool:
        if on < self.effective_from:
            return False
        if self.food_categories and get_category(category_code).food:
            return True
        return category_code in self.categories


HALAL_FOOD_RULE = CertificateRule(
    certificate="HALAL",
    effective_from=date(2026, 10, 17),
    source="UU 33/2014 tentang Jaminan Produk Halal sebagaimana diubah; PP 42/2024",
    food_categories=True,
)


@dataclass(frozen=True)
class ProcurementPolicy:
    # Share of goods/services spending reserved for micro/small enterprises and cooperatives.
    umk_share_target: float = 0.40  # UU 11/2020 Ps. 97; PP 7/2021; Perpres 12/2021 Ps. 65
    # Packages up to this value are reserved for small enterprises and cooperatives.
    umk_reserved_package_max: int = 15_000_000_000  # Perpres 12/2021 Ps. 65
    # Direct procurement (pengadaan langsung) of goods/services, per package.
    direct_procurement_limit: int = 200_000_000  # Perpres 12/2021 (amending Perpres 16/2018)
    # Online shop (toko daring / Bela Pengadaan), per transaction.
    online_shop_limit: int = 50_000_000  # LKPP rules on toko daring
    # Rotate after about this many purchases from one vendor (Bela UMKM, Banyuwangi practice).
    rotation_limit: int = 5
    rotation_window_days: int = 90
    # PIRT certificate validity (BPOM rules on SPP-IRT).
    pirt_validity_years: int = 5
    # Certificates expiring within this many days are flagged to the supplier and Dinas.
    certificate_warning_days: int = 60
    # Payment target: days from delivery to payment before a payment counts as late.
    payment_target_days: int = 14
    certificate_rules: tuple[CertificateRule, ...] = field(default=(HALAL_FOOD_RULE,))

    def required_certificates(self, category_code: str, on: date) -> frozenset[str]:
        """Certificates a need in this category requires by default on a day: the category's
        defaults (taxonomy.csv) plus every dated rule in force."""
        required = set(get_category(category_code).default_required_certs)
        for rule in self.certificate_rules:
            if rule.applies(category_code, on):
                required.add(rule.certificate)
        return frozenset(required)

    def with_rule(self, rule: CertificateRule) -> ProcurementPolicy:
        """A copy with one more certificate rule (what-if scenarios: "halal wajib")."""
        return replace(self, certificate_rules=(*self.certificate_rules, rule))


DEFAULT_POLICY = ProcurementPolicy()


def policy_on(_day: date) -> ProcurementPolicy:
    """The policy in force on a day. The figures above have no end dates yet; dated rules
    are evaluated against the day by the methods that take one."""
    return DEFAULT_POLICY
