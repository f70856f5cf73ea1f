"""Tesseract engine: each region is cropped and read on its own, regions in parallel.

Why per region: Tesseract's own layout analysis sometimes reads straight across newspaper
columns; a crop of one column block cannot be misread that way, and crops are independent so
they spread over the cores. Each worker process keeps one Tesseract instance (model loaded
once) and runs it single-threaded: OpenMP threads inside Tesseract cost more than they give
when the processes already fill the cores (a page took 210 s multi-threaded, 71 s single).

A crop with words Tesseract's lexicon does not know is read a second time, its rows holding
them only, with thinner strokes, and those words take the second reading where it is a known
word (``lexicon``).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from dataclasses import dataclass

import cv2
import numpy as np

from eulereye.ink import letter_height, otsu_ink
from eulereye.model import BBox, Line, Region, Word
from eulereye.ocr import lexicon

# White margin around each crop: Tesseract finds text touching the image edge less reliably.
CROP_MARGIN = 12
# Page segmentation mode for a crop: one column of text that may vary in size (PSM 4) keeps
# paragraphs and headlines of a block in order without Tesseract's full page layout analysis.
PSM_SINGLE_COLUMN = 4
# Tesseract reads best when letters are about this tall (pixels, median letter height); the
# crops of a page with smaller type (a 150 dpi microfilm scan) are scaled up to it, by at most
# MAX_UPSCALE (docs/accuracy.md has the measurements).
TARGET_LETTER = 16
MAX_UPSCALE = 3.0
# Tesseract's binarisation (thresholding_method): Otsu's. Sauvola recovered 1% more words on
# the microfilm pages but read the bundled samples and two book pages worse (docs/accuracy.md).
OTSU = 0
# A line at most this share of the crop's typical line height, touching its top or bottom
# (within EDGE_TOUCH pixels), is cut by the crop: half of a neighbouring section's line.
CUT_LINE = 0.7
EDGE_TOUCH = 2
# ... unless Tesseract is this sure of its words (mean confidence) and no other crop reads the
# line: then it is the section's own, short beside a headline or cut by a tear.
SURE_CUT_LINE = 70
# Stained paper: Tesseract's Otsu threshold turns a stain as dark as the letters on it into
# one black patch, and reads none of its lines (a stain across a passenger list on the Beaver
# page). A body text section whose paper varies by more than PAPER_SPREAD grey levels is read
# with its paper evened out; the paper is found by closing over PAPER_CLOSE letter heights.
# Only body text: a headline's letters are taller than the page's and would be taken for paper.
PAPER_SPREAD = 25
PAPER_CLOSE = 1.5
# The second look at words the lexicon does not know shows the crop with strokes this much
# thinner (a grey dilation: the paper grows into the ink by a pixel).
THINNER = np.ones((2, 2), np.uint8)
_api = None  # this process's Tesseract instance
_api_settings = None  # (lang, thresholding) it was made with
_lexicon: frozenset[str] | None = None  # its language's words (lexicon.for_language)


@dataclass(frozen=True)
class Recognition:
    """How crops are shown to Tesseract."""

    target_letter: int = TARGET_LETTER  # 0: never scale
    thresholding: int = OTSU  # Tesseract's thresholding_method: 0 Otsu, 1 local Otsu, 2 Sauvola
    text_psm: int = PSM_SINGLE_COLUMN
    margin: int = CROP_MARGIN
    paper_spread: int = PAPER_SPREAD  # 0: never even the paper

    def scale_for(self, letter: float | None) -> float:
        """The factor a page's crops are scaled by, from its median ``letter`` height (see
        ``page_letter_height``): up to ``target_letter``, in quarter steps (1.0 for pages
        with large enough type)."""
        if not self.target_letter or not letter or letter >= self.target_letter:
            return 1.0
        return min(MAX_UPSCALE, round(4 * self.target_letter / letter) / 4)


def page_letter_height(gray: np.ndarray) -> float | None:
    """Median letter height of a page, in pixels (None: no letters found)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(otsu_ink(gray), connectivity=8)
    return letter_height(stats[1:])


