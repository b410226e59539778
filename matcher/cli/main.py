"""Entry point of the ``matcher`` console script: imports every command module."""

from __future__ import annotations

import importlib

from matcher.cli.app import app

# Each module registers its commands on ``app`` when imported.
COMMAND_MODULES = (
    "matcher.cli.admin",
    "matcher.cli.catalog",
    "matcher.cli.classify",
    "matcher.cli.demo",
    "matcher.cli.needs",
    "matcher.cli.ops",
    "matcher.cli.plan",
    "matcher.cli.report",
    "matcher.cli.scenario",
    "matcher.cli.shortlist",
    "matcher.cli.solve",
)


def _load_commands() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    _load_commands()
    app()


if __name__ == "__main__":
    main()
