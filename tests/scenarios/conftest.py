"""Tiny hand-made instances with answers that can be computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.optimizer import Agency, Instance, Need, Offer, Policy, Supplier

TODAY = date(2026, 11, 23)


def supplier(sid: str, *, local: bool = True, size: str = "mikro", kop: bool = False) -> Supplier:
    return Supplier(
        supplier_id=sid,
        name=f"Pemasok {sid}",
        nib="1234567890123",
        size_class=size,
        is_koperasi=kop,
        region="Temas" if local else "Malang",
        kecamatan="Batu" if local else "-",
        is_local=local,
        verified=True,
        certs=frozenset({"PIRT"}),
    )


def offer(oid: str, sid: str, price: int, cap: int, category: str = "BERAS") -> Offer:
    return Offer(oid, sid, category, f"Produk {oid}", "kg", price, cap, 1, 1)


def need(nid: str, qty: int, hps: int, category: str = "BERAS", agency: str = "A1") -> Need:
    return Need(
        nid,
        agency,
        category,
        f"Kebutuhan {nid}",
        qty,
        hps,
        frozenset(),
        date(2026, 12, 20),
        "Temas",
    )


def tiny(budget: int = 10_000_000) -> Instance:
    """Rice: local mikro L (Rp12.000/kg, 60 kg) and outside besar B (Rp10.000/kg, 100 kg);
    one need of 100 kg at HPS Rp13.000 -> base: 60 kg from L, 40 kg from B."""
    return Instance(
        suppliers=(supplier("L"), supplier("B", local=False, size="besar")),
        offers=(offer("OL", "L", 12_000, 60), offer("OB", "B", 10_000, 100)),
        agencies=(Agency("A1", "Dinas A", budget),),
        needs=(need("N1", 100, 13_000),),
        policy=Policy(today=TODAY, max_suppliers_per_need=3),
    )


@pytest.fixture
def rice() -> Instance:
    return tiny()
