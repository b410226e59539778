"""Planner (and viewer) landing page: every planning round with its figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, select

from api.deps import SessionDep
from matcher.models import Plan, PlanStatus
from web.auth import ReaderPage
from web.pages import paginate
from web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/perencana")
def planner_home(
    request: Request,
    session: SessionDep,
    principal: ReaderPage,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    result = paginate(session, select(Plan).order_by(Plan.id.desc()), page)
    completed, total, unmet, priority, cost = session.execute(
        select(
            func.count(Plan.id),
            func.coalesce(func.sum(Plan.total_value), 0),
            func.coalesce(func.sum(Plan.unmet_value), 0),
            func.coalesce(func.sum(Plan.priority_value), 0),
            func.coalesce(func.sum(Plan.cost), 0),
        ).where(Plan.status == PlanStatus.COMPLETED)
    ).one()
    by_status = dict(
        session.execute(select(Plan.status, func.count(Plan.id)).group_by(Plan.status)).all()
    )
    return render(
        request,
        "planner/home.html",
        {
            "result": result,
            "base": "/perencana?",
            "summary": {
                "completed": int(completed or 0),
                "total": int(total or 0),
                "unmet": int(unmet or 0),
                "priority": int(priority or 0),
                "cost": int(cost or 0),
                "share": (int(priority or 0) / int(total)) if total else None,
            },
            "by_status": {s.value: int(n) for s, n in by_status.items()},
        },
        principal=principal,
        title="Perencanaan",
    )
