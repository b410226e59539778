"""Operations commands: database migrations, users, serving the app."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from matcher.cli.app import app, fail

db_app = typer.Typer(help="Basis data: migrasi skema.", no_args_is_help=True)
user_app = typer.Typer(help="Pengguna: tambah akun.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
) -> None:
    """Create or upgrade the database schema (Alembic)."""
    from matcher.config import get_settings
    from matcher.migrations import upgrade

    upgrade(revision=revision)
    typer.echo(f"Skema basis data mutakhir ({revision}): {get_settings().database_url}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision")]) -> None:
    """Downgrade the schema to REVISION (``base`` drops everything)."""
    from matcher.migrations import downgrade

    downgrade(revision=revision)
    typer.echo(f"Skema diturunkan ke {revision}")


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="E-mail (login)")],
    role: Annotated[str, typer.Option(help="admin, officer, supplier, planner or viewer")],
    agency: Annotated[str | None, typer.Option(help="Agency id or code (officer)")] = None,
    supplier: Annotated[str | None, typer.Option(help="Supplier id or code (supplier)")] = None,
    full_name: Annotated[str, typer.Option(help="Full name")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Create a user account."""
    from matcher.db import unit_of_work
    from matcher.errors import MatcherError
    from matcher.users.service import create_user_by_reference

    if not password_stdin:
        raise fail("kata sandi dibaca dari stdin: pakai --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        with unit_of_work() as session:
            user = create_user_by_reference(
                session,
                email=email,
                role=role,
                password=password,
                agency=agency,
                supplier=supplier,
                full_name=full_name,
            )
            typer.echo(f"Pengguna {user.email} ({user.role.value}) dibuat, id {user.id}")
    except MatcherError as error:
        details = "; ".join(f"{'.'.join(map(str, e.loc))}: {e.message}" for e in error.errors)
        raise fail(error.detail + (f" ({details})" if details else "")) from None


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Serve the web application and API with uvicorn."""
    import uvicorn

    typer.echo(f"matcher berjalan di http://{host}:{port}  (API: http://{host}:{port}/api/docs)")
    uvicorn.run("api.main:app", host=host, port=port, workers=workers, proxy_headers=True)
