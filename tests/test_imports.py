"""Every package imports on its own, in any order (no import cycles)."""

from __future__ import annotations

import subprocess
import sys

import pytest

FIRST_IMPORTS = [
    "matcher.auth.principal",
    "matcher.audit",
    "matcher.models",
    "matcher.auth.service",
    "matcher.catalog.importer",
    "matcher.orders.service",
    "matcher.planning.service",
    "matcher.shortlist.service",
    "api.main",
    "matcher.cli.main",
]


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
