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
TEXTRACT_MODES = ("page", "section")  # one Textract call per page, or per section


class OcrEngine(Protocol):
    name: str

    def read_regions(self, gray: np.ndarray, regions: list[Region], page_name: str) -> list[list[Line]]:
        """The lines of each region, in the order the regions are given; lines in reading order."""
        ...

    def version(self) -> str:
        """The backend's version, recorded in each page's manifest."""
        ...


def get_engine(name: str, *, lang: str = "eng", ocr_processes: int = 1, replay_dir: str | None = None,
               raw_store=None, textract_mode: str = "page", rate_table: str = "",
               textract_tps: int = 0) -> OcrEngine:
    """``ocr_processes``: Tesseract processes reading one page's sections at once.
    ``rate_table``/``textract_tps``: the fleet-wide cap on Textract calls (none when unset)."""
    if name == "tesseract":
        from eulereye.ocr.tesseract import TesseractEngine

        return TesseractEngine(lang=lang, jobs=ocr_processes)
    if name == "textract":
        from eulereye.ocr.ratelimit import fleet_limiter
        from eulereye.ocr.textract import TextractEngine

        return TextractEngine(replay_dir=replay_dir, raw_store=raw_store,
                              per_section=textract_mode == "section",
                              rate_limiter=fleet_limiter(rate_table, textract_tps))
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
