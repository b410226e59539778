"""Text normalisation for need descriptions, used identically in training and prediction.

Steps: Unicode NFKC and lowercase; reduplication written with a 2 (``kue2`` -> ``kue kue``,
``buah2an`` -> ``buah buahan``); numbers split from glued units (``50kg`` -> ``50 kg``);
every number becomes the token ``_num_`` and a unit right after a number becomes its
canonical unit (``150 pax`` -> ``_num_ porsi``, ``100 bh`` -> ``_num_ pcs``), so the unit
word ``buah`` is not read as fruit; punctuation becomes space; abbreviations and spelling
variants are expanded or unified (``utk`` -> ``untuk``, ``snek`` -> ``snack``, ``mamin`` ->
``makanan minuman``, ``kripik`` -> ``keripik``)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from matcher.classifier.quantity import NUMBER_PATTERN
from matcher.classifier.units import MULTIPLIERS, UNITS

NUMBER_TOKEN = "_num_"

# Officer shorthand and chat abbreviations -> full words.
# fmt: off
ABBREVIATIONS: dict[str, str] = {
    "utk": "untuk", "untk": "untuk", "ut": "untuk", "buat": "untuk",
    "dgn": "dengan", "dg": "dengan", "dng": "dengan",
    "yg": "yang", "dll": "dan lain lain", "dsb": "dan sebagainya", "dr": "dari",
    "pd": "pada", "tsb": "tersebut", "sbg": "sebagai", "krn": "karena", "tdk": "tidak",
    "jg": "juga", "bbrp": "beberapa", "sdh": "sudah", "blm": "belum", "ttg": "tentang",
    "jml": "jumlah", "jmlh": "jumlah", "tgl": "tanggal", "thn": "tahun", "th": "tahun",
    "brg": "barang", "kec": "kecamatan", "kel": "kelurahan", "kab": "kabupaten",
    "keg": "kegiatan", "kegt": "kegiatan", "kgt": "kegiatan", "kegiatn": "kegiatan",
    "rpt": "rapat", "rakor": "rapat koordinasi", "rakornis": "rapat koordinasi teknis",
    "bimtek": "bimbingan teknis", "monev": "monitoring evaluasi", "sosper": "sosialisasi",
    "blj": "belanja", "blnj": "belanja", "bel": "belanja",
    "pengadaaan": "pengadaan", "pngadaan": "pengadaan",
    "mamin": "makanan minuman", "mamim": "makanan minuman", "makmin": "makanan minuman",
    "konsum": "konsumsi", "kons": "konsumsi",
    "naskot": "nasi kotak", "naskotak": "nasi kotak", "nasbox": "nasi box",
    "nasbok": "nasi box", "nasboks": "nasi box", "nsi": "nasi", "nasgor": "nasi goreng",
    "snek": "snack", "snak": "snack", "snck": "snack", "snk": "snack", "sneck": "snack",
    "snacks": "snack", "snax": "snack", "snakc": "snack",
    "boks": "box", "bok": "box", "bx": "box", "dos": "dus", "kardus": "dus",
    "pack": "pak", "pck": "pak",
    "kripik": "keripik", "kripick": "keripik", "krupuk": "kerupuk",
    "cemilan": "camilan", "cemil": "camilan",
    "gethuk": "getuk", "thiwul": "tiwul", "jenang2": "jenang",
    "kaus": "kaos", "t-shirt": "kaos", "tshirt": "kaos",
    "pdh": "pakaian dinas harian", "pdl": "pakaian dinas lapangan",
    "psh": "pakaian sipil harian", "pakdin": "pakaian dinas",
    "amdk": "air minum dalam kemasan",
    "souvenir": "suvenir", "sovenir": "suvenir", "cinderamata": "cenderamata",
    "cindramata": "cenderamata", "cenderamata": "cenderamata",
    "meubel": "mebel", "meubelair": "mebel", "mebeler": "mebel", "furniture": "furnitur",
    "catering": "katering", "ketering": "katering",
    "londri": "laundry", "laundri": "laundry", "loundry": "laundry",
    "kwitansi": "kuitansi", "fc": "fotokopi", "fotocopy": "fotokopi",
    "photocopy": "fotokopi",
    "ballpoint": "bolpoin", "bolpen": "bolpoin", "ballpen": "bolpoin", "pulpen": "bolpoin",
    "xbanner": "x banner", "spanduck": "spanduk", "ktk": "kotak",
}
# fmt: on

_REDUPLICATION = re.compile(r"\b([a-z]{2,})2(an)?\b")
_GLUED_UNIT = re.compile(r"(?<![a-z])(\d)([a-z])")
_NUMBER = re.compile(rf"(?<![a-z0-9_])(?:{NUMBER_PATTERN})(?![0-9])")
_NON_WORD = re.compile(r"[^a-z0-9_ ]+")
_SPACES = re.compile(r"\s+")
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bs\s*[/.]\s*d\b\.?"), " sampai "),
    (re.compile(r"\bdll\b\.?"), " dan lain lain "),
    (re.compile(r"\bx[\s-]*banner\b"), " xbanner "),
    (re.compile(r"\balat\s*/\s*bahan\b"), " alat bahan "),
    (re.compile(r"\bfoto\s+copy\b"), " fotokopi "),
    (re.compile(r"&"), " dan "),
)


def _units_after_numbers(tokens: list[str]) -> list[str]:
    out: list[str] = []
    previous = ""
    for token in tokens:
        if previous == NUMBER_TOKEN and token in MULTIPLIERS:
            continue  # "2 ribu lembar": the multiplier is part of the number
        if previous == NUMBER_TOKEN and token in UNITS:
            out.append(UNITS[token].canonical)
        else:
            out.append(ABBREVIATIONS.get(token, token))
        previous = token
    return out


def normalize(text: str) -> str:
    """The normalised form of one description (see the module docstring)."""
    value = unicodedata.normalize("NFKC", text).lower()
    for pattern, replacement in _PHRASES:
        value = pattern.sub(replacement, value)
    value = _REDUPLICATION.sub(lambda m: f"{m.group(1)} {m.group(1)}{m.group(2) or ''}", value)
    value = _GLUED_UNIT.sub(r"\1 \2", value)
    value = _NUMBER.sub(f" {NUMBER_TOKEN} ", value)
    value = _NON_WORD.sub(" ", value)
    tokens = _units_after_numbers(value.split())
    return _SPACES.sub(" ", " ".join(tokens)).strip()


def normalizer_fingerprint() -> str:
    """A short hash of the normalisation tables; stored with the model so a changed
    normaliser is noticed before it silently degrades a model trained with the old one."""
    digest = hashlib.sha256()
    for key, value in sorted(ABBREVIATIONS.items()):
        digest.update(f"{key}={value};".encode())
    for key, spec in sorted(UNITS.items()):
        digest.update(f"{key}={spec.canonical};".encode())
    for pattern, replacement in _PHRASES:
        digest.update(f"{pattern.pattern}={replacement};".encode())
    digest.update(_NUMBER.pattern.encode())
    return digest.hexdigest()[:16]
