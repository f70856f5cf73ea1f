"""Plain figures of how readable recognised text is: mean word confidence and the share of
words found in a dictionary (``/usr/share/dict/words``, Debian's ``wamerican``).

A page where most words are real words was read well; a page of '\\u2014 ,tbe ii1' was not, even
when the engine was sure of itself. Words are compared in lower case with the punctuation
around them stripped; numbers and words without letters are left out of the share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

DICTIONARY = Path("/usr/share/dict/words")
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")


@lru_cache(maxsize=4)
def dictionary_words(path: Path = DICTIONARY) -> frozenset[str]:
    """The dictionary's words in lower case; empty when there is no such file."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return frozenset()
    return frozenset(word.strip().lower() for word in text.splitlines() if word.strip())


def _bare(word: str) -> str:
    bare = _EDGE_PUNCTUATION.sub("", word).lower()
    return bare[:-2] if bare.endswith(("'s", "’s")) else bare


def dictionary_share(words: Iterable[str], dictionary: frozenset[str] | None = None) -> float | None:
    """Share (0..1) of the words with letters that the dictionary knows; None when there are
    none, or no dictionary to look them up in."""
    known = dictionary_words() if dictionary is None else dictionary
    if not known:
        return None
    bare = [b for b in map(_bare, words) if b and any(c.isalpha() for c in b)]
    if not bare:
        return None
    return sum(b in known for b in bare) / len(bare)


def mean_confidence(confidences: Iterable[float]) -> float | None:
    """The mean of word confidences (0..100), None for no words."""
    values = list(confidences)
    return sum(values) / len(values) if values else None
