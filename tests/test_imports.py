"""Every package imports on its own, in any order (no import cycles)."""

from __future__ import annotations

import subprocess
import sys

import pytest

# The modules at the two ends of the models <-> audit <-> auth chain, and the two entry
# points that import everything else.
FIRST_IMPORTS = [
    "matcher.auth.principal",
    "matcher.audit",
    "matcher.models",
    "api.main",
    "matcher.cli.main",
]


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