def evened_paper(crop: np.ndarray, letter: float, spread: int) -> np.ndarray:
    """``crop`` divided by its paper's brightness when that varies by more than ``spread``
    grey levels across it (a stain), else ``crop`` itself. The paper is the crop closed over
    its letters (``letter`` high) and smoothed: stained paper turns white, letters stay dark."""
    size = 2 * round(PAPER_CLOSE * letter / 2) + 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    paper = cv2.blur(cv2.morphologyEx(crop, cv2.MORPH_CLOSE, kernel), (size, size))
    darkest, lightest = np.percentile(paper, [5, 95])
    if lightest - darkest <= spread:
        return crop
    return np.clip(crop.astype(np.float32) * 255 / np.maximum(paper, 1), 0, 255).astype(np.uint8)


def tessdata_path() -> str | None:
    """Where the language models are: TESSDATA_PREFIX, else the usual Debian/Ubuntu folders."""
    for candidate in (os.environ.get("TESSDATA_PREFIX"), "/usr/share/tesseract-ocr/5/tessdata",
                      "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata"):
        if candidate and os.path.isdir(candidate):
            return candidate
    return None


def _init_worker(lang: str, thresholding: int = OTSU) -> None:
    global _api, _api_settings, _lexicon
    os.environ["OMP_THREAD_LIMIT"] = "1"  # before libtesseract starts its thread pool
    import tesserocr

    _api = tesserocr.PyTessBaseAPI(path=tessdata_path() or "", lang=lang, psm=PSM_SINGLE_COLUMN)
    _api.SetVariable("thresholding_method", str(thresholding))
    _api_settings = (lang, thresholding)
    _lexicon = lexicon.for_language(lang, tessdata_path() or "")


def _ready(_: int) -> bool:
    return _api is not None


def _read_crop(crop: np.ndarray, offset: tuple[int, int], scale: float, psm: int, margin: int,
               even: tuple[float, int] | None = None) -> list[Line]:
    """Recognise one crop, shown to Tesseract ``scale`` times larger with a white ``margin``,
    its paper evened out when ``even`` (letter height, spread: ``evened_paper``) is given;
    boxes in page pixels (``offset``: the crop's top-left on the page). Words the lexicon does
    not know get a second look: their rows read again with thinner strokes (``lexicon``)."""
    if even:
        crop = evened_paper(crop, *even)
    shown = _shown(crop, scale, margin)
    lines = _recognise(shown, psm)
    bands = lexicon.rows_to_read_again(lines, shown.shape[0], _lexicon) if _lexicon else []
    if bands:
        thinner = _shown(cv2.dilate(crop, THINNER), scale, margin)
        second = _recognise(_only_bands(thinner, bands), psm)
        lines = lexicon.prefer_known(lines, [word for line in second for word in line.words], _lexicon)
    return [Line([_on_page(word, offset, scale, margin) for word in line.words]) for line in lines]


def _only_bands(image: np.ndarray, bands: list[tuple[int, int]]) -> np.ndarray:
    """``image`` with everything outside the row ``bands`` painted its paper's grey (its
    median), so Tesseract reads only those rows at the places they have. Paper, not white:
    white beside grey paper would put the Otsu threshold between them and turn paper to ink."""
    kept = np.full_like(image, int(np.median(image)))
    for top, bottom in bands:
        kept[top:bottom] = image[top:bottom]
    return kept


def _shown(crop: np.ndarray, scale: float, margin: int) -> np.ndarray:
    if scale != 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return np.pad(crop, margin, constant_values=255)


def _recognise(image: np.ndarray, psm: int) -> list[Line]:
    """Tesseract's lines of words in ``image``, boxes in its pixels."""
    import tesserocr
    from PIL import Image

    _api.SetPageSegMode(psm)
    _api.SetImage(Image.fromarray(image))
    _api.Recognize()
    lines: list[Line] = []
    iterator = _api.GetIterator()
    level = tesserocr.RIL.WORD
    if iterator is None:
        return lines
    for word in tesserocr.iterate_level(iterator, level):
        if word.Empty(level):  # GetUTF8Text raises on an empty element
            continue
        text = word.GetUTF8Text(level).strip()
        box = word.BoundingBox(level)
        if not text or box is None:
            continue
        if not lines or word.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            lines.append(Line([]))
        lines[-1].words.append(Word(text, round(word.Confidence(level), 2), box))
    return [line for line in lines if line.words]


def _on_page(word: Word, offset: tuple[int, int], scale: float, margin: int) -> Word:
    x0, y0, x1, y1 = ((v - margin) / scale for v in word.bbox)
    return Word(word.text, word.confidence, (offset[0] + math.floor(x0), offset[1] + math.floor(y0),
                                             offset[0] + math.ceil(x1), offset[1] + math.ceil(y1)))


