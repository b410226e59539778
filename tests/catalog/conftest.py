"""Catalogue import/export fixtures: folders of spec CSVs and a CLI database file."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import cli_database

__all__ = ["cli_database", "write_catalogue"]

# The shared example instance beside the repository (CI has ../shared as well).
BATU_SMALL = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples" / "batu-small"

SUPPLIER_HEADER = (
    "supplier_id,name,nib,size_class,is_koperasi,region,kecamatan,is_local,verified,certs"
)
OFFER_HEADER = (
    "offer_id,supplier_id,category,name,unit,unit_price,capacity,min_order_qty,lead_time_days"
)
AGENCY_HEADER = "agency_id,name,budget"

GOOD_SUPPLIER = "S1,Usaha Satu,9120000000001,mikro,true,Sisir,Batu,true,true,HALAL;PIRT"
GOOD_OFFER = "O1,S1,SNACK,Snack box,kotak,15000,500,10,2"


def write_catalogue(
    folder: Path,
    *,
    suppliers: list[str] | None = None,
    offers: list[str] | None = None,
    agencies: list[str] | None = None,
    supplier_header: str = SUPPLIER_HEADER,
    offer_header: str = OFFER_HEADER,
    agency_header: str = AGENCY_HEADER,
) -> Path:
    """Write the given data lines (header added) as the spec's CSV files; returns folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, header, lines in (
        ("suppliers.csv", supplier_header, suppliers),
        ("offers.csv", offer_header, offers),
        ("agencies.csv", agency_header, agencies),
    ):
        path = folder / name
        if lines is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return folder
