"""Plain figures of how readable recognised text is: mean word confidence and the share of
words found in a dictionary (``/usr/share/dict/words``, Debian's ``wamerican``), and which pages
of a batch need a look.

A page where most words are real words was read well; a page of 'tbe c0unty iair' was not, even
when the engine was sure of itself. The dictionary measure is the one the real-scan benchmark
uses (``dictionary_words``: runs of three or more letters, found as they are, in lower case or
capitalised), so the report and bench/RESULTS.md agree.

Each manifest records a page's figures (``quality``), the dictionary share in the word list of
the page's language when one is installed; a wrong ``--lang`` or a segmenter that loses text
shows as a page far below its batch's median (``flag_pages``).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from eulereye.model import Page

WORD_LIST_FOLDER = Path("/usr/share/dict")
SYSTEM_WORD_LIST = WORD_LIST_FOLDER / "words"  # Debian's wamerican, the benchmark's list
# Tesseract model -> word lists that may be installed for it, the first one found is used.
WORD_LISTS = {
    "eng": ("american-english", "british-english", "words"),
    "deu": ("ngerman", "ogerman", "swiss"),
    "frk": ("ngerman", "ogerman"),
    "fra": ("french",),
    "ita": ("italian",),
    "spa": ("spanish",),
    "nld": ("dutch",),
    "dan": ("danish",),
    "swe": ("swedish",),
    "nor": ("bokmaal", "nynorsk"),
    "por": ("portuguese",),
}
FEW_WORDS = 10  # a page with fewer words is flagged whatever the batch looks like
MIN_BATCH = 3  # pages needed before a page is compared with the batch's median
CONFIDENCE_GAP = 15.0  # points of mean confidence below the median that flag a page
DICTIONARY_GAP = 0.2  # share of dictionary words below the median that flags a page
WORDS_FRACTION = 0.25  # a page with fewer than this fraction of the median's words is flagged


@lru_cache(maxsize=2)
def system_words(path: Path = SYSTEM_WORD_LIST) -> frozenset[str]:
    """The system word list, one word per line (``FileNotFoundError`` when not installed)."""
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())


def word_tokens(text: str) -> list[str]:
    """Runs of 3 or more letters."""
    return [t for t in re.findall(r"[^\W\d_]+", text) if len(t) >= 3]


def dictionary_words(text: str, words: frozenset[str] | None = None) -> tuple[int, int]:
    """(tokens found in the word list, all tokens): a token counts as it is, in lower case or
    capitalised (headlines are in capitals, names capitalised). Default list: the system's."""
    words = system_words() if words is None else words
    tokens = word_tokens(text)
    found = sum(1 for t in tokens if t in words or t.lower() in words or t.capitalize() in words)
    return found, len(tokens)


def dictionary_share(words: Iterable[str], dictionary: frozenset[str] | None = None) -> float | None:
    """Share (0..1) of the words' letter runs that the dictionary knows (default: the system
    word list); None when there are none, or no word list is installed."""
    try:
        found, tokens = dictionary_words(" ".join(words), dictionary)
    except FileNotFoundError:
        return None
    return found / tokens if tokens else None


def mean_confidence(confidences: Iterable[float]) -> float | None:
    """The mean of word confidences (0..100), None for no words."""
    values = list(confidences)
    return sum(values) / len(values) if values else None


@lru_cache(maxsize=8)
def word_list(lang: str, folder: Path = WORD_LIST_FOLDER) -> frozenset[str] | None:
    """Lower-cased words of the installed lists for ``lang`` (``deu+eng``: both), or None when
    none is installed."""
    words: set[str] = set()
    for model in lang.split("+"):
        found = next((folder / name for name in WORD_LISTS.get(model, ()) if (folder / name).is_file()), None)
        if found:
            words.update(line.strip().lower() for line in found.read_text(errors="replace").splitlines())
    return frozenset(words) or None


def page_quality(page: Page, lang: str) -> dict:
    """The manifest's ``quality`` figures of one recognised page."""
    words = [w for s in page.sections for w in s.words]
    per_kind = Counter()
    for section in page.sections:
        per_kind[section.kind] += len(section.words)
    confidence = mean_confidence(w.confidence for w in words)
    figures = {"mean_confidence": None if confidence is None else round(confidence, 1),
               "words_per_kind": dict(sorted(per_kind.items()))}
    wordlist = word_list(lang)
    if wordlist:
        share = dictionary_share((w.text for w in words), wordlist)
        figures["dictionary_share"] = None if share is None else round(share, 3)
    return figures


def _median(values: list) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if len(present) >= MIN_BATCH else None


def flag_pages(pages: dict[str, dict]) -> dict[str, str]:
    """Pages that need a look, with why. ``pages``: name -> ``{"words": n, **quality}`` (the
    manifest's word count and quality figures); medians are taken over all of them."""
    medians = {key: _median([p.get(key) for p in pages.values()])
               for key in ("words", "mean_confidence", "dictionary_share")}
    flagged = {}
    for name, page in pages.items():
        reasons = _reasons(page, medians)
        if reasons:
            flagged[name] = "; ".join(reasons)
    return flagged


def _reasons(page: dict, medians: dict) -> list[str]:
    words, confidence, share = page.get("words", 0), page.get("mean_confidence"), page.get("dictionary_share")
    reasons = []
    if words < FEW_WORDS:
        reasons.append(f"almost no words ({words})")
    elif medians["words"] and words < medians["words"] * WORDS_FRACTION:
        reasons.append(f"{words} words, batch median {medians['words']:.0f}")
    if confidence is not None and medians["mean_confidence"] is not None \
            and confidence < medians["mean_confidence"] - CONFIDENCE_GAP:
        reasons.append(f"mean confidence {confidence:.0f}, batch median {medians['mean_confidence']:.0f}")
    if share is not None and medians["dictionary_share"] is not None \
            and share < medians["dictionary_share"] - DICTIONARY_GAP:
        reasons.append(f"{share:.0%} dictionary words, batch median {medians['dictionary_share']:.0%}")
    return reasons
