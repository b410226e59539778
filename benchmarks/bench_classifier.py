"""Category classifier benchmark: held-out accuracy, calibration and speed of the shipped model.

Targets: top-1 >= 93% and top-3 >= 99% on the hand-written held-out set
(``matcher/data/classifier/heldout.csv``); 1 000 texts classified in under 1 s.

    .venv/bin/python benchmarks/bench_classifier.py
"""

from __future__ import annotations

import sys
import time
from itertools import pairwise
from pathlib import Path

# Run from a checkout: the repository's packages take precedence over any installed copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from rich.console import Console
from rich.table import Table

from matcher.classifier.heldout import load_heldout
from matcher.classifier.model import ARTEFACT_STEM, default_artefact_dir, load
from matcher.classifier.service import CategoryClassifier

TARGET_TOP1 = 0.93
TARGET_TOP3 = 0.99
TARGET_SECONDS = 1.0
TEXTS = 1000


def _expected_calibration_error(confidence: np.ndarray, correct: np.ndarray) -> float:
    edges = np.linspace(0.0, 1.0, 11)
    total = 0.0
    for low, high in pairwise(edges):
        selected = (confidence > low) & (confidence <= high)
        if selected.any():
            gap = abs(confidence[selected].mean() - correct[selected].mean())
            total += selected.mean() * gap
    return float(total)


def main() -> int:
    started = time.perf_counter()
    model = load()
    load_seconds = time.perf_counter() - started
    heldout = load_heldout()
    evaluation = model.evaluate(heldout)

    probabilities = model.predict_proba([e.text for e in heldout])
    predicted = [model.categories[i] for i in probabilities.argmax(axis=1)]
    confidence = probabilities.max(axis=1)
    correct = np.array([p == e.category for p, e in zip(predicted, heldout, strict=True)])

    classifier = CategoryClassifier(model)
    texts = ([e.text for e in heldout] * (TEXTS // len(heldout) + 1))[:TEXTS]
    classifier.classify(texts[:10])  # warm-up
    timings = []
    for _ in range(5):
        tick = time.perf_counter()
        classifier.classify(texts)
        timings.append(time.perf_counter() - tick)
    best, median = min(timings), float(np.median(timings))
    artefact = default_artefact_dir() / f"{ARTEFACT_STEM}.joblib"

    meta = model.metadata
    table = Table(
        title=f"Category classifier v{meta.model_version} (scikit-learn {meta.sklearn_version})"
    )
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    table.add_column("Target", justify="right")
    table.add_row("Training corpus (synthetic)", f"{meta.corpus_size} texts", "")
    table.add_row("Held-out set (hand-written)", f"{evaluation.size} texts", ">= 250")
    table.add_row("Top-1 accuracy", f"{evaluation.top1:.1%}", f">= {TARGET_TOP1:.0%}")
    table.add_row("Top-3 accuracy", f"{evaluation.top3:.1%}", f">= {TARGET_TOP3:.0%}")
    table.add_row("Mean top-1 probability", f"{confidence.mean():.3f}", "~ accuracy")
    table.add_row(
        "Expected calibration error", f"{_expected_calibration_error(confidence, correct):.3f}", ""
    )
    table.add_row(
        f"Classify {TEXTS} texts (best / median of 5)",
        f"{best * 1000:.0f} ms / {median * 1000:.0f} ms",
        f"< {TARGET_SECONDS * 1000:.0f} ms",
    )
    table.add_row("Artefact size", f"{artefact.stat().st_size / 1e6:.2f} MB", "a few MB")
    table.add_row("Load time (cold)", f"{load_seconds * 1000:.0f} ms", "")
    console = Console()
    console.print(table)
    if evaluation.errors:
        errors = Table(title="Held-out texts wrong at top-1")
        for column in ("Text", "Expected", "Top-3"):
            errors.add_column(column, overflow="fold")
        for text, expected, top3 in evaluation.errors:
            errors.add_row(text, expected, ", ".join(top3))
        console.print(errors)
    met = (
        evaluation.top1 >= TARGET_TOP1
        and evaluation.top3 >= TARGET_TOP3
        and best < TARGET_SECONDS
        and evaluation.size >= 250
    )
    console.print("Targets met." if met else "[red]Targets NOT met.[/red]")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
