"""/api/v1/dashboard: the Dinas dashboard of realised local spending for a period.

Admin, planners and viewers see every agency (or one with ``agency_id``); an officer sees
only its own agency (another ``agency_id`` is 404); supplier users are refused (403). The
body is :class:`matcher.dashboard.service.Dashboard` as JSON, figures unrounded (see that
module for every definition). Computed dashboards and their JSON are cached per period,
scope, day and data stamp (:mod:`matcher.dashboard.cache`): any change to the data behind
them is seen by the next request."""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import CurrentPrincipal, SessionDep
from api.problems import responses
from matcher.auth.principal import Principal
from matcher.clock import today
from matcher.dashboard.cache import DASHBOARDS
from matcher.dashboard.service import Dashboard, Period
from matcher.errors import Forbidden, NotFound
from matcher.models import Agency, Role

router = APIRouter(prefix="/dashboard", tags=["Dasbor belanja lokal (dashboard)"])


def scoped_agency(session: SessionDep, principal: Principal, agency_id: int | None) -> int | None:
    """The agency a principal's dashboard is about: officers their own, others any."""
    if principal.role == Role.OFFICER:
        if agency_id is not None and agency_id != principal.agency_id:
            raise NotFound(f"Perangkat daerah {agency_id} tidak ditemukan")
        return principal.agency_id
    if principal.role not in (Role.ADMIN, Role.PLANNER, Role.VIEWER):
        raise Forbidden("Dasbor hanya untuk perangkat daerah, Dinas dan pengamat")
    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise NotFound(f"Perangkat daerah {agency_id} tidak ditemukan")
    return agency_id


def default_period(start: date | None, end: date | None) -> Period:
    """Missing ends: from 1 January of the year of ``end`` (or today) to today."""
    end = end or today()
    return Period(start or date(end.year, 1, 1), end)


@router.get("", response_model=Dashboard, responses=responses(401, 403, 404, 422))
def get_dashboard(
    session: SessionDep,
    principal: CurrentPrincipal,
    start: Annotated[date | None, Query(description="Awal periode (YYYY-MM-DD)")] = None,
    end: Annotated[date | None, Query(description="Akhir periode, termasuk (YYYY-MM-DD)")] = None,
    agency_id: Annotated[int | None, Query(ge=1, description="Satu perangkat daerah")] = None,
) -> Response:
    """Realised spending (approved, accepted, delivered, paid and closed orders approved in
    the period) against the 40% UMK target, by agency, category, kecamatan, size class and
    month; concentration; unmet demand; expiring certificates; payment speed; integrity
    flags. Without dates: this year to date."""
    scope = scoped_agency(session, principal, agency_id)
    day = today()
    period = default_period(start, end or day)
    started = time.perf_counter()
    cached, outcome = DASHBOARDS.lookup(session, period, agency_id=scope, today=day)
    elapsed = (time.perf_counter() - started) * 1000
    # How the cache answered and how long that took, for operators and the load test.
    timing = f'dashboard;desc="{outcome}";dur={elapsed:.1f}'
    return Response(
        content=cached.json, media_type="application/json", headers={"Server-Timing": timing}
    )