def _cut_lines(lines: list[Line], box: BBox) -> list[bool]:
    """Which of a crop's ``lines`` its top or bottom edge cuts through (``box``: the crop on
    the page): lower than ``CUT_LINE`` of the crop's typical line and touching that edge."""
    if len(lines) < 2:
        return [False] * len(lines)
    heights = sorted(line.bbox[3] - line.bbox[1] for line in lines)
    typical = heights[len(heights) // 2]
    top, bottom = box[1] + EDGE_TOUCH, box[3] - EDGE_TOUCH
    return [y1 - y0 < CUT_LINE * typical and (y0 <= top or y1 >= bottom)
            for _, y0, _, y1 in (line.bbox for line in lines)]


def without_cut_lines(read: list[list[Line]], boxes: list[BBox]) -> list[list[Line]]:
    """Each crop's lines without those its edge cuts through (``_cut_lines``): the half of a
    neighbouring section's line that the section's box took in, read whole there, or garbage.
    A cut line Tesseract is sure of (``SURE_CUT_LINE``) that no other crop reads whole stays:
    a body line beside a headline in one section, or a line set across a tear."""
    cut = [_cut_lines(lines, box) for lines, box in zip(read, boxes)]
    whole = [(i, line.bbox) for i, lines in enumerate(read) for line, c in zip(lines, cut[i]) if not c]

    def read_elsewhere(i: int, line: Line) -> bool:
        x0, y0, x1, y1 = line.bbox
        return any(j != i and min(x1, b[2]) - max(x0, b[0]) > (x1 - x0) / 2 and min(y1, b[3]) > max(y0, b[1])
                   for j, b in whole)

    def unsure(line: Line) -> bool:
        return sum(w.confidence for w in line.words) < SURE_CUT_LINE * len(line.words)

    return [[line for line, c in zip(lines, cut[i]) if not c or not (unsure(line) or read_elsewhere(i, line))]
            for i, lines in enumerate(read)]


class TesseractEngine:
    name = "tesseract"

    def __init__(self, lang: str = "eng", jobs: int = 1, **recognition):
        self.lang = lang
        self.jobs = max(1, jobs)
        self.recognition = Recognition(**recognition)
        self._check_lang()
        lexicon.for_language(lang, tessdata_path() or "")  # unpacked once, before the workers fork
        self._pool = self._start_pool() if self.jobs > 1 else None

    def _check_lang(self) -> None:
        import tesserocr

        available = set(tesserocr.get_languages(tessdata_path() or "")[1])
        missing = [part for part in self.lang.split("+") if part not in available]
        if missing:
            raise ValueError(f"Tesseract language model(s) {', '.join(missing)} not installed "
                             f"(have: {', '.join(sorted(available)) or 'none'}); install e.g. "
                             f"tesseract-ocr-{missing[0].lower()} or set TESSDATA_PREFIX")

    def version(self) -> str:
        import tesserocr

        return tesserocr.tesseract_version().split()[1]

    def read_regions(self, gray: np.ndarray, regions: list[Region], page_name: str) -> list[list[Line]]:
        how = self.recognition
        letter = page_letter_height(gray)
        scale = how.scale_for(letter)
        even = (letter, how.paper_spread) if letter and how.paper_spread else None
        crops = [(gray[y0:y1, x0:x1], (x0, y0), scale, how.text_psm, how.margin,
                  even if r.kind == "text" else None)
                 for r in regions for x0, y0, x1, y1 in [r.bbox]]
        if self.jobs == 1:
            if _api_settings != (self.lang, how.thresholding):
                _init_worker(self.lang, how.thresholding)
            read = [_read_crop(*crop) for crop in crops]
        else:
            # Biggest crops first so no core idles at the end waiting on one long column.
            by_size = sorted(range(len(crops)), key=lambda i: -crops[i][0].size)
            futures = {i: self._pool.submit(_read_crop, *crops[i]) for i in by_size}
            read = [futures[i].result() for i in range(len(crops))]
        return without_cut_lines(read, [r.bbox for r in regions])

    def _start_pool(self) -> ProcessPoolExecutor:
        """Start the OCR processes now, each loading its model: the pipeline builds the engine
        before anything starts threads (torch, boto3), so forking is safe and the first page
        finds the models loaded."""
        pool = ProcessPoolExecutor(self.jobs, mp_context=get_context("fork"),
                                   initializer=_init_worker,
                                   initargs=(self.lang, self.recognition.thresholding))
        list(pool.map(_ready, range(self.jobs)))
        return pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
