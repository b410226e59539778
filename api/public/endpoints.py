"""/api/v1/public: headline figures of local spending for everyone (no login)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SessionDep
from api.problems import responses
from matcher.clock import today
from matcher.dashboard.cache import DASHBOARDS
from matcher.dashboard.service import MonthRow, Period

router = APIRouter(prefix="/public", tags=["Publik (public)"])


@dataclass(frozen=True)
class PublicCategory:
    category: str
    label: str
    spend: int
    umk_share: float
    local_share: float


@dataclass(frozen=True)
class PublicSummary:
    year: int
    start: str
    end: str
    total_spend: int
    umk_spend: int
    umk_share: float
    local_spend: int
    local_share: float
    local_umk_share: float
    target_share: float
    meets_target: bool
    orders: int
    distinct_suppliers: int
    distinct_umk_suppliers: int
    monthly: list[MonthRow]
    by_category: list[PublicCategory]
    ocds_url: str


@router.get("/summary", response_model=PublicSummary, responses=responses(422))
def summary(
    session: SessionDep,
    year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Tahun; kosong: tahun ini")
    ] = None,
) -> PublicSummary:
    """The year's realised spending and its shares going to micro/small enterprises and
    koperasi and to local suppliers, against the 40% target, per month and category (the
    current year up to today); no figures about single orders or agencies' budgets."""
    day = today()
    year = year or day.year
    period = Period.year(year)
    if year == day.year:
        period = Period(period.start, max(period.start, day))
    d = DASHBOARDS.get(session, period, agency_id=None, today=day).dashboard
    return PublicSummary(
        year=year,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        total_spend=d.total_spend,
        umk_spend=d.umk_spend,
        umk_share=d.umk_share,
        local_spend=d.local_spend,
        local_share=d.local_share,
        local_umk_share=d.local_umk_share,
        target_share=d.target_share,
        meets_target=d.meets_target,
        orders=d.orders,
        distinct_suppliers=d.distinct_suppliers,
        distinct_umk_suppliers=d.distinct_umk_suppliers,
        monthly=d.monthly,
        by_category=[
            PublicCategory(r.key, r.label, r.spend, r.umk_share, r.local_share)
            for r in d.by_category
        ],
        ocds_url=f"/api/v1/opendata/ocds?start={period.start.isoformat()}&end={period.end.isoformat()}",
    )
