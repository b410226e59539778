"""/api/v1/reports: the six-monthly report of the Kepala Dinas to the Walikota, as XLSX or
PDF, for admin, planners and viewers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import SessionDep, require_roles
from api.problems import responses
from matcher.auth.principal import Principal
from matcher.models import Role
from matcher.reports.semester import filename, render, semester_report

router = APIRouter(prefix="/reports", tags=["Laporan (reports)"])

ReportReader = Annotated[Principal, Depends(require_roles(Role.ADMIN, Role.PLANNER, Role.VIEWER))]


@router.get(
    "/semester",
    response_class=Response,
    responses={
        200: {
            "description": "Laporan semester",
            "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                "application/pdf": {},
            },
        },
        **responses(401, 403, 422),
    },
)
def semester(
    session: SessionDep,
    _principal: ReportReader,
    year: Annotated[int, Query(ge=2000, le=2100, description="Tahun")],
    half: Annotated[int, Query(ge=1, le=2, description="Semester: 1 (Jan-Jun) atau 2 (Jul-Des)")],
    format: Annotated[Literal["xlsx", "pdf"], Query(description="xlsx atau pdf")] = "xlsx",
) -> Response:
    """The report of semester ``half`` of ``year``, as a download."""
    report = semester_report(session, year, half)
    content, media_type = render(report, format)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename(report, format)}"'},
    )
