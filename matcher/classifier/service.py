"""The classifier API other code calls (API endpoints, web UI suggestions, CLI).

``classify(["snek box 150 pax utk bimtek"])`` -> one :class:`Classification` per text with
the three most probable categories and the extracted quantity. The model is loaded once
(on first use) from the artefact shipped inside the package; scikit-learn is imported
only then, so importing this module stays cheap."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from matcher.catalog.taxonomy import load_taxonomy
from matcher.classifier.quantity import Quantity, extract_quantity

if TYPE_CHECKING:
    from matcher.classifier.model import CategoryModel

TOP_K = 3
_PROBABILITY_SCALE = 10_000  # four decimals


@dataclass(frozen=True)
class CategoryScore:
    category: str
    name_id: str
    probability: float

    def to_dict(self) -> dict[str, object]:
        return {"category": self.category, "probability": self.probability}


@dataclass(frozen=True)
class Classification:
    text: str
    top: tuple[CategoryScore, ...]
    quantity: Quantity | None

    @property
    def category(self) -> str:
        """The most probable category code."""
        return self.top[0].category

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "top": [score.to_dict() for score in self.top],
            "quantity": self.quantity.to_dict() if self.quantity is not None else None,
        }


def _floor(probability: float) -> float:
    """Round down, so the listed probabilities never add up to more than 1."""
    return math.floor(probability * _PROBABILITY_SCALE) / _PROBABILITY_SCALE


class CategoryClassifier:
    """A loaded model plus the category names; thread-safe for prediction."""

    def __init__(self, model: CategoryModel) -> None:
        self.model = model
        taxonomy = load_taxonomy()
        self._names = {code: taxonomy[code].name_id for code in model.categories}

    @property
    def version(self) -> int:
        return self.model.metadata.model_version

    def classify(self, texts: Sequence[str], k: int = TOP_K) -> list[Classification]:
        """Top-``k`` categories (most probable first) and the quantity, per text."""
        ranked = self.model.top_k(list(texts), k=k)
        return [
            Classification(
                text=text,
                top=tuple(
                    CategoryScore(category=code, name_id=self._names[code], probability=_floor(p))
                    for code, p in ranking
                ),
                quantity=extract_quantity(text),
            )
            for text, ranking in zip(texts, ranked, strict=True)
        ]


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load(directory: Path | None) -> CategoryClassifier:
    from matcher.classifier.model import load

    return CategoryClassifier(load(directory))


def get_classifier(directory: Path | None = None) -> CategoryClassifier:
    """The shipped classifier, loaded once per process (``directory`` for another
    artefact). Raises :class:`matcher.classifier.model.ArtefactError` when the artefact is
    missing or was built for another model or scikit-learn version."""
    with _lock:
        return _load(directory)


def clear_classifier_cache() -> None:
    """Forget the loaded model (after ``matcher classify train`` wrote a new one)."""
    _load.cache_clear()


def classify(texts: Sequence[str], k: int = TOP_K) -> list[Classification]:
    """Classify with the shipped model: see :meth:`CategoryClassifier.classify`."""
    return get_classifier().classify(texts, k=k)


def classify_one(text: str, k: int = TOP_K) -> Classification:
    return classify([text], k=k)[0]
