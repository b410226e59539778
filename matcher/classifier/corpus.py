"""Deterministic synthetic training corpus for the category classifier.

Texts are generated from three families of templates: budget-line and package names as
they appear in SIPD/SIRUP ("Belanja Makanan dan Minuman Rapat Koordinasi"), formal
requests ("Pengadaan kemeja batik untuk Hari Batik Nasional Dinas Pariwisata") and officer
shorthand ("snek box 150 pax utk bimtek"). Products come from the hand-written vocabulary
in :mod:`matcher.classifier.vocabulary` plus the taxonomy keywords and names; contexts
(events, agencies) are shared by all categories. Noise is added the way officers write:
abbreviations, dropped vowels, typos, odd casing, quantities with Indonesian number
formats and price notes.

The held-out evaluation set (``matcher/data/classifier/heldout.csv``) is never read here."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matcher.catalog.taxonomy import load_taxonomy
from matcher.classifier.vocabulary import AGENCIES, EVENTS, VOCABULARY, CategoryVocabulary

DEFAULT_SEED = 20260
DEFAULT_PER_CATEGORY = 1400


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    # The product or budget line the text was built from: calibration folds hold out whole
    # groups, so probabilities are fitted on products the model has not seen.
    group: str = ""


# Full phrase -> shorthand officers write (applied at random; the normaliser expands some
# back, the rest the model must learn from character n-grams).
_SHORTHAND: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("untuk", ("utk", "u/", "buat", "untk")),
    ("dengan", ("dgn", "dg")),
    ("yang", ("yg",)),
    ("kegiatan", ("keg.", "kegiatan", "kgt")),
    ("rapat koordinasi", ("rakor", "rapat koord.", "rpt koordinasi")),
    ("bimbingan teknis", ("bimtek",)),
    ("makanan dan minuman", ("mamin", "makan minum", "makmin", "mkn mnm")),
    ("snack", ("snek", "snak", "snck", "sneck")),
    ("nasi kotak", ("naskot", "nasi kotak", "nasi ktk", "nas kotak")),
    ("nasi box", ("nasbox", "nasi bok", "nasi boks")),
    ("kue", ("kueh", "kue2", "kwe")),
    ("kripik", ("krpk", "keripik")),
    ("keripik", ("kripik", "krpik")),
    ("air mineral", ("aqua", "air mineral", "AMDK", "air mnrl")),
    ("seragam", ("sragam", "srgm", "seragam")),
    ("pakaian dinas", ("pakdin", "pak. dinas", "PD")),
    ("alat tulis kantor", ("ATK", "alat tulis ktr")),
    ("spanduk", ("spanduk", "spandukk", "spndk")),
    ("kebersihan", ("kbersihan", "kebersihan")),
    ("belanja", ("bel.", "blj", "belanja")),
    ("pengadaan", ("pengadaan", "pngadaan", "pengadaaan")),
    ("kecamatan", ("kec.", "kec")),
    ("kelurahan", ("kel.", "kel")),
    ("tahun", ("th", "thn")),
    ("peserta", ("pst", "peserta")),
    ("oleh-oleh", ("oleh2", "oleh oleh")),
    ("kantor", ("ktr", "kantor")),
    ("sekolah", ("sklh", "sekolah")),
)

_FORMAL: tuple[str, ...] = (
    "Belanja {product} {context}",
    "Pengadaan {product} {context}",
    "Pengadaan {product} untuk {context} {agency}",
    "Belanja {product} {context} Tahun Anggaran {year}",
    "Penyediaan {product} {context}",
    "{budget}",
    "{budget}",
    "{budget} {context}",
    "{budget} - {product}",
    "{budget} ({product}) {agency}",
    "{budget} {context} {agency}",
    "{budget} {agency} TA {year}",
    "Belanja {product} pada {agency}",
    "Pembelian {product} {context}",
    "{product} {context} {agency} TA {year}",
    "Paket {product} {context}",
    "Belanja {product} dan {product2}",
    "Pengadaan {product} {agency}",
    "Kebutuhan {product} {purpose}",
    "Belanja {product} bagi {purpose}",
)

_SHORT: tuple[str, ...] = (
    "{product} {qty} utk {context}",
    "{product} {qty}",
    "{qty} {product}",
    "butuh {product} {qty} buat {context}",
    "pesan {product} {qty} tgl {day}",
    "mohon disiapkan {product} {qty} untuk {context}",
    "{product} utk {context}",
    "{product} {product2}",
    "{product}, {product2}, {product3}",
    "{product} dan {product2} {qty}",
    "order {product} {qty}",
    "{product}",
    "{product}",
    "{product} {context}",
    "kebutuhan {product} {context} sebanyak {qty}",
    "{product} {qty} @{price}",
    "{product} {qty} x Rp {price}",
    "cari penyedia {product} {qty}",
    "{product} {qty} dikirim ke {agency}",
    "req {product} {qty} {context}",
    "{product} {purpose}",
    "{product} utk {purpose} {qty}",
    "tolong {product} {qty} ya",
    "{product} {qty} {agency}",
    "{context}: {product} {qty}",
)


def _format_count(rng: random.Random, number: int) -> str:
    if number >= 1000 and rng.random() < 0.6:
        return f"{number:,}".replace(",", ".")
    return str(number)


def _quantity(rng: random.Random, vocab: CategoryVocabulary) -> str:
    unit = rng.choice(vocab.units)
    roll = rng.random()
    if unit in {"ton", "kwintal", "liter"} and roll < 0.3:
        return f"{rng.randint(1, 9)},{rng.choice((5, 25, 75))} {unit}"
    number = rng.choice((rng.randint(1, 60), rng.randint(10, 400), rng.randint(100, 5000)))
    number = round(number, -1) if number > 100 and rng.random() < 0.7 else number
    glue = "" if rng.random() < 0.2 else " "
    return f"{_format_count(rng, max(number, 1))}{glue}{unit}"


def _price(rng: random.Random) -> str:
    return _format_count(rng, rng.randint(2, 400) * 500)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(5)
    if kind == 0:  # swap
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == 1:  # drop
        return word[:i] + word[i + 1 :]
    if kind == 2:  # double
        return word[:i] + word[i] + word[i:]
    if kind == 3:  # drop vowels (sms style)
        return word[0] + "".join(c for c in word[1:] if c not in "aeiou") or word
    return word[:i] + rng.choice("aeiounkrst") + word[i + 1 :]


def _noise(rng: random.Random, text: str) -> str:
    if rng.random() < 0.45:
        lowered = text.lower()
        for phrase, options in _SHORTHAND:
            if phrase in lowered and rng.random() < 0.6:
                start = lowered.index(phrase)
                text = text[:start] + rng.choice(options) + text[start + len(phrase) :]
                lowered = text.lower()
    words = text.split()
    if rng.random() < 0.35 and words:
        for _ in range(rng.choice((1, 1, 2))):
            i = rng.randrange(len(words))
            words[i] = _typo(rng, words[i])
    if rng.random() < 0.08 and len(words) > 3:
        del words[rng.randrange(len(words))]
    text = " ".join(words)
    casing = rng.random()
    if casing < 0.25:
        return text.lower()
    if casing < 0.32:
        return text.upper()
    if casing < 0.45:
        return text.title()
    return text


def _products(code: str) -> tuple[str, ...]:
    category = load_taxonomy()[code]
    return (*VOCABULARY[code].products, *category.keywords, category.name_id)


def _fill(rng: random.Random, template: str, code: str, products: Sequence[str]) -> tuple[str, str]:
    """The filled template and its group (the main product, else the budget line)."""
    vocab = VOCABULARY[code]
    purpose_pool = vocab.purposes or EVENTS
    context = rng.choice(purpose_pool) if rng.random() < 0.35 else rng.choice(EVENTS)
    values: dict[str, str] = {
        "product": rng.choice(products),
        "product2": rng.choice(products),
        "product3": rng.choice(products),
        "context": context,
        "purpose": rng.choice(purpose_pool),
        "agency": rng.choice(AGENCIES),
        "budget": rng.choice(vocab.budget_lines),
        "year": str(rng.choice((2024, 2025, 2026, 2027))),
        "day": str(rng.randint(1, 28)),
        "qty": _quantity(rng, vocab),
        "price": _price(rng),
    }
    group = values["product"] if "{product}" in template else values["budget"]
    return template.format(**values), group


def generate_corpus(
    *, seed: int = DEFAULT_SEED, per_category: int = DEFAULT_PER_CATEGORY
) -> list[Example]:
    """``per_category`` distinct examples for every category, the same for the same seed.

    Every product and taxonomy keyword appears at least once on its own, so rare words
    are never missing from the vocabulary."""
    rng = random.Random(seed)
    examples: list[Example] = []
    for code in load_taxonomy():
        products = _products(code)
        seen: set[str] = set()
        texts: list[tuple[str, str]] = []

        def add(
            text: str, group: str, seen: set[str] = seen, texts: list[tuple[str, str]] = texts
        ) -> None:
            key = " ".join(text.split())
            if key and key not in seen:
                seen.add(key)
                texts.append((key, group.lower()))

        for product in products:
            add(product, product)
        for line in VOCABULARY[code].budget_lines:
            add(line, line)
        templates: tuple[tuple[str, ...], ...] = (_FORMAL, _SHORT)
        attempts = 0
        while len(texts) < per_category and attempts < per_category * 20:
            attempts += 1
            family = templates[0] if rng.random() < 0.45 else templates[1]
            text, group = _fill(rng, rng.choice(family), code, products)
            add(_noise(rng, text), group)
        examples.extend(
            Example(text=text, category=code, group=group) for text, group in texts[:per_category]
        )
    return examples


def corpus_fingerprint(
    examples: Sequence[Example], normalize: Callable[[str], str] | None = None
) -> str:
    """A short hash of the corpus (after normalisation when given): stored with the model,
    compared by the tests to catch a corpus or normaliser change without retraining."""
    digest = hashlib.sha256()
    for example in examples:
        text = normalize(example.text) if normalize is not None else example.text
        digest.update(f"{example.category}\t{text}\n".encode())
    return digest.hexdigest()[:16]
