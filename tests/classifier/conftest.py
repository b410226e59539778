"""Fixtures for the classifier tests: the shipped model (loaded once) and the held-out set."""

from __future__ import annotations

import pytest

from matcher.classifier.corpus import Example
from matcher.classifier.heldout import load_heldout
from matcher.classifier.model import CategoryModel, load


@pytest.fixture(scope="session")
def shipped_model() -> CategoryModel:
    return load()


@pytest.fixture(scope="session")
def heldout() -> list[Example]:
    return load_heldout()
