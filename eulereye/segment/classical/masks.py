"""Ink masks and rules of the classical segmenter: the ink mask of the working copy (Otsu;
none for a blank page), the body text size, printed rules (long thin straight ink runs, found
on the full-resolution page and on the working copy), and the ink that is no text: specks,
frames and scan borders.

``RULE_LENGTH`` and the sizes after it are multiples of the body text size (the median letter
height in working pixels), so the method does not depend on the scan resolution.
"""

from __future__ import annotations

import cv2
import numpy as np

from eulereye.ink import MIN_CONTRAST, horizontal_rules, letter_height, otsu_ink, vertical_rules
from eulereye.model import BBox

COLUMN_RULE_LENGTH = 0.025  # share of the page height: a printed column rule is this long ...
COLUMN_RULE_WIDTH = 0.003  # ... and this thin (share of the page width), found at full resolution
MIN_TEXT_SIZE = 4.0  # working pixels; smaller estimated letters are clamped up to this
RULE_LENGTH = 8.0  # a rule is a straight ink run at least this long ...
RULE_THICKNESS = 0.6  # ... and at most this thick
SPECK = 0.35  # ink components smaller than this in both directions are noise
PICTURE_SIZE = 4.0  # ink shapes taller than this are a picture unless they form a text row
PICTURE_INK = 0.1  # ... and cover at least this share of their box (else: a frame, dropped)
BORDER_ELONGATION = 8  # tall shapes more elongated than this are scan borders, not pictures


def page_rules(gray: np.ndarray, letter: float) -> tuple[list[BBox], list[BBox]]:
    """The printed vertical and horizontal rules of the full-resolution page (``letter``: its
    body text size in pixels). Found before downscaling: a hairline rule of a 150 dpi
    microfilm scan is one grey pixel wide, which the working copy blurs away; then a section
    runs across two columns, or a band across the page is not seen to end. A rule is long for
    the page and for its type: the stroke of a big letter on a small page is no rule."""
    height, width = gray.shape
    length = round(max(COLUMN_RULE_LENGTH * height, RULE_LENGTH * letter))
    thickness = max(3.0, COLUMN_RULE_WIDTH * width)
    return vertical_rules(gray, length, thickness), horizontal_rules(gray, length, thickness)


def body_size(ink: np.ndarray) -> float:
    """The body text size of an ink mask: its letters' median height (``_text_size``)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return _text_size(stats[1:])


def ink_mask(small: np.ndarray) -> np.ndarray | None:
    """255 where there is ink; None for a blank page (no clear paper/ink contrast)."""
    ink = otsu_ink(small)
    dark = small[ink > 0]
    light = small[ink == 0]
    if dark.size == 0 or light.size == 0:
        return None
    if float(np.median(light)) - float(np.median(dark)) < MIN_CONTRAST:
        return None
    return ink


def _text_size(stats: np.ndarray) -> float:
    """The body text size: the letters' median height, at least ``MIN_TEXT_SIZE``."""
    return max(MIN_TEXT_SIZE, letter_height(stats) or MIN_TEXT_SIZE)


def kernel(width: float, height: float) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, round(width)), max(1, round(height))))


def find_rules(ink: np.ndarray, size: float, page_rules: list[BBox]) -> tuple[np.ndarray, list[BBox]]:
    """Mask and boxes of long thin straight ink runs, horizontal and vertical, with the
    ``page_rules`` found at full resolution."""
    length, thickness = RULE_LENGTH * size, max(2.0, RULE_THICKNESS * size)
    mask = np.zeros_like(ink)
    boxes: list[BBox] = []
    for horizontal in (True, False):
        line = kernel(length, 1) if horizontal else kernel(1, length)
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, line)
        _, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        long_side = stats[:, cv2.CC_STAT_WIDTH if horizontal else cv2.CC_STAT_HEIGHT]
        # Mean thickness, not the box's: a slightly tilted rule has a tall box.
        mean_thickness = stats[:, cv2.CC_STAT_AREA] / np.maximum(long_side, 1)
        keep = (long_side >= length) & (mean_thickness <= thickness)
        keep[0] = False
        mask[keep[labels]] = 255
        boxes += [_stat_box(row) for row in stats[keep]]
    reach = round(size)  # a rule broken for a line (worn, or a line set across it) goes on
    for x0, y0, x1, y1 in page_rules:
        if y1 - y0 < x1 - x0:
            mask[y0:y1, max(0, x0 - reach):x1 + reach] = 255
        elif x1 - x0 > thickness + 2:
            reached = (x0, max(0, y0 - reach), x1, min(mask.shape[0], y1 + reach))
            _trace_crooked_rule(mask, ink, reached, size, thickness)
        else:
            mask[max(0, y0 - reach):y1 + reach, x0:x1] = 255
    return cv2.dilate(mask, kernel(3, 3)), boxes + list(page_rules)


def _trace_crooked_rule(mask: np.ndarray, ink: np.ndarray, box: BBox, size: float, thickness: float) -> None:
    """Mark in ``mask`` a vertical rule whose box is wider than a rule: one bent or tilted on
    the film, its box taking in the ends of the lines beside it. The rule is traced row by row
    (the tall ink runs in the box; across a gap, the line between its ends) and only that
    marked, so those lines keep their last letters."""
    x0, y0, x1, y1 = box
    runs = cv2.morphologyEx(ink[y0:y1, x0:x1], cv2.MORPH_OPEN, kernel(1, 2 * size)) > 0
    counts = runs.sum(axis=1)
    seen = np.flatnonzero(counts)
    if seen.size == 0:  # too faint on the working copy to trace: the whole box
        mask[y0:y1, x0:x1] = 255
        return
    centres = (runs[seen] @ np.arange(x1 - x0)) / counts[seen]
    middle = np.interp(np.arange(y1 - y0), seen, centres)
    band = np.abs(np.arange(x1 - x0)[None, :] - middle[:, None]) <= thickness / 2
    # The rule's own ink with its blurred edges, which would otherwise join the lines beside it.
    edges = cv2.dilate(runs.astype(np.uint8), kernel(5, 1)) > 0
    mask[y0:y1, x0:x1][band | edges] = 255


def _stat_box(row: np.ndarray) -> BBox:
    x, y, w, h = (int(v) for v in row[:4])
    return (x, y, x + w, y + h)


def drop_specks(ink: np.ndarray, size: float) -> np.ndarray:
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    speck = SPECK * size
    small = (stats[:, cv2.CC_STAT_WIDTH] < speck) & (stats[:, cv2.CC_STAT_HEIGHT] < speck)
    small[0] = True
    return np.where(small[labels], 0, ink).astype(np.uint8)


def drop_frames(ink: np.ndarray, size: float) -> np.ndarray:
    """Without the ink shapes that are frames or scan borders (``is_frame``). Dropped before
    lines are smeared: a torn page edge or a frame touching the ends of a column's lines
    would otherwise join them into one frame-like fragment, and the column would be lost."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    frame = (h > PICTURE_SIZE * size) & is_frame(stats[:, cv2.CC_STAT_AREA], w, h)
    frame[0] = False
    return np.where(frame[labels], 0, ink).astype(np.uint8)


def is_frame(ink: np.ndarray, width: np.ndarray, height: np.ndarray) -> np.ndarray:
    """Whether tall shapes with this much ink in boxes this size are frames or scan borders
    (sparse, or very elongated): structure, not content."""
    return (ink < PICTURE_INK * width * height) | (np.maximum(width, height) > BORDER_ELONGATION * np.minimum(width, height))
