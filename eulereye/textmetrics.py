"""Character error rate, the way this project measures OCR accuracy.

Order-aware CER: edit distance between the whole page text in reading order and the ground
truth, divided by the ground truth's length. Reading a page straight across its columns scores
badly here even when every word is right, which is the point. Both sides are normalised first,
so historic spellings of the same text compare equal (see ``normalise``).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

# Historic characters in transcriptions (OCR-D ground truth) and their modern readings.
_HISTORIC = str.maketrans({
    "\u2e17": "-",  # double oblique hyphen
    "\u00ac": "-",  # not sign, used by OCR for a line-end hyphen
    "\ua75b": "r",  # r rotunda
    "\u204a": "&",  # Tironian et
})
_COMBINING_E = {"a\u0364": "ä", "o\u0364": "ö", "u\u0364": "ü", "A\u0364": "Ä", "O\u0364": "Ö", "U\u0364": "Ü"}
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_LINE_END_HYPHEN = re.compile(r"-\s*\n\s*")
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Compatibility forms (long s, ligatures), historic letters and hyphens made modern,
    private-use glyph codes dropped, words split at line ends joined, whitespace collapsed."""
    for old, new in _COMBINING_E.items():
        text = text.replace(old, new)
    text = unicodedata.normalize("NFKC", text).translate(_HISTORIC)
    text = _PRIVATE_USE.sub("", text)
    text = _LINE_END_HYPHEN.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def cer(predicted: str, truth: str) -> float:
    """Order-aware character error rate of ``predicted`` against ``truth`` (both normalised)."""
    predicted, truth = normalise(predicted), normalise(truth)
    if not truth:
        return 0.0 if not predicted else 1.0
    return Levenshtein.distance(predicted, truth) / len(truth)
