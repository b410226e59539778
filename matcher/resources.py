"""Paths of files shipped inside the package (taxonomy, classifier artefact, migrations).

Resolved from this module's location, which works for regular and editable installs alike
(``importlib.resources`` misreads the editable install's finder as a namespace package)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def package_path(*parts: str) -> Path:
    return PACKAGE_DIR.joinpath(*parts)


def data_path(*parts: str) -> Path:
    return DATA_DIR.joinpath(*parts)
