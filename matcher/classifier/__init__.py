"""Need category classifier: free-text need descriptions in Bahasa Indonesia -> the three
most probable taxonomy categories with calibrated probabilities, plus the quantity.

Public API::

    from matcher.classifier import classify, get_classifier, extract_quantity, normalize

    classify(["snek box 150 pax utk bimtek"])[0].to_dict()
    # {"text": ..., "top": [{"category": "SNACK", "probability": 0.97}, ...],
    #  "quantity": {"value": 150, "unit": "porsi", "raw": "150 pax"}}
"""

from matcher.classifier.normalize import normalize
from matcher.classifier.quantity import Quantity, extract_quantities, extract_quantity
from matcher.classifier.service import (
    CategoryClassifier,
    CategoryScore,
    Classification,
    classify,
    classify_one,
    clear_classifier_cache,
    get_classifier,
)

__all__ = [
    "CategoryClassifier",
    "CategoryScore",
    "Classification",
    "Quantity",
    "classify",
    "classify_one",
    "clear_classifier_cache",
    "extract_quantities",
    "extract_quantity",
    "get_classifier",
    "normalize",
]
