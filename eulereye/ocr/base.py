"""The OCR engine interface.

An engine reads the text of a page's regions. It gets the whole (straightened) page and the
regions, so it can choose how to call its backend: Tesseract crops each region and reads the
crops in parallel; Textract makes one call for the page and assigns words to regions by
geometry. Returned boxes are in the page image's pixels.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from eulereye.model import Line, Region

ENGINES = ("tesseract", "textract")


class OcrEngine(Protocol):
    name: str

    def read_regions(self, gray: np.ndarray, regions: list[Region], page_name: str) -> list[list[Line]]:
        """The lines of each region, in the order the regions are given; lines in reading order."""
        ...

    def version(self) -> str:
        """The backend's version, recorded in each page's manifest."""
        ...


def get_engine(name: str, *, lang: str = "eng", jobs: int = 1, replay_dir: str | None = None,
               raw_store=None) -> OcrEngine:
    if name == "tesseract":
        from eulereye.ocr.tesseract import TesseractEngine

        return TesseractEngine(lang=lang, jobs=jobs)
    if name == "textract":
        from eulereye.ocr.textract import TextractEngine

        return TextractEngine(replay_dir=replay_dir, raw_store=raw_store)
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
