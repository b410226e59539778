"""``matcher plan``: run a planning round on the database with a progress bar, show plans,
export a plan's input as a spec instance folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from matcher.cli.app import app, fail

plan_app = typer.Typer(
    help="Rencana pengadaan: optimasi atas kebutuhan yang diajukan.", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")


def _rupiah(value: int | None) -> str:
    from matcher.money import format_rupiah

    return "-" if value is None else format_rupiah(value)


def _summary(plan: Any) -> dict[str, Any]:
    return {
        "id": plan.id,
        "name": plan.name,
        "status": plan.status.value,
        "agency_id": plan.agency_id,
        "needs": len(plan.need_ids),
        "total_value": plan.total_value,
        "unmet_value": plan.unmet_value,
        "priority_value": plan.priority_value,
        "cost": plan.cost,
        "eligible_pairs": plan.eligible_pairs,
        "stages": plan.stages,
        "lines": len(plan.lines),
        "error": plan.error,
    }


def _print_plan(summary: dict[str, Any]) -> None:
    console = Console()
    console.print(f"Rencana {summary['id']} ({summary['name']}): [bold]{summary['status']}[/bold]")
    if summary["error"]:
        console.print(f"[red]{summary['error']}[/red]")
        return
    figures = Table("Ukuran", "Nilai")
    figures.add_row("Kebutuhan", str(summary["needs"]))
    figures.add_row("Nilai kebutuhan (HPS)", _rupiah(summary["total_value"]))
    figures.add_row("Tidak terpenuhi", _rupiah(summary["unmet_value"]))
    figures.add_row("Ke UMK/koperasi lokal (HPS)", _rupiah(summary["priority_value"]))
    figures.add_row("Biaya", _rupiah(summary["cost"]))
    figures.add_row("Baris alokasi", str(summary["lines"]))
    console.print(figures)
    stages = Table("Tahap", "Status", "Nilai", "Batas", "Gap", "Detik", "Solver")
    for s in summary["stages"]:
        gap = "-" if s["gap"] is None else f"{s['gap'] * 100:.2f}%"
        stages.add_row(
            s["name"],
            s["status"],
            _rupiah(s["value"]),
            _rupiah(s["bound"]),
            gap,
            f"{s['seconds']:.1f}",
            s["solver"],
        )
    console.print(stages)


@plan_app.command("run")
def plan_run(
    agency: Annotated[
        str | None, typer.Option(help="Agency id or code; omitted: all agencies")
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds for the whole solve")] = 30.0,
    solver: Annotated[str, typer.Option(help="auto, cpsat, highs, mathopt or greedy")] = "auto",
    k: Annotated[int, typer.Option("--k", help="At most k suppliers per need")] = 3,
    cap: Annotated[int | None, typer.Option(help="Rupiah cap per supplier")] = None,
    name: Annotated[str, typer.Option(help="Plan name")] = "Rencana pengadaan",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Plan every submitted need (of one agency, or all) on the current catalogue."""
    from pydantic import ValidationError

    from matcher.auth.principal import Principal
    from matcher.clock import today
    from matcher.db import unit_of_work
    from matcher.errors import MatcherError
    from matcher.models import Plan
    from matcher.planning.schemas import PlanCreate
    from matcher.planning.service import create_plan, execute_plan, set_progress
    from matcher.users.service import resolve_agency_id

    try:
        with unit_of_work() as session:
            data = PlanCreate(
                name=name,
                agency_id=resolve_agency_id(session, agency) if agency else None,
                time_limit_seconds=time_limit,
                solver=solver,
                max_suppliers_per_need=k,
                max_supplier_value=cap,
            )
            plan_id = create_plan(session, Principal.system(), data, today=today()).id
    except ValidationError as error:
        first = error.errors()[0]
        raise fail(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    except MatcherError as error:
        raise fail(error.detail) from None

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        disable=as_json,
        transient=True,
    ) as bar:
        task = bar.add_task("menyiapkan", total=1.0)

        def report(pid: int, fraction: float, message: str) -> None:
            set_progress(pid, fraction, message)
            bar.update(task, completed=fraction, description=message)

        try:
            execute_plan(plan_id, progress=report)
        except Exception as error:  # recorded on the plan as failed
            bar.stop()
            raise fail(f"perencanaan gagal: {error}") from None
    with unit_of_work() as session:
        summary = _summary(session.get_one(Plan, plan_id))
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        _print_plan(summary)


@plan_app.command("show")
def plan_show(
    plan_id: Annotated[int, typer.Argument(help="Plan id")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Show a plan's status and figures."""
    from matcher.db import unit_of_work
    from matcher.models import Plan

    with unit_of_work() as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise fail(f"rencana {plan_id} tidak ditemukan")
        summary = _summary(plan)
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        _print_plan(summary)


@plan_app.command("instance")
def plan_instance(
    plan_id: Annotated[int, typer.Argument(help="Plan id")],
    out: Annotated[Path, typer.Argument(help="Folder to write (spec format)")],
) -> None:
    """Write the plan's input (its needs on today's catalogue) as a spec instance folder, so
    ``matcher solve`` can reproduce it."""
    from matcher.db import unit_of_work
    from matcher.models import Plan
    from matcher.optimizer.io import write_instance
    from matcher.planning.service import instance_of

    with unit_of_work() as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise fail(f"rencana {plan_id} tidak ditemukan")
        write_instance(instance_of(session, plan).instance, out)
    typer.echo(f"Instance rencana {plan_id} ditulis ke {out}")
