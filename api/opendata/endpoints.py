"""/api/v1/opendata: the period's orders as an OCDS 1.1 release package; no login needed."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.deps import SessionDep
from api.problems import responses
from matcher.dashboard.service import Period
from matcher.opendata.ocds import filename, release_package

router = APIRouter(prefix="/opendata", tags=["Data terbuka (open data)"])


@router.get(
    "/ocds",
    response_class=JSONResponse,
    responses={
        200: {
            "description": "Paket rilis OCDS 1.1",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        **responses(422),
    },
)
def ocds(
    session: SessionDep,
    start: Annotated[date, Query(description="Awal periode (YYYY-MM-DD)")],
    end: Annotated[date, Query(description="Akhir periode, termasuk (YYYY-MM-DD)")],
) -> JSONResponse:
    """Realised orders approved in the period as an Open Contracting Data Standard 1.1
    release package (tender, award, contract with items; parties with roles and
    ``details.scale``), downloadable as a file."""
    period = Period(start, end)
    package: dict[str, Any] = release_package(session, period)
    return JSONResponse(
        package,
        headers={"Content-Disposition": f'attachment; filename="{filename(period)}"'},
    )
