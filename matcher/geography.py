"""Kota Batu's administrative geography: 3 kecamatan, 24 desa/kelurahan.

Used to place a delivery address (a need's desa/kelurahan) relative to a supplier: same desa,
same kecamatan, elsewhere in town, or outside town."""

from __future__ import annotations

import enum
from functools import lru_cache

KECAMATAN_DESA: dict[str, tuple[str, ...]] = {
    "Batu": (
        "Oro-oro Ombo",
        "Pesanggrahan",
        "Sidomulyo",
        "Songgokerto",
        "Sumberejo",
        "Ngaglik",
        "Sisir",
        "Temas",
    ),
    "Bumiaji": (
        "Bulukerto",
        "Bumiaji",
        "Giripurno",
        "Gunungsari",
        "Pandanrejo",
        "Punten",
        "Sumber Brantas",
        "Sumbergondo",
        "Tulungrejo",
    ),
    "Junrejo": ("Beji", "Dadaprejo", "Junrejo", "Mojorejo", "Pendem", "Tlekung", "Torongrejo"),
}

OUTSIDE = "-"


@lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


_DESA_TO_KECAMATAN: dict[str, str] = {
    _key(desa): kecamatan for kecamatan, desas in KECAMATAN_DESA.items() for desa in desas
}


def kecamatan_of(desa: str) -> str | None:
    """The kecamatan of a desa/kelurahan of Kota Batu, or None when it is not one."""
    return _DESA_TO_KECAMATAN.get(_key(desa))


def all_desa() -> list[tuple[str, str]]:
    """(desa, kecamatan) pairs in a stable order."""
    return [(desa, kecamatan) for kecamatan, desas in KECAMATAN_DESA.items() for desa in desas]


class DistanceTier(enum.StrEnum):
    SAME_DESA = "same_desa"
    SAME_KECAMATAN = "same_kecamatan"
    IN_TOWN = "in_town"
    OUTSIDE = "outside"

    @property
    def label(self) -> str:
        return {
            "same_desa": "satu desa/kelurahan",
            "same_kecamatan": "satu kecamatan",
            "in_town": "dalam kota",
            "outside": "luar kota",
        }[self.value]


def distance_tier(
    supplier_region: str, supplier_kecamatan: str, supplier_is_local: bool, delivery_desa: str
) -> DistanceTier:
    if not supplier_is_local or supplier_kecamatan.strip() == OUTSIDE:
        return DistanceTier.OUTSIDE
    if _key(supplier_region) == _key(delivery_desa):
        return DistanceTier.SAME_DESA
    delivery_kecamatan = kecamatan_of(delivery_desa)
    if delivery_kecamatan is not None and _key(delivery_kecamatan) == _key(supplier_kecamatan):
        return DistanceTier.SAME_KECAMATAN
    return DistanceTier.IN_TOWN
