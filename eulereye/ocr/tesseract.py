"""Tesseract engine: each region is cropped and read on its own, regions in parallel.

Why per region: Tesseract's own layout analysis sometimes reads straight across newspaper
columns; a crop of one column block cannot be misread that way, and crops are independent so
they spread over the cores. Each worker process keeps one Tesseract instance (model loaded
once) and runs it single-threaded: OpenMP threads inside Tesseract cost more than they give
when the processes already fill the cores (a page took 210 s multi-threaded, 71 s single).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np

from eulereye.model import Line, Region, Word

# White margin around each crop: Tesseract finds text touching the image edge less reliably.
CROP_MARGIN = 12
# Page segmentation mode for a crop: one column of text that may vary in size (PSM 4) keeps
# paragraphs and headlines of a block in order without Tesseract's full page layout analysis.
PSM_SINGLE_COLUMN = 4
_api = None  # this process's Tesseract instance


def tessdata_path() -> str | None:
    """Where the language models are: TESSDATA_PREFIX, else the usual Debian/Ubuntu folders."""
    for candidate in (os.environ.get("TESSDATA_PREFIX"), "/usr/share/tesseract-ocr/5/tessdata",
                      "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata"):
        if candidate and os.path.isdir(candidate):
            return candidate
    return None


def _init_worker(lang: str) -> None:
    global _api
    os.environ["OMP_THREAD_LIMIT"] = "1"  # before libtesseract starts its thread pool
    import tesserocr

    _api = tesserocr.PyTessBaseAPI(path=tessdata_path() or "", lang=lang, psm=PSM_SINGLE_COLUMN)


def _ready(_: int) -> bool:
    return _api is not None


def _read_crop(crop: np.ndarray, offset: tuple[int, int]) -> list[Line]:
    """Recognise one crop; boxes shifted by ``offset`` (the crop's top-left on the page)."""
    import tesserocr
    from PIL import Image

    padded = np.pad(crop, CROP_MARGIN, constant_values=255)
    _api.SetImage(Image.fromarray(padded))
    _api.Recognize()
    dx, dy = offset[0] - CROP_MARGIN, offset[1] - CROP_MARGIN
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
        x0, y0, x1, y1 = box
        lines[-1].words.append(Word(text, round(word.Confidence(level), 2),
                                    (x0 + dx, y0 + dy, x1 + dx, y1 + dy)))
    return [line for line in lines if line.words]


class TesseractEngine:
    name = "tesseract"

    def __init__(self, lang: str = "eng", jobs: int = 1):
        self.lang = lang
        self.jobs = max(1, jobs)
        self._check_lang()
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
        crops = [(gray[y0:y1, x0:x1], (x0, y0)) for x0, y0, x1, y1 in (r.bbox for r in regions)]
        if self.jobs == 1:
            if _api is None:
                _init_worker(self.lang)
            return [_read_crop(crop, offset) for crop, offset in crops]
        pool = self._pool
        # Biggest crops first so no core idles at the end waiting on one long column.
        by_size = sorted(range(len(crops)), key=lambda i: -crops[i][0].size)
        futures = {i: pool.submit(_read_crop, *crops[i]) for i in by_size}
        return [futures[i].result() for i in range(len(crops))]

    def _start_pool(self) -> ProcessPoolExecutor:
        """Start the OCR processes now, each loading its model: the pipeline builds the engine
        before anything starts threads (torch, boto3), so forking is safe and the first page
        finds the models loaded."""
        pool = ProcessPoolExecutor(self.jobs, mp_context=get_context("fork"),
                                   initializer=_init_worker, initargs=(self.lang,))
        list(pool.map(_ready, range(self.jobs)))
        return pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
