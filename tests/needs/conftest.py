from __future__ import annotations

from tests.cli.conftest import cli_database

__all__ = ["cli_database"]
