"""Reading a page's outputs back: the ``sections/<name>.json`` and ``ocr_coords/<name>.json``
files that ``eulereye.outputs.writers`` wrote, for the commands that draw or score them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from eulereye.model import BBox


@dataclass(frozen=True)
class SectionRecord:
    """A section as ``sections/<name>.json`` holds it (and as the evaluation scores it)."""

    bbox: BBox
    kind: str
    text: str = ""


def read_sections(path: Path) -> list[SectionRecord]:
    """The sections of one page from ``sections/<name>.json``, in reading order."""
    data = sorted(json.loads(path.read_text()), key=lambda s: s.get("order", 0))
    return [SectionRecord(tuple(s["bbox"]), s.get("kind", "text"), s.get("text", "")) for s in data]


def read_word_boxes(path: Path) -> list[BBox]:
    """The box of every word of one page from ``ocr_coords/<name>.json``, in reading order."""
    return [(w["x_min"], w["y_min"], w["x_max"], w["y_max"]) for w in json.loads(path.read_text())]
