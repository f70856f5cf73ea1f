"""The classical segmenter itself: ``ClassicalSegmenter`` works on a copy downscaled to about
``WORK_WIDTH`` pixels wide and maps the boxes back; ``analyse`` wires the steps (see the
package docstring) on that copy's ink mask and tidies the boxes (edge slivers dropped, boxes
lying on a larger one taken into it, a margin of paper around each).

Lengths are multiples of the body text size (``masks.body_size``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from eulereye.ink import downscale
from eulereye.model import BBox, Region, nested_groups, union
from eulereye.segment.classical.blocks import join_blocks
from eulereye.segment.classical.columns import MIN_COLUMN, split_at_rules, split_wide_blocks
from eulereye.segment.classical.fragments import block_box, is_picture, line_fragments
from eulereye.segment.classical.gutters import Cuts, flanked_strips, paper_strips
from eulereye.segment.classical.kinds import block_kinds, drop_drawn_words, lettered_pictures_as_text
from eulereye.segment.classical.masks import body_size, drop_frames, drop_specks, find_rules, ink_mask, page_rules
from eulereye.segment.order import order_regions

WORK_WIDTH = 1600  # pixels: enough for 8-10 px body letters on a 7-column page
MIN_LETTERS = 2  # blocks with fewer letter-sized shapes are noise
BOX_PAD = 0.3  # margin around each region, less than any gutter
OVERLAPPING = 0.5  # a text box with this share of its area on a larger one is part of it


class ClassicalSegmenter:
    name = "classical"

    def segment(self, gray: np.ndarray) -> list[Region]:
        """Regions of ``gray`` (HxW uint8, dark text on light paper) in reading order."""
        if gray.ndim != 2 or min(gray.shape) < 8:
            return []
        scale = min(1.0, WORK_WIDTH / gray.shape[1])
        small = gray if scale == 1.0 else downscale(gray, scale)
        ink = ink_mask(small)
        if ink is None:
            return []
        height, width = gray.shape
        size = body_size(ink)
        vertical, horizontal = page_rules(gray, size / scale)
        layout = analyse(ink, size, [_to_work(b, scale) for b in vertical], [_to_work(b, scale) for b in horizontal])
        regions = [
            Region(_to_page(r.bbox, scale, width, height), r.kind) for r in layout.regions
        ]
        regions = lettered_pictures_as_text(gray, regions, size / scale)
        rules = [_to_page(b, scale, width, height) for b in layout.rules]
        return order_regions(regions, width, height, rules)


@dataclass
class Layout:
    regions: list[Region]  # working pixels, not yet ordered
    rules: list[BBox]


def analyse(ink: np.ndarray, size: float, columns: list[BBox] = (), bands: list[BBox] = ()) -> Layout:
    """Find the regions and rules of an ink mask (uint8, 255 = ink) in its own pixels;
    ``size``: its body text size (``body_size``); ``columns`` and ``bands``: vertical and horizontal rules found on the full-resolution
    page (in these pixels)."""
    rules_mask, rules = find_rules(ink, size, [*columns, *bands])
    text_ink = drop_frames(drop_specks(cv2.subtract(ink, rules_mask), size), size)
    if not text_ink.any():
        return Layout([], rules)
    strips = paper_strips(text_ink, size)
    text_ink = cv2.subtract(text_ink, strips)  # what is left there: pieces of a faded rule
    # Lines are cut only at gutters; stacked lines keep apart at any paper strip (a short
    # line beside another on one row: a signature beside a place name).
    cuts = cv2.bitwise_or(flanked_strips(strips, text_ink, size), rules_mask)
    strips = cv2.bitwise_or(strips, rules_mask)
    fragments = line_fragments(text_ink, cuts, size)
    content = [f for f in fragments if f.picture or (f.letters > 0 and not f.frame)]
    blocks = join_blocks(content, text_ink, Cuts(cuts > 0, strips > 0, rules_mask > 0), size)
    blocks = [b for b in blocks if is_picture(b) or sum(f.letters for f in b) >= MIN_LETTERS]
    kinds = block_kinds(blocks, size, ink.shape)
    boxes = split_wide_blocks([block_box(b) for b in blocks], kinds, strips, text_ink, rules_mask, size)
    boxes = split_at_rules(boxes, columns, text_ink, rules_mask, size)
    boxes = [(box, kind) for box, kind in boxes if not _edge_sliver(box, ink.shape[1], size)]
    boxes = drop_drawn_words(boxes, ink.shape)
    boxes = absorb_overlapping(boxes)
    padded = _padded([box for box, _ in boxes], size, ink.shape)
    regions = [Region(box, kind) for box, (_, kind) in zip(padded, boxes)]
    return Layout(regions, rules)


def _edge_sliver(box: BBox, width: int, size: float) -> bool:
    """Whether ``box`` is a sliver at the left or right edge of the scan, narrower than a
    column: the cut-off lines of the facing page, or dirt on the scanner's edge. Neither can
    be read."""
    at_edge = box[0] <= size or box[2] >= width - size
    return at_edge and box[2] - box[0] < MIN_COLUMN * size


def absorb_overlapping(boxes: list[tuple[BBox, str]]) -> list[tuple[BBox, str]]:
    """Text boxes lying largely (``OVERLAPPING``) inside a larger text box taken into it.
    Splitting blocks on the column grid and at rules can leave a piece over its neighbour
    where the columns shift at a tear; OCR'd apart, the words of both would be read twice."""
    boxes_only = [box for box, _ in boxes]
    groups = nested_groups(boxes_only, [kind == "text" for _, kind in boxes], OVERLAPPING)
    return [(union([boxes_only[i] for i in group]), boxes[group[0]][1]) for group in groups]


def _padded(boxes: list[BBox], size: float, shape: tuple[int, int]) -> list[BBox]:
    """Each box with a margin of ``BOX_PAD`` letters (OCR wants some paper around text), but
    sideways never past the middle of the gap to a box beside it: in a narrow gutter the
    margin would take in the edge of the next column's letters."""
    pad = round(BOX_PAD * size)
    padded = []
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        left, right = max(0, x0 - pad), min(shape[1], x1 + pad)
        for j, other in enumerate(boxes):
            if j == i or min(y1, other[3]) <= max(y0, other[1]):
                continue  # not beside this box
            if x1 <= other[0]:
                right = min(right, max(x1, (x1 + other[0]) // 2))
            elif other[2] <= x0:
                left = max(left, min(x0, (other[2] + x0 + 1) // 2))
        padded.append((left, max(0, y0 - pad), right, min(shape[0], y1 + pad)))
    return padded


def _to_work(box: BBox, scale: float) -> BBox:
    """A full-resolution box in working pixels, at least one pixel wide and tall."""
    x0, y0, x1, y1 = (int(v * scale) for v in box)
    return (x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))


def _to_page(box: BBox, scale: float, width: int, height: int) -> BBox:
    x0, y0, x1, y1 = box
    return (
        max(0, int(x0 / scale)),
        max(0, int(y0 / scale)),
        min(width, int(np.ceil(x1 / scale))),
        min(height, int(np.ceil(y1 / scale))),
    )
