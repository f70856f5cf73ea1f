"""A second look at the words Tesseract's own lexicon does not know.

Heavy, bled type on old newspapers closes the gap of a 'c' and fills the eye of an 'o', and
Tesseract reads "Sehool", "loeal", "tbe" where a reader sees "School", "local", "the". Shown
the same words again with strokes a pixel thinner, it reads many of them right and many others
wrong, so neither reading is better as a whole (docs/accuracy.md). Taken word by word they
are: where the first reading is no word of the language and the second reading of the same
place is one, and the two differ by at most a third of their letters, the second is the
better reading. An OCR engine's lexicon check, done across two renderings of the page.

The lexicon is Tesseract's own, unpacked from the language model (``combine_tessdata``,
``dawg2wordlist``, both in the ``tesseract-ocr`` package), so every installed language has
one and none depends on a system word list.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import structlog
from rapidfuzz.distance import Levenshtein

from eulereye.model import Line, Word, inside, iou, union

log = structlog.get_logger()

JUDGED_LETTERS = 3  # letter runs shorter than this are not looked up ("a", "of", "Mr")
MOSTLY = 0.5  # a word of the second reading with this share of its box in a word's box is read there
SAME_PLACE = 0.7  # the second reading's words cover the first's box this well (IoU)
MAX_CHANGE = 1 / 3  # share of the letters the two readings may differ in
TOOLS = ("combine_tessdata", "dawg2wordlist")


@lru_cache(maxsize=4)
def for_language(lang: str, tessdata: str) -> frozenset[str] | None:
    """The words of Tesseract's lexicon for ``lang`` ("eng", "eng+deu": each part's words),
    None where a model has no lexicon or the tools to unpack it are not installed."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        log.warning("lexicon_unavailable", lang=lang, reason=f"{', '.join(missing)} not installed")
        return None
    words: set[str] = set()
    for part in lang.split("+"):
        part_words = _unpack(Path(tessdata) / f"{part}.traineddata")
        if part_words is None:
            log.warning("lexicon_unavailable", lang=part, reason="the model holds no word list")
            return None
        words |= part_words
    return frozenset(words)


def _unpack(model: Path) -> set[str] | None:
    """The words of one model's LSTM word list, None when it has none."""
    listing = subprocess.run(["combine_tessdata", "-d", str(model)], check=True, capture_output=True, text=True)
    if "lstm-word-dawg" not in listing.stdout + listing.stderr:
        return None
    with tempfile.TemporaryDirectory() as folder:
        dawg, unicharset, words = (Path(folder) / name for name in
                                   ("m.lstm-word-dawg", "m.lstm-unicharset", "words.txt"))
        subprocess.run(["combine_tessdata", "-e", str(model), str(dawg), str(unicharset)],
                       check=True, capture_output=True)
        subprocess.run(["dawg2wordlist", str(unicharset), str(dawg), str(words)], check=True, capture_output=True)
        return set(words.read_text(encoding="utf-8").split())


def letter_runs(text: str) -> list[str]:
    """The runs of letters in ``text`` long enough to look up."""
    return [run for run in re.findall(r"[^\W\d_]+", text) if len(run) >= JUDGED_LETTERS]


def is_unknown(text: str, lexicon: frozenset[str]) -> bool:
    """True when one of the word's letter runs is in the lexicon neither as it is, in lower
    case nor capitalised (headlines are in capitals, names capitalised)."""
    return any(run not in lexicon and run.lower() not in lexicon and run.capitalize() not in lexicon
               for run in letter_runs(text))


def rows_to_read_again(lines: list[Line], height: int, lexicon: frozenset[str]) -> list[tuple[int, int]]:
    """The bands of an image ``height`` pixels tall worth a second look: the rows of ``lines``
    holding a word the lexicon does not know, each reaching halfway to the rows above and
    below it (lines whose boxes overlap are one row), neighbouring bands joined."""
    rows: list[list] = []  # [top, bottom, has an unknown word]
    for line in sorted(lines, key=lambda line: line.bbox[1]):
        _, top, _, bottom = line.bbox
        unknown = any(is_unknown(word.text, lexicon) for word in line.words)
        if rows and top < rows[-1][1]:
            rows[-1][1:] = [max(rows[-1][1], bottom), rows[-1][2] or unknown]
        else:
            rows.append([top, bottom, unknown])
    bands: list[tuple[int, int]] = []
    for i, (top, bottom, unknown) in enumerate(rows):
        if not unknown:
            continue
        start = (rows[i - 1][1] + top) // 2 if i else 0
        end = (bottom + rows[i + 1][0]) // 2 if i + 1 < len(rows) else height
        if bands and start <= bands[-1][1]:
            bands[-1] = (bands[-1][0], end)
        else:
            bands.append((start, end))
    return bands


def prefer_known(first: list[Line], second: list[Word], lexicon: frozenset[str]) -> list[Line]:
    """``first`` with each word the lexicon does not know replaced by the words ``second``
    reads in its place, when those are known and close to it (``_better_reading``). Both in
    the same pixel frame."""
    return [Line([better for word in line.words for better in _better_reading(word, second, lexicon)])
            for line in first]


def _better_reading(word: Word, second: list[Word], lexicon: frozenset[str]) -> list[Word]:
    if not is_unknown(word.text, lexicon):
        return [word]
    there = [other for other in second if inside(other.bbox, word.bbox, share=MOSTLY)]
    if not there or iou(union([other.bbox for other in there]), word.bbox) < SAME_PLACE:
        return [word]
    text = "".join(other.text for other in there)
    if (not letter_runs(text) or any(is_unknown(other.text, lexicon) for other in there)
            or Levenshtein.distance(word.text, text) > MAX_CHANGE * max(len(word.text), len(text))):
        return [word]
    return there

