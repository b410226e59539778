"""``matcher scenario``: what-if scenarios (run, compare, sweep, sensitivity).

A bad scenario file prints one line per problem (``file:line:col: field: message``) and
exits with status 2. Scenarios on the database base read the configured database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from matcher.cli.app import app, fail

scenario_app = typer.Typer(
    help="Skenario what-if: perubahan anggaran, pasokan dan kebijakan, dibandingkan.",
    no_args_is_help=True,
)
app.add_typer(scenario_app, name="scenario")

T = TypeVar("T")


def _rp(value: float | int | None) -> str:
    from matcher.money import format_rupiah

    return "-" if value is None else format_rupiah(int(value))


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _signed_rp(value: float | int) -> str:
    return ("+" if value > 0 else "") + _rp(value)


@contextmanager
def _session_if_needed(scenarios: list[Any]) -> Iterator[Any]:
    if any(s.base.source == "database" for s in scenarios):
        from matcher.db import unit_of_work

        with unit_of_work() as session:
            yield session
    else:
        yield None


def _guard(work: Callable[[], T]) -> T:
    from matcher.errors import MatcherError, RowErrors
    from matcher.scenarios.loader import ScenarioFileError

    try:
        return work()
    except ScenarioFileError as exc:
        raise fail("\n".join(exc.lines())) from exc
    except RowErrors as exc:
        raise fail(str(exc)) from exc
    except MatcherError as exc:
        raise fail(exc.detail) from exc


def _load(path: Path) -> Any:
    from matcher.scenarios.loader import load_scenario

    return _guard(lambda: load_scenario(path))


def _print_result(console: Console, result: dict[str, Any]) -> None:
    base, new, diff = result["base"], result["scenario"], result["diff"]
    console.print(f"[bold]Skenario: {result['name']}[/bold] — status {result['status']}")
    if result["message"]:
        console.print(f"[red]{result['message']}[/red]")
    table = Table("Ukuran", "Dasar", "Skenario", "Selisih")
    for label, key, fmt in (
        ("Nilai kebutuhan (HPS)", "demand_value", _rp),
        ("Tidak terpenuhi", "unmet_value", _rp),
        ("Ke UMK/koperasi lokal (HPS)", "priority_value", _rp),
        ("Pangsa UMK/koperasi (dari kebutuhan)", "priority_share", _pct),
        ("Biaya", "cost", _rp),
        ("Pangsa belanja UMK/koperasi", "umk_spend_share", _pct),
        ("UMKM/koperasi berbeda", "distinct_umkm", str),
        ("Pemasok berbeda", "distinct_suppliers", str),
    ):
        delta = diff[key]
        shown = ("+" if delta > 0 else "") + fmt(delta) if fmt is not _rp else _signed_rp(delta)
        table.add_row(label, fmt(base[key]), fmt(new[key]), shown)
    console.print(table)
    cats = Table(
        "Kategori", "Δ tidak terpenuhi", "Δ biaya", "Δ ke UMK/koperasi", title="Per kategori"
    )
    for code, row in result["by_category"].items():
        if any(row.get(k, 0) for k in ("unmet", "cost", "priority")):
            cats.add_row(
                code, _signed_rp(row["unmet"]), _signed_rp(row["cost"]), _signed_rp(row["priority"])
            )
    if cats.row_count:
        console.print(cats)
    ags = Table("Instansi", "Δ anggaran", "Δ tidak terpenuhi", "Δ biaya", title="Per instansi")
    for code, row in result["by_agency"].items():
        if any(row.get(k, 0) for k in ("budget", "unmet", "cost")):
            ags.add_row(
                code, _signed_rp(row["budget"]), _signed_rp(row["unmet"]), _signed_rp(row["cost"])
            )
    if ags.row_count:
        console.print(ags)
    for title, rows in (
        ("Pemasok yang naik", result["winners"]),
        ("Pemasok yang turun", result["losers"]),
    ):
        if rows:
            t = Table("Pemasok", "Dasar", "Skenario", "Selisih", title=title)
            for r in rows:
                t.add_row(
                    r["supplier_id"], _rp(r["base"]), _rp(r["scenario"]), _signed_rp(r["change"])
                )
            console.print(t)
    if result["binding_new"]:
        t = Table(
            "Jenis", "Kunci", "Terpakai", "Batas", "Harga bayangan", title="Batasan baru mengikat"
        )
        for b in result["binding_new"]:
            price = "-" if b["shadow_price"] is None else f"{b['shadow_price']:.3f}"
            t.add_row(b["family"], b["key"], str(b["used"]), str(b["limit"]), price)
        console.print(t)
    if result["binding_released"]:
        keys = ", ".join(f"{b['family']}:{b['key']}" for b in result["binding_released"])
        console.print(f"Tidak lagi mengikat: {keys}")
    console.print(f"Waktu: {result['seconds']:.1f} detik")


@scenario_app.command("run")
def run_command(
    file: Annotated[Path, typer.Argument(help="Berkas skenario YAML.")],
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Batas waktu per penyelesaian (detik).")
    ] = None,
) -> None:
    """Selesaikan data dasar dan skenario, tampilkan perbedaannya."""
    from matcher.scenarios.runner import run_scenario

    scenario = _load(file)

    def work() -> dict[str, Any]:
        with _session_if_needed([scenario]) as session:
            result = run_scenario(
                scenario, scenario_dir=file.parent, session=session, time_limit=time_limit
            )
        return result.to_json()

    result = _guard(work)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    _print_result(Console(), result)


@scenario_app.command("compare")
def compare_command(
    files: Annotated[list[Path], typer.Argument(help="Dua berkas skenario atau lebih.")],
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Batas waktu per penyelesaian (detik).")
    ] = None,
) -> None:
    """Beberapa skenario berdampingan (data dasar yang sama diselesaikan sekali)."""
    from matcher.scenarios.compare import compare_scenarios

    scenarios = [(_load(f), f.parent) for f in files]

    def work() -> dict[str, Any]:
        with _session_if_needed([s for s, _ in scenarios]) as session:
            return compare_scenarios(scenarios, session=session, time_limit=time_limit)

    table_json = _guard(work)
    if as_json:
        typer.echo(json.dumps(table_json, indent=2, ensure_ascii=False))
        return
    console = Console()
    columns = table_json["columns"]
    table = Table("Ukuran", *[c["name"] for c in columns], title="Perbandingan skenario")
    table.add_row("Status", *[c["status"] for c in columns])
    for label, key, fmt in (
        ("Tidak terpenuhi", "unmet_value", _rp),
        ("Ke UMK/koperasi lokal (HPS)", "priority_value", _rp),
        ("Pangsa UMK/koperasi", "priority_share", _pct),
        ("Biaya", "cost", _rp),
        ("Pangsa belanja UMK/koperasi", "umk_spend_share", _pct),
        ("UMKM/koperasi berbeda", "distinct_umkm", str),
    ):
        table.add_row(label, *[fmt(c["metrics"][key]) for c in columns])
    console.print(table)
    for c in columns:
        if c["message"]:
            console.print(f"[red]{c['name']}: {c['message']}[/red]")


def _scenario_instance(file: Path, scenario: Any) -> Any:
    from matcher.scenarios.changes import apply_changes
    from matcher.scenarios.runner import load_base

    with _session_if_needed([scenario]) as session:
        base = load_base(scenario, scenario_dir=file.parent, session=session)
    return base, apply_changes(base, scenario.changes)


@scenario_app.command("sweep")
def sweep_command(
    file: Annotated[Path, typer.Argument(help="Berkas skenario YAML.")],
    param: Annotated[
        str, typer.Option("--param", help="min_local_share, budget_percent atau price_percent.")
    ] = "min_local_share",
    start: Annotated[float, typer.Option("--from", help="Nilai awal.")] = 0.0,
    stop: Annotated[float, typer.Option("--to", help="Nilai akhir.")] = 1.0,
    steps: Annotated[int, typer.Option("--steps", min=1, max=201, help="Jumlah titik.")] = 11,
    executor: Annotated[
        str, typer.Option("--executor", help="local (proses lokal), serial atau dask.")
    ] = "local",
    address: Annotated[
        str | None, typer.Option("--address", help="Alamat scheduler Dask (tcp://...).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Proses lokal.")] = 2,
    out: Annotated[
        Path | None, typer.Option("--out", help="Grafik: .png, .svg atau .html.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Batas waktu per titik (detik).")
    ] = 5.0,
) -> None:
    """Kurva trade-off (harga kelokalan): biaya dan kebutuhan tak terpenuhi per nilai."""
    from matcher.executors import make_executor
    from matcher.scenarios.charts import render, sweep_figure, sweep_html
    from matcher.scenarios.sweep import PARAMETERS, grid, sweep

    if param not in PARAMETERS:
        raise fail(f"--param tidak dikenal: {param} (pilih {', '.join(PARAMETERS)})")
    if executor == "dask" and not address:
        raise fail("--executor dask membutuhkan --address")
    if out is not None and out.suffix.lower() not in (".png", ".svg", ".html"):
        raise fail("--out harus berakhiran .png, .svg atau .html")
    scenario = _load(file)
    _, instance = _guard(lambda: _scenario_instance(file, scenario))
    runner = make_executor(executor, address, workers)
    try:
        result = sweep(
            instance, param, grid(start, stop, steps), executor=runner, time_limit=time_limit
        ).to_json()
    finally:
        runner.close()
    if out is not None:
        suffix = out.suffix.lower()
        if suffix == ".html":
            out.write_text(sweep_html(result), encoding="utf-8")
        else:
            out.write_bytes(render(sweep_figure(result), suffix[1:]))
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    console = Console()
    ref = result["reference"]
    console.print(
        f"[bold]Sapuan {param}[/bold] ({len(result['points'])} titik, {result['executor']}, "
        f"{result['seconds']:.1f} detik). Tanpa target: pangsa {_pct(ref['share'])}, "
        f"biaya {_rp(ref['cost'])}, tidak terpenuhi {_rp(ref['unmet_value'])}"
    )
    kinds = {
        "ok": "tercapai",
        "unmet_rises": "tercapai, kebutuhan tak terpenuhi naik",
        "infeasible": "target tidak dapat dicapai",
        "unknown": "tidak diketahui (waktu habis)",
    }
    table = Table("Nilai", "Status", "Pangsa tercapai", "Biaya", "Tidak terpenuhi", "Detik")
    for i, p in enumerate(result["points"]):
        mark = " ← lutut" if result["knee"] == i else ""
        table.add_row(
            f"{p['value']:g}",
            kinds.get(p["kind"], p["kind"]) + mark,
            _pct(p["share"]),
            _rp(p["cost"]),
            _rp(p["unmet_value"]),
            f"{p['seconds']:.1f}",
        )
    console.print(table)
    if out is not None:
        console.print(f"Grafik: {out}")


@scenario_app.command("sensitivity")
def sensitivity_command(
    file: Annotated[Path, typer.Argument(help="Berkas skenario YAML.")],
    top: Annotated[int, typer.Option("--top", min=1, help="Jumlah tuas teratas.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Batas waktu (detik).")
    ] = None,
) -> None:
    """Anggaran, batas dan kapasitas yang paling mengurangi kebutuhan tak terpenuhi."""
    from matcher.optimizer import solve
    from matcher.scenarios.runner import options_for
    from matcher.scenarios.sensitivity import levers

    scenario = _load(file)
    _, instance = _guard(lambda: _scenario_instance(file, scenario))
    allocation = solve(instance, options_for(scenario, time_limit))
    found = levers(instance, allocation, top)
    if as_json:
        payload = {"unmet_value": allocation.unmet_value, "levers": [x.to_json() for x in found]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    console = Console()
    console.print(f"[bold]{scenario.name}[/bold]: tidak terpenuhi {_rp(allocation.unmet_value)}")
    if not found:
        console.print(
            "Tidak ada anggaran, batas atau kapasitas yang mengikat dengan harga "
            "bayangan positif: menambahnya tidak mengurangi kebutuhan tak terpenuhi."
        )
        return
    table = Table("#", "Tuas", "Per Rp/unit", "Perkiraan per langkah")
    for i, lever in enumerate(found, 1):
        table.add_row(str(i), lever.label, f"{lever.per_unit:.4g}", _rp(lever.estimate))
    console.print(table)
    for i, lever in enumerate(found, 1):
        console.print(f"{i}. {lever.text}")
