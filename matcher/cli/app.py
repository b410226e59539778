"""The Typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="matcher",
    help="Pasar sistemik matcher: katalog UMKM terverifikasi dan alokasi belanja daerah.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print an error to stderr and return the Exit to raise: ``raise fail("...")``."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)
