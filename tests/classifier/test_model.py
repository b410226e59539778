"""The shipped model: it loads, fits this code, meets the accuracy targets on the held-out
set, gives sane probabilities and is fast; the corpus is deterministic and disjoint from
the held-out set; mismatched artefacts are refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import sklearn

from matcher.catalog.taxonomy import category_codes
from matcher.classifier.corpus import (
    DEFAULT_PER_CATEGORY,
    DEFAULT_SEED,
    Example,
    corpus_fingerprint,
    generate_corpus,
)
from matcher.classifier.model import (
    ARTEFACT_STEM,
    MODEL_VERSION,
    ArtefactError,
    CategoryModel,
    default_artefact_dir,
    fit,
    load,
    read_metadata,
    save,
)
from matcher.classifier.normalize import normalize, normalizer_fingerprint
from matcher.classifier.service import CategoryClassifier, classify, get_classifier

MIN_TOP1 = 0.93
MIN_TOP3 = 0.99


def test_heldout_set_is_large_and_covers_every_category(heldout: list[Example]) -> None:
    assert len(heldout) >= 250
    assert {e.category for e in heldout} == set(category_codes())
    assert len({e.text for e in heldout}) == len(heldout)


def test_heldout_accuracy_meets_targets(
    shipped_model: CategoryModel, heldout: list[Example]
) -> None:
    evaluation = shipped_model.evaluate(heldout)
    assert evaluation.top1 >= MIN_TOP1, evaluation.errors
    assert evaluation.top3 >= MIN_TOP3, evaluation.errors
    # The metrics in the metadata are the ones this artefact really reaches.
    assert evaluation.size == shipped_model.metadata.heldout_size
    assert round(evaluation.top1, 4) == shipped_model.metadata.heldout_top1
    assert round(evaluation.top3, 4) == shipped_model.metadata.heldout_top3


def test_shipped_artefact_matches_current_code(shipped_model: CategoryModel) -> None:
    meta = shipped_model.metadata
    assert meta.model_version == MODEL_VERSION
    assert meta.sklearn_version == sklearn.__version__
    assert meta.normalizer_fingerprint == normalizer_fingerprint()
    assert set(meta.categories) == set(category_codes())
    corpus = generate_corpus(seed=meta.corpus_seed, per_category=meta.corpus_per_category)
    assert len(corpus) == meta.corpus_size
    # A changed corpus generator or normaliser needs `matcher classify train`.
    assert corpus_fingerprint(corpus, normalize) == meta.corpus_fingerprint
    assert (meta.corpus_seed, meta.corpus_per_category) == (DEFAULT_SEED, DEFAULT_PER_CATEGORY)
    size = (default_artefact_dir() / f"{ARTEFACT_STEM}.joblib").stat().st_size
    assert size < 5_000_000


def test_corpus_is_deterministic_and_disjoint_from_heldout(heldout: list[Example]) -> None:
    first = generate_corpus(per_category=200)
    assert first == generate_corpus(per_category=200)
    assert first != generate_corpus(seed=DEFAULT_SEED + 1, per_category=200)
    assert {e.category for e in first} == set(category_codes())
    assert all(sum(e.category == c for e in first) == 200 for c in category_codes())
    training = {" ".join(e.text.lower().split()) for e in generate_corpus()}
    overlap = [e.text for e in heldout if " ".join(e.text.lower().split()) in training]
    assert overlap == []


def test_probabilities_are_sorted_and_sum_at_most_one(
    shipped_model: CategoryModel, heldout: list[Example]
) -> None:
    texts = [e.text for e in heldout[:60]] + ["", "xyz", "12345", "apel"]
    full = shipped_model.predict_proba(texts)
    assert full.shape == (len(texts), len(shipped_model.categories))
    assert np.allclose(full.sum(axis=1), 1.0)
    assert (full >= 0).all()
    results = CategoryClassifier(shipped_model).classify(texts)
    for result in results:
        probabilities = [score.probability for score in result.top]
        assert len(result.top) == 3
        assert probabilities == sorted(probabilities, reverse=True)
        assert sum(probabilities) <= 1.0
        assert all(0.0 <= p <= 1.0 for p in probabilities)
        assert len({score.category for score in result.top}) == 3


def test_confidence_tracks_accuracy(shipped_model: CategoryModel, heldout: list[Example]) -> None:
    """Calibration sanity: mean confidence close to accuracy; wrong answers less sure."""
    probabilities = shipped_model.predict_proba([e.text for e in heldout])
    predicted = [shipped_model.categories[i] for i in probabilities.argmax(axis=1)]
    confidence = probabilities.max(axis=1)
    correct = np.array([p == e.category for p, e in zip(predicted, heldout, strict=True)])
    assert abs(confidence.mean() - correct.mean()) < 0.05
    if (~correct).any():
        assert confidence[~correct].mean() < confidence[correct].mean()


def test_service_api(heldout: list[Example]) -> None:
    assert get_classifier() is get_classifier()
    result = classify(["snek box 150 pax utk bimtek"])[0]
    assert result.category == "SNACK"
    assert result.top[0].name_id == "Kue dan snack box"
    assert result.quantity is not None and result.quantity.unit == "porsi"
    assert result.to_dict()["quantity"] == {"value": 150, "unit": "porsi", "raw": "150 pax"}
    assert classify([]) == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Belanja Makanan dan Minuman Rapat Koordinasi", "SNACK"),
        ("snek box 150 pax utk bimtek", "SNACK"),
        ("nasi kotak 100 porsi", "NASI_KOTAK"),
        ("Belanja Pakaian Dinas Harian", "SERAGAM"),
        ("Belanja Alat Tulis Kantor", "ATK"),
        ("Belanja Cetak dan Penggandaan", "CETAK"),
        ("wedang jahe 200 gelas", "MINUMAN"),
        ("bibit apel 500 batang", "TANAMAN"),
    ],
)
def test_issue_examples(shipped_model: CategoryModel, text: str, category: str) -> None:
    assert shipped_model.top_k([text], k=1)[0][0][0] == category


def _copy_artefact(tmp_path: Path) -> Path:
    for suffix in (".joblib", ".json"):
        name = f"{ARTEFACT_STEM}{suffix}"
        shutil.copy(default_artefact_dir() / name, tmp_path / name)
    return tmp_path


def _rewrite_metadata(directory: Path, **changes: object) -> None:
    path = directory / f"{ARTEFACT_STEM}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_load_refuses_other_model_version(tmp_path: Path) -> None:
    directory = _copy_artefact(tmp_path)
    _rewrite_metadata(directory, model_version=MODEL_VERSION + 1)
    with pytest.raises(ArtefactError, match="versi"):
        load(directory)


def test_load_refuses_other_sklearn_version(tmp_path: Path) -> None:
    directory = _copy_artefact(tmp_path)
    _rewrite_metadata(directory, sklearn_version="0.0.1")
    with pytest.raises(ArtefactError, match=r"scikit-learn 0\.0\.1"):
        load(directory)


def test_load_refuses_changed_normaliser(tmp_path: Path) -> None:
    directory = _copy_artefact(tmp_path)
    _rewrite_metadata(directory, normalizer_fingerprint="0" * 16)
    with pytest.raises(ArtefactError, match="normalisasi"):
        load(directory)


def test_load_reports_missing_artefact(tmp_path: Path) -> None:
    with pytest.raises(ArtefactError, match="matcher classify train"):
        load(tmp_path)
    _copy_artefact(tmp_path)
    (tmp_path / f"{ARTEFACT_STEM}.joblib").unlink()
    with pytest.raises(ArtefactError, match="tidak ada"):
        load(tmp_path)


def test_small_model_round_trip(tmp_path: Path, shipped_model: CategoryModel) -> None:
    corpus = generate_corpus(per_category=60)
    pipeline, _ = fit(corpus)
    model = CategoryModel(pipeline, shipped_model.metadata)
    save(model, tmp_path)
    assert read_metadata(tmp_path) == shipped_model.metadata
    loaded = load(tmp_path)
    texts = ["kertas HVS 20 rim", "nasi kotak 50 porsi"]
    assert np.allclose(loaded.predict_proba(texts), model.predict_proba(texts))
    # Deterministic fitting: the same corpus gives the same model.
    again, _ = fit(corpus)
    assert np.allclose(again.predict_proba(texts), pipeline.predict_proba(texts))
