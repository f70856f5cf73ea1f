"""Plain figures of how readable recognised text is: mean word confidence and the share of
words found in a dictionary (``/usr/share/dict/words``, Debian's ``wamerican``).

A page where most words are real words was read well; a page of 'tbe c0unty iair' was not, even
when the engine was sure of itself. The dictionary measure is the one the real-scan benchmark
uses (``eulereye.evaluation.realscan.dictionary_words``: runs of three or more letters, found as
they are, in lower case or capitalised), so the report and bench/RESULTS.md agree.
"""

from __future__ import annotations

from collections.abc import Iterable


def dictionary_share(words: Iterable[str], dictionary: frozenset[str] | None = None) -> float | None:
    """Share (0..1) of the words' letter runs that the dictionary knows (default: the system
    word list); None when there are none, or no word list is installed."""
    from eulereye.evaluation.realscan import dictionary_words

    try:
        found, tokens = dictionary_words(" ".join(words), dictionary)
    except FileNotFoundError:
        return None
    return found / tokens if tokens else None


def mean_confidence(confidences: Iterable[float]) -> float | None:
    """The mean of word confidences (0..100), None for no words."""
    values = list(confidences)
    return sum(values) / len(values) if values else None
