"""The scenario file format (YAML), validated with pydantic.

A scenario is a base and a list of changes, each change a mapping with a ``type``::

    name: Anggaran dipotong 20%
    base: database               # or: {instance: ../examples/batu-small}
    changes:
      - type: budget
        percent: -20

Change types: ``budget``, ``capacity``, ``add_suppliers``, ``remove_suppliers``, ``price``,
``certificate_rule``, ``policy``, ``demand`` (see the models below). Percentages are changes
(-20 = minus 20%); amounts are absolute additions (rupiah for budgets, units for capacities).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from matcher.catalog.taxonomy import CERTIFICATE_TYPES, category_codes

SIZE_CLASSES = ("mikro", "kecil", "menengah", "besar")
Percent = Annotated[float, Field(ge=-100, le=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_categories(values: list[str]) -> list[str]:
    known = set(category_codes())
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ValueError(f"kategori tidak dikenal: {', '.join(unknown)}")
    return values


Categories = Annotated[list[str], AfterValidator(_check_categories)]


def _percent_or_amount(percent: float | None, amount: int | None) -> None:
    if (percent is None) == (amount is None):
        raise ValueError("isi tepat satu dari 'percent' atau 'amount'")


class BaseSpec(_Strict):
    """What the scenario starts from. ``database``: the submitted needs and the current
    catalogue of the database (``matcher.planning.instance.build_instance``); ``instance``: an
    instance folder (relative to the scenario file's folder, else to the repository root)."""

    source: Literal["database", "instance"] = "database"
    path: str | None = None
    # Database base: the planning round's k and cap (default 3, no cap); instance base: kept
    # from policy.json unless given here.
    max_suppliers_per_need: Annotated[int, Field(ge=1, le=20)] | None = None
    max_supplier_value: Annotated[int, Field(gt=0)] | None = None
    today: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if data == "database":
            return {"source": "database"}
        if isinstance(data, dict) and "instance" in data:
            rest = {k: v for k, v in data.items() if k != "instance"}
            return {"source": "instance", "path": data["instance"], **rest}
        return data

    @model_validator(mode="after")
    def _path_for_instance(self) -> BaseSpec:
        if self.source == "instance" and not self.path:
            raise ValueError("base instance membutuhkan 'path'")
        return self


class BudgetChange(_Strict):
    """Agency budgets (all, or the listed agency ids) by percent or by an amount in rupiah."""

    type: Literal["budget"]
    agencies: list[str] | None = None
    percent: Percent | None = None
    amount: int | None = None

    @model_validator(mode="after")
    def _one(self) -> BudgetChange:
        _percent_or_amount(self.percent, self.amount)
        return self


class SupplierFilter(_Strict):
    """Selects offers/suppliers; every given criterion must hold (none given: all)."""

    categories: Categories | None = None
    kecamatan: list[str] | None = None
    size_classes: list[Literal["mikro", "kecil", "menengah", "besar"]] | None = None
    suppliers: list[str] | None = None
    koperasi: bool | None = None


class CapacityChange(SupplierFilter):
    """Offer capacities (units in the planning period) by percent or by an amount of units."""

    type: Literal["capacity"]
    percent: Percent | None = None
    amount: int | None = None

    @model_validator(mode="after")
    def _one(self) -> CapacityChange:
        _percent_or_amount(self.percent, self.amount)
        return self


class NewOffer(_Strict):
    category: Annotated[str, AfterValidator(lambda c: _check_categories([c])[0])]
    name: str | None = None
    unit: str | None = None
    unit_price: Annotated[int, Field(gt=0)] | None = None  # default: the category's median
    capacity: Annotated[int, Field(ge=0)]
    min_order_qty: Annotated[int, Field(ge=0)] = 1
    lead_time_days: Annotated[int, Field(ge=0)] = 2


class AddSuppliers(_Strict):
    """New suppliers: one per desa/kelurahan of Kota Batu (``per_desa``), or ``count`` of
    them; codes ``{prefix}001``..., deterministic."""

    type: Literal["add_suppliers"]
    prefix: Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[A-Z][A-Z0-9_-]*$")]
    name: str = "Koperasi {desa}"
    per_desa: bool = False
    count: Annotated[int, Field(ge=1, le=10_000)] | None = None
    size_class: Literal["mikro", "kecil", "menengah", "besar"] = "kecil"
    is_koperasi: bool = True
    verified: bool = True
    certs: list[str] = Field(default_factory=list)
    offers: list[NewOffer] = Field(min_length=1)

    @model_validator(mode="after")
    def _how_many(self) -> AddSuppliers:
        if self.per_desa == (self.count is not None):
            raise ValueError("isi tepat satu dari 'per_desa: true' atau 'count'")
        unknown = [c for c in self.certs if c not in CERTIFICATE_TYPES]
        if unknown:
            raise ValueError(f"sertifikat tidak dikenal: {', '.join(unknown)}")
        return self


class RemoveSuppliers(SupplierFilter):
    """Suppliers out of the catalogue (``remove``: with their offers) or suspended
    (``suspend``: kept but no longer verified, so never eligible)."""

    type: Literal["remove_suppliers"]
    mode: Literal["remove", "suspend"] = "remove"

    @model_validator(mode="after")
    def _some(self) -> RemoveSuppliers:
        if not any(
            v is not None
            for v in (self.categories, self.kecamatan, self.size_classes, self.suppliers)
        ):
            raise ValueError("pilih pemasok: 'suppliers', 'categories', 'kecamatan' atau kelas")
        return self


class PriceChange(_Strict):
    """Unit prices of offers (in the categories, or all) by percent, rounded to rupiah."""

    type: Literal["price"]
    categories: Categories | None = None
    percent: Percent


class CertificateRuleChange(_Strict):
    """Needs in the categories (or every food category) require the certificate; like
    :class:`matcher.policy.CertificateRule`, in force for needs delivered on or after
    ``effective_from`` (absent: all needs)."""

    type: Literal["certificate_rule"]
    certificate: str
    categories: Categories = Field(default_factory=list)
    food_categories: bool = False
    effective_from: date | None = None

    @model_validator(mode="after")
    def _valid(self) -> CertificateRuleChange:
        if self.certificate not in CERTIFICATE_TYPES:
            raise ValueError(f"sertifikat tidak dikenal: {self.certificate}")
        if not self.categories and not self.food_categories:
            raise ValueError("isi 'categories' atau 'food_categories: true'")
        return self


class LocalShare(_Strict):
    """Minimum local/UMK share of the plan's demand value (HPS). ``hard``: a constraint;
    ``weighted``: stage 2 maximises weight x priority value - cost, the share is reported."""

    share: Annotated[float, Field(ge=0, le=1)]
    mode: Literal["hard", "weighted"] = "hard"
    weight: Annotated[float, Field(ge=0, le=100)] = 1.0


class PolicyChange(_Strict):
    type: Literal["policy"]
    max_suppliers_per_need: Annotated[int, Field(ge=1, le=20)] | None = None
    max_supplier_value: Annotated[int, Field(gt=0)] | None = None
    remove_supplier_cap: bool = False
    min_local_share: LocalShare | None = None


class DemandChange(_Strict):
    """Need quantities (in the categories / of the agencies, or all) by percent, rounded;
    needs that drop to zero leave the plan."""

    type: Literal["demand"]
    categories: Categories | None = None
    agencies: list[str] | None = None
    percent: Percent


Change = Annotated[
    BudgetChange
    | CapacityChange
    | AddSuppliers
    | RemoveSuppliers
    | PriceChange
    | CertificateRuleChange
    | PolicyChange
    | DemandChange,
    Field(discriminator="type"),
]

CHANGE_TYPES: tuple[str, ...] = (
    "budget",
    "capacity",
    "add_suppliers",
    "remove_suppliers",
    "price",
    "certificate_rule",
    "policy",
    "demand",
)


class SolveSpec(_Strict):
    time_limit: Annotated[float, Field(gt=0, le=3600)] = 10.0
    solver: Literal["auto", "cpsat", "highs", "mathopt", "greedy"] = "auto"


class Scenario(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: str = ""
    base: BaseSpec = Field(default_factory=BaseSpec)
    solve: SolveSpec = Field(default_factory=SolveSpec)
    changes: list[Change] = Field(default_factory=list)
