"""Planner (and viewer) pages: every planning round with its figures, and the stored what-if
scenario runs with their charts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from markupsafe import Markup
from matplotlib.figure import Figure
from sqlalchemy import func, select

from api.deps import SessionDep
from matcher.auth.principal import Principal
from matcher.errors import MatcherError
from matcher.models import Plan, PlanStatus, Role
from matcher.scenarios import service as scenarios
from matcher.scenarios.charts import comparison_figure, sweep_figure
from matcher.scenarios.charts import render as render_chart
from web.auth import CsrfForm, ReaderPage, roles
from web.forms import text
from web.pages import paginate
from web.templating import redirect, render

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


ScenarioRunnerPage = Annotated[Principal, roles(Role.ADMIN, Role.PLANNER)]


@router.get("/perencana/skenario")
def scenario_list(request: Request, session: SessionDep, principal: ReaderPage) -> Response:
    """Stored what-if runs and, for planners and the tim pengelola, the shipped examples."""
    return render(
        request,
        "planner/scenarios.html",
        {
            "runs": scenarios.list_runs(session),
            "examples": scenarios.examples(),
            "can_run": principal.role in (Role.ADMIN, Role.PLANNER),
        },
        principal=principal,
        title="Skenario what-if",
    )


@router.post("/perencana/skenario")
def scenario_start(
    session: SessionDep,
    principal: ScenarioRunnerPage,
    form: CsrfForm,
    background: BackgroundTasks,
) -> Response:
    example = text(form, "example")
    try:
        run = scenarios.create_run(
            session, principal.user_id, scenarios.RunRequest(example=example)
        )
    except MatcherError as error:
        session.rollback()
        return redirect("/perencana/skenario", f"Skenario tidak dapat dijalankan: {error.detail}")
    # Runs once this request's transaction has committed (see api/scenarios).
    background.add_task(scenarios.get_runner().submit, run.id)
    return redirect(f"/perencana/skenario/{run.id}", "Skenario dijalankan.")


@router.get("/perencana/skenario/{run_id}")
def scenario_detail(
    request: Request, session: SessionDep, principal: ReaderPage, run_id: int
) -> Response:
    run = scenarios.get_run(session, run_id)
    chart: Markup | None = None
    if run.status == "done":
        figure = (
            sweep_figure(run.sweep_points)
            if run.kind == "sweep"
            else comparison_figure(run.summary)
        )
        chart = Markup(chart_svg(figure))
    return render(
        request,
        "planner/scenario.html",
        {"run": run, "summary": run.summary or {}, "chart": chart},
        principal=principal,
        title=f"Skenario {run.name}",
    )


def chart_svg(figure: Figure) -> str:
    """A matplotlib figure as inline SVG (without the XML prologue)."""
    svg = render_chart(figure, "svg").decode("utf-8")
    return svg[svg.index("<svg") :]
