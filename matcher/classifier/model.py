"""The category model: a scikit-learn pipeline, its training, evaluation and artefact.

Pipeline: normalisation (:func:`matcher.classifier.normalize.normalize`) -> TF-IDF of word
1-2-grams and of character 2-5-grams within word boundaries (robust to typos and
Javanese spelling variants) -> linear SVM -> temperature-scaled probabilities fitted on
5-fold cross-validated decision values, folds grouped by product, (``CalibratedClassifierCV(method="temperature",
ensemble=False)``): one model, one temperature, probabilities that sum to 1 and keep the
SVM's ranking. Everything is seeded, so the same corpus gives the same model.

The artefact is ``matcher/data/classifier/category-model-v{MODEL_VERSION}.joblib`` with a
JSON metadata file beside it. Loading refuses an artefact written for another model
version or another scikit-learn version, with a message that says how to rebuild it."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import numpy.typing as npt
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from matcher.classifier.corpus import (
    DEFAULT_PER_CATEGORY,
    DEFAULT_SEED,
    Example,
    corpus_fingerprint,
    generate_corpus,
)
from matcher.classifier.normalize import normalize, normalizer_fingerprint

MODEL_VERSION = 1
ARTEFACT_STEM = f"category-model-v{MODEL_VERSION}"
RANDOM_STATE = 0
CALIBRATION_FOLDS = 5
Probabilities = npt.NDArray[np.float64]


class ArtefactError(RuntimeError):
    """The shipped model is missing or does not fit this code or this scikit-learn."""


def default_artefact_dir() -> Path:
    """``matcher/data/classifier`` beside the package code (checkout, editable or wheel)."""
    return Path(__file__).resolve().parent.parent / "data" / "classifier"


def normalize_all(texts: Sequence[str]) -> list[str]:
    """Pipeline step: normalise every text (module-level so the pipeline pickles)."""
    return [normalize(text) for text in texts]


def build_pipeline(
    *, random_state: int = RANDOM_STATE, cv: list[tuple[Any, Any]] | int = 5
) -> Pipeline:
    """The untrained pipeline; ``cv`` are the calibration folds (see :func:`fit`)."""
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    lowercase=False,
                    token_pattern=r"(?u)\b\w+\b",
                    ngram_range=(1, 2),
                    min_df=2,
                    max_features=20_000,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    lowercase=False,
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=3,
                    max_features=40_000,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )
    classifier = CalibratedClassifierCV(
        LinearSVC(C=0.5, random_state=random_state, max_iter=5000),
        method="temperature",
        cv=cv,
        ensemble=False,
    )
    return Pipeline(
        [
            ("normalize", FunctionTransformer(normalize_all)),
            ("features", features),
            ("classifier", classifier),
        ]
    )


@dataclass(frozen=True)
class ModelMetadata:
    model_version: int
    trained_at: str
    sklearn_version: str
    python_version: str
    categories: tuple[str, ...]
    corpus_seed: int
    corpus_size: int
    corpus_per_category: int
    corpus_fingerprint: str
    normalizer_fingerprint: str
    train_seconds: float
    heldout_size: int
    heldout_top1: float
    heldout_top3: float

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelMetadata:
        values = dict(data)
        values["categories"] = tuple(values["categories"])
        return cls(**values)


@dataclass(frozen=True)
class Evaluation:
    size: int
    top1: float
    top3: float
    errors: tuple[tuple[str, str, tuple[str, ...]], ...]  # text, expected, top-3 predicted


class CategoryModel:
    """A fitted pipeline with its metadata; ``top_k`` is what callers use."""

    def __init__(self, pipeline: Pipeline, metadata: ModelMetadata) -> None:
        self.pipeline = pipeline
        self.metadata = metadata
        self.categories: tuple[str, ...] = tuple(str(c) for c in pipeline.classes_)

    def predict_proba(self, texts: Sequence[str]) -> Probabilities:
        if not texts:
            return np.zeros((0, len(self.categories)), dtype=np.float64)
        return np.asarray(self.pipeline.predict_proba(list(texts)), dtype=np.float64)

    def top_k(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        """Per text the ``k`` most probable categories, most probable first."""
        probabilities = self.predict_proba(texts)
        k = max(1, min(k, len(self.categories)))
        order = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
        return [
            [(self.categories[j], float(row[j])) for j in ranking]
            for row, ranking in zip(probabilities, order, strict=True)
        ]

    def evaluate(self, examples: Sequence[Example]) -> Evaluation:
        predictions = self.top_k([e.text for e in examples], k=3)
        top1 = top3 = 0
        errors: list[tuple[str, str, tuple[str, ...]]] = []
        for example, ranked in zip(examples, predictions, strict=True):
            names = tuple(code for code, _ in ranked)
            top1 += names[0] == example.category
            top3 += example.category in names
            if names[0] != example.category:
                errors.append((example.text, example.category, names))
        size = len(examples)
        return Evaluation(
            size=size,
            top1=top1 / size if size else 0.0,
            top3=top3 / size if size else 0.0,
            errors=tuple(errors),
        )


def fit(examples: Sequence[Example], *, random_state: int = RANDOM_STATE) -> tuple[Pipeline, float]:
    """The fitted pipeline and the seconds it took.

    The temperature is fitted on out-of-fold decision values where each fold holds out
    whole product groups (``Example.group``): the model is scored on products it has not
    seen, as it will be on real requests. Plain stratified folds would score it on near
    duplicates of its training texts and make every prediction look certain."""
    started = time.perf_counter()
    texts = [e.text for e in examples]
    labels = [e.category for e in examples]
    groups = [f"{e.category}:{e.group or e.text}" for e in examples]
    folds = list(GroupKFold(n_splits=CALIBRATION_FOLDS).split(texts, labels, groups))
    pipeline = build_pipeline(random_state=random_state, cv=folds)
    pipeline.fit(texts, labels)
    return pipeline, time.perf_counter() - started


def train(
    *,
    heldout: Sequence[Example],
    seed: int = DEFAULT_SEED,
    per_category: int = DEFAULT_PER_CATEGORY,
) -> tuple[CategoryModel, Evaluation]:
    """Generate the corpus, fit, and evaluate on ``heldout`` (which is never trained on)."""
    corpus = generate_corpus(seed=seed, per_category=per_category)
    heldout_texts = {" ".join(e.text.lower().split()) for e in heldout}
    leaked = [e.text for e in corpus if " ".join(e.text.lower().split()) in heldout_texts]
    if leaked:
        raise ValueError(f"held-out texts found in the training corpus: {leaked[:5]}")
    pipeline, seconds = fit(corpus)
    provisional = ModelMetadata(
        model_version=MODEL_VERSION,
        trained_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        sklearn_version=sklearn.__version__,
        python_version=platform.python_version(),
        categories=tuple(str(c) for c in pipeline.classes_),
        corpus_seed=seed,
        corpus_size=len(corpus),
        corpus_per_category=per_category,
        corpus_fingerprint=corpus_fingerprint(corpus, normalize),
        normalizer_fingerprint=normalizer_fingerprint(),
        train_seconds=round(seconds, 2),
        heldout_size=0,
        heldout_top1=0.0,
        heldout_top3=0.0,
    )
    model = CategoryModel(pipeline, provisional)
    evaluation = model.evaluate(heldout)
    metadata = ModelMetadata(
        **{
            **asdict(provisional),
            "heldout_size": evaluation.size,
            "heldout_top1": round(evaluation.top1, 4),
            "heldout_top3": round(evaluation.top3, 4),
        }
    )
    return CategoryModel(pipeline, metadata), evaluation


def save(model: CategoryModel, directory: Path | None = None) -> tuple[Path, Path]:
    """Write ``<stem>.joblib`` and ``<stem>.json``; returns both paths."""
    target = directory or default_artefact_dir()
    target.mkdir(parents=True, exist_ok=True)
    model_path = target / f"{ARTEFACT_STEM}.joblib"
    meta_path = target / f"{ARTEFACT_STEM}.json"
    joblib.dump(model.pipeline, model_path, compress=("xz", 6))
    meta_path.write_text(model.metadata.to_json(), encoding="utf-8")
    return model_path, meta_path


def read_metadata(directory: Path | None = None) -> ModelMetadata:
    meta_path = (directory or default_artefact_dir()) / f"{ARTEFACT_STEM}.json"
    if not meta_path.is_file():
        raise ArtefactError(
            f"model kategori tidak ditemukan ({meta_path}); jalankan: matcher classify train"
        )
    return ModelMetadata.from_dict(json.loads(meta_path.read_text(encoding="utf-8")))


def check_compatible(metadata: ModelMetadata) -> None:
    """Raise :class:`ArtefactError` unless the artefact fits this code and scikit-learn."""
    if metadata.model_version != MODEL_VERSION:
        raise ArtefactError(
            f"model kategori versi {metadata.model_version}, kode mengharapkan versi "
            f"{MODEL_VERSION}; jalankan: matcher classify train"
        )
    if metadata.sklearn_version != sklearn.__version__:
        raise ArtefactError(
            f"model kategori dilatih dengan scikit-learn {metadata.sklearn_version}, "
            f"terpasang {sklearn.__version__}; pasang versi itu atau jalankan: "
            "matcher classify train"
        )
    if metadata.normalizer_fingerprint != normalizer_fingerprint():
        raise ArtefactError(
            "normalisasi teks berubah sejak model kategori dilatih; "
            "jalankan: matcher classify train"
        )


def load(directory: Path | None = None) -> CategoryModel:
    """Load and check the artefact (the shipped one by default)."""
    target = directory or default_artefact_dir()
    metadata = read_metadata(target)
    check_compatible(metadata)
    model_path = target / f"{ARTEFACT_STEM}.joblib"
    if not model_path.is_file():
        raise ArtefactError(
            f"berkas model kategori tidak ada ({model_path}); jalankan: matcher classify train"
        )
    pipeline = joblib.load(model_path)
    if not isinstance(pipeline, Pipeline):
        raise ArtefactError(f"berkas model kategori rusak: {model_path}")
    model = CategoryModel(pipeline, metadata)
    if model.categories != metadata.categories:
        raise ArtefactError("kategori model tidak cocok dengan metadata; latih ulang model")
    return model
