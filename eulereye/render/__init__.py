"""Overlays an archivist can check a page's segmentation with: sections outlined in a colour
per kind and numbered in reading order, optionally the OCR word boxes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from eulereye.model import BBox

# Colour per section kind (RGB); unknown kinds are drawn grey.
KIND_COLOURS = {
    "masthead": (148, 0, 211),
    "headline": (220, 20, 60),
    "text": (0, 90, 230),
    "illustration": (0, 150, 60),
    "advert": (230, 140, 0),
    "rule": (120, 120, 120),
}
FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSansCondensed-Bold.ttf"
WORD_COLOUR = (255, 170, 0)


def render_overlay(gray: np.ndarray, sections: Sequence[tuple[BBox, str]],
                   words: Sequence[BBox] = (), max_side: int = 3000) -> Image.Image:
    """The page (lightened, in colour) with ``sections`` (bbox, kind; in reading order)
    outlined and numbered from 1, and ``words`` boxed thinly. Scaled down to ``max_side``."""
    scale = min(1.0, max_side / max(gray.shape))
    page = Image.fromarray(gray).convert("RGB")
    if scale < 1.0:
        page = page.resize((round(page.width * scale), round(page.height * scale)), Image.LANCZOS)
    page = Image.blend(page, Image.new("RGB", page.size, "white"), 0.35)
    draw = ImageDraw.Draw(page, "RGBA")
    line = max(2, round(max(page.size) / 600))
    font = _font(max(14, round(max(page.size) / 90)))
    for box in words:
        draw.rectangle(_scaled(box, scale), outline=WORD_COLOUR + (200,), width=1)
    for number, (box, kind) in enumerate(sections, start=1):
        colour = KIND_COLOURS.get(kind, (100, 100, 100))
        x0, y0, x1, y1 = _scaled(box, scale)
        draw.rectangle((x0, y0, x1, y1), outline=colour + (255,), fill=colour + (28,), width=line)
        label = f"{number} {kind}"
        tx0, ty0, tx1, ty1 = draw.textbbox((x0 + line, y0 + line), label, font=font)
        draw.rectangle((tx0 - 2, ty0 - 2, tx1 + 2, ty1 + 2), fill=colour + (220,))
        draw.text((x0 + line, y0 + line), label, fill="white", font=font)
    return page


def _scaled(box: BBox, scale: float) -> tuple[int, int, int, int]:
    return tuple(round(v * scale) for v in box)


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(FONT_FILE), size)
    except OSError:
        return ImageFont.load_default(size)
