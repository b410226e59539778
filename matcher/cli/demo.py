"""``matcher demo``: load the Kota Batu demo data, print the demo logins, export an instance."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.app import app, fail
from matcher.demo.data import DEFAULT_SEED


@app.command("demo")
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the generator (same seed, same data)")] = (
        DEFAULT_SEED
    ),
    if_empty: Annotated[
        bool,
        typer.Option("--if-empty", help="Load only when the database is empty; else do nothing"),
    ] = False,
    print_logins: Annotated[
        bool, typer.Option("--print-logins", help="Print the demo accounts and their password")
    ] = False,
    instance_out: Annotated[
        Path | None,
        typer.Option(
            "--instance-out",
            help="Write the dataset as an instance folder (suppliers/offers/agencies/needs CSV,"
            " policy.json) instead of loading it",
            file_okay=False,
        ),
    ] = None,
    url: Annotated[str, typer.Option(help="Address shown with --print-logins")] = (
        "http://127.0.0.1:8000"
    ),
    history: Annotated[
        bool,
        typer.Option(help="Also load past orders (January to yesterday) for the dashboard"),
    ] = True,
) -> None:
    """Deterministic Kota Batu demo data: 24 Koperasi Merah Putih, some 300 UMKM and other
    suppliers, 31 perangkat daerah with budgets, needs and demo users for every role.

    Without options it loads into an empty database (exit 2 when it holds data)."""
    from matcher.demo.generate import generate

    load = if_empty or not (print_logins or instance_out is not None)
    if instance_out is not None:
        from matcher.demo.instance import write_instance

        written = write_instance(generate(seed), instance_out)
        listing = ", ".join(f"{name}: {rows}" for name, rows in written.items())
        typer.echo(f"Instans demo (seed {seed}) ditulis ke {instance_out} ({listing})")
    if load:
        _load(seed, if_empty=if_empty, history=history)
    if print_logins:
        _print_logins(url)


def _load(seed: int, *, if_empty: bool, history: bool = True) -> None:
    import time

    from sqlalchemy.exc import OperationalError, ProgrammingError

    from matcher.db import unit_of_work
    from matcher.demo.generate import generate
    from matcher.demo.load import DemoDataExists, load_dataset

    started = time.perf_counter()
    try:
        with unit_of_work() as session:
            dataset = generate(seed)
            summary = load_dataset(session, dataset)
            if history:
                from matcher.demo.history import generate_history

                generate_history(session, today=dataset.today, seed=seed)
    except DemoDataExists as error:
        if if_empty:
            typer.echo(f"{error.detail}. Data demo tidak dimuat.")
            return
        raise fail(
            f"{error.detail}. Tidak ada yang dimuat; pakai --if-empty untuk melewati,"
            " atau basis data baru (MATCHER_DATABASE_URL)."
        ) from None
    except (OperationalError, ProgrammingError) as error:
        raise fail(
            f"basis data belum siap ({error.orig}); jalankan dulu: matcher db upgrade"
        ) from None
    typer.echo(
        f"Data demo Kota Batu dimuat (seed {seed}, {time.perf_counter() - started:.1f} s): "
        f"{summary.agencies} perangkat daerah, {summary.suppliers} penyedia, "
        f"{summary.offers} penawaran, {summary.certificates} sertifikat, "
        f"{summary.needs} kebutuhan, {summary.users} pengguna demo."
    )


def _print_logins(url: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError, ProgrammingError
    from sqlalchemy.orm import selectinload

    from matcher.db import unit_of_work
    from matcher.demo.data import DEMO_PASSWORD, DEMO_USERS
    from matcher.models import User

    emails = [u.email for u in DEMO_USERS]
    try:
        with unit_of_work() as session:
            found = {
                user.email: user
                for user in session.scalars(
                    select(User)
                    .where(User.email.in_(emails))
                    .options(selectinload(User.agency), selectinload(User.supplier))
                )
            }
    except (OperationalError, ProgrammingError) as error:
        raise fail(
            f"basis data belum siap ({error.orig}); jalankan dulu: matcher db upgrade"
        ) from None
    console = Console()
    if console.width < 150:
        console = Console(width=150)
    if not found:
        console.print(
            "Akun demo tidak ada di basis data ini (data demo belum dimuat: matcher demo)."
        )
        return
    table = Table(title="Akun demo (kata sandi demo publik; jangan dipakai di produksi)")
    for column in ("E-mail", "Peran", "Terikat pada", "Kata sandi"):
        table.add_column(column, no_wrap=True)
    for email in emails:
        user = found.get(email)
        if user is None:
            continue
        if user.agency is not None:
            bound = f"{user.agency.code} {user.agency.name}"
        elif user.supplier is not None:
            bound = f"{user.supplier.code} {user.supplier.name}"
        else:
            bound = "-"
        table.add_row(user.email, user.role.value, bound, DEMO_PASSWORD)
    console.print(f"Buka {url}  (API: {url}/api/docs)")
    console.print(table)
