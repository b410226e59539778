"""The hand-written held-out evaluation set, ``matcher/data/classifier/heldout.csv``.

It holds realistic descriptions (SIRUP package names, officer messages, Javanese product
words, typos) written separately from the corpus templates. It is used only to measure
the model, never to fit it."""

from __future__ import annotations

import csv
from pathlib import Path

from matcher.catalog.taxonomy import category_codes
from matcher.classifier.corpus import Example

HELDOUT_FILE = "heldout.csv"
# Beside the package code, so it resolves the same in a checkout, an editable install
# and a wheel.
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "classifier"


def heldout_path() -> Path:
    return DATA_DIR / HELDOUT_FILE


def load_heldout(path: Path | None = None) -> list[Example]:
    """Rows ``text,category``; an unknown category or an empty text is an error."""
    source = path or heldout_path()
    codes = set(category_codes())
    examples: list[Example] = []
    with source.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            text = (row.get("text") or "").strip()
            category = (row.get("category") or "").strip()
            if not text or category not in codes:
                raise ValueError(f"{source}:{line}: baris tidak valid: {row!r}")
            examples.append(Example(text=text, category=category))
    return examples
