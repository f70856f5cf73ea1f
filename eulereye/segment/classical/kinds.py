"""Region kinds of the classical segmenter: masthead (very large type near the top), headline
(larger than body text), rule (a flat, long block with hardly any letters), illustration
(large ink shapes that are not rows of letters), text; the words drawn inside a picture,
which are no text sections; and the "pictures" that are lines of letters seen closer.

Lengths are multiples of the body text size (``masks.body_size``).
"""

from __future__ import annotations

import cv2
import numpy as np

from eulereye.ink import otsu_ink
from eulereye.model import BBox, Region, area, inside
from eulereye.segment.classical.fragments import Fragment, block_box, is_picture
from eulereye.segment.classical.masks import RULE_LENGTH

HEADLINE_SIZE = 1.45  # text this much larger than the body is a headline ...
MASTHEAD_SIZE = 3.0  # ... and this much larger, near the top of the page, the masthead
MASTHEAD_ZONE = 0.15  # share of the page height from the top where a masthead may be
FLAT_RULE = 3.0  # a block this flat and a rule long is a (thick) rule ...
RULE_LETTER_SPACING = 4.0  # ... when it has less than a letter per this width
DRAWING_SHARE = 0.25  # pictures up to this share of the page hold no text sections of their own
# A picture whose ink, seen at full resolution, is at least LETTERED_INK letters (LETTER_SIZES
# page letter heights tall, at most three times as wide) and holds SET_LETTERS of them is text.
LETTERED_INK = 0.5
LETTER_SIZES = (0.5, 2.0)
SET_LETTERS = 30


def block_kinds(blocks: list[list[Fragment]], body: float, shape: tuple[int, int]) -> list[str]:
    """Kind of each block. The masthead is the topmost row of very large type near the top
    of the page (all blocks of that row: a title split around a picture stays a masthead)."""
    kinds = [_kind(block, body) for block in blocks]
    boxes = [block_box(block) for block in blocks]
    giants = [
        box for box, kind, block in zip(boxes, kinds, blocks)
        if kind == "headline" and _type_size(block) >= MASTHEAD_SIZE * body
        and box[1] < MASTHEAD_ZONE * shape[0]
    ]
    if not giants:
        return kinds
    top_row = min(giants, key=lambda box: box[1])
    return [
        "masthead" if box in giants and min(box[3], top_row[3]) > max(box[1], top_row[1]) else kind
        for box, kind in zip(boxes, kinds)
    ]


def _is_rule(block: list[Fragment], body: float) -> bool:
    """A flat, long block with hardly any letters in it: a thick or wavy horizontal rule (too
    thick for ``find_rules``, e.g. the heavy rule under a date line), not a line of text."""
    x0, y0, x1, y1 = block_box(block)
    letters = sum(f.letters for f in block)
    return y1 - y0 <= FLAT_RULE * body and x1 - x0 >= RULE_LENGTH * body \
        and letters * RULE_LETTER_SPACING * body < x1 - x0


def _type_size(block: list[Fragment]) -> float:
    """Median letter height of a block, each fragment weighted by its letters."""
    return float(np.median([f.size for f in block for _ in range(max(1, f.letters))]))


def _kind(block: list[Fragment], body: float) -> str:
    if is_picture(block):
        return "illustration"
    if _is_rule(block, body):
        return "rule"
    return "headline" if _type_size(block) >= HEADLINE_SIZE * body else "text"


def drop_drawn_words(boxes: list[tuple[BBox, str]], shape: tuple[int, int]) -> list[tuple[BBox, str]]:
    """Without the text blocks lying inside a picture: the labels drawn into a cartoon, or its
    hatching taken for letters, read as garbage. A caption stands beside its picture. A
    "picture" taking much of the page is a dark scan edge or a frame around the text, not a
    drawing: what lies inside it is kept."""
    pictures = [box for box, kind in boxes if _is_drawing(box, kind, shape)]
    return [(box, kind) for box, kind in boxes
            if kind == "illustration" or not any(inside(box, picture) for picture in pictures)]


def _is_drawing(box: BBox, kind: str, shape: tuple[int, int]) -> bool:
    """Whether a region is a picture in the page, not a "picture" taking much of the page (a
    dark scan edge or a frame around the text, whose lines are sections of their own)."""
    return kind == "illustration" and area(box) <= DRAWING_SHARE * shape[0] * shape[1]


def lettered_pictures_as_text(gray: np.ndarray, regions: list[Region], letter: float) -> list[Region]:
    """``regions`` with each picture that is mostly letters at full resolution taken for text
    (``gray``: the page; ``letter``: its body letter height in its pixels). At the working
    resolution the bold lines of an advertisement set around a small cut or inside an
    ornamental border touch each other and form tall shapes, so the whole advertisement looked
    like a picture and went unread (an ad for flags on the 1862 Evening Star, an advocate's
    notice in Der Pionier)."""

    def lettered(region: Region) -> bool:
        x0, y0, x1, y1 = region.bbox
        return _is_drawing(region.bbox, region.kind, gray.shape) and _mostly_letters(gray[y0:y1, x0:x1], letter)

    return [Region(r.bbox, "text") if lettered(r) else r for r in regions]


def _mostly_letters(crop: np.ndarray, letter: float) -> bool:
    """Whether ``LETTERED_INK`` of the ink of ``crop`` is letters, ``SET_LETTERS`` or more."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(otsu_ink(crop), connectivity=8)
    heights, widths, ink = (stats[1:, c] for c in (cv2.CC_STAT_HEIGHT, cv2.CC_STAT_WIDTH, cv2.CC_STAT_AREA))
    letters = (heights >= LETTER_SIZES[0] * letter) & (heights <= LETTER_SIZES[1] * letter) & (widths <= 3 * heights)
    return int(letters.sum()) >= SET_LETTERS and ink[letters].sum() >= LETTERED_INK * ink.sum()
