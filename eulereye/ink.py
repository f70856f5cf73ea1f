"""Ink on paper, as deskew, the segmenters and Textract's tiling see it: a binarised page and
the size of its letters."""

from __future__ import annotations

import cv2
import numpy as np

RULE_SQUEEZE = 4  # rules are searched for on a copy this many times shorter along them
RULE_SIDE = 3  # pixels beside a rule that must be mostly paper
SIDE_INK = 0.4  # ... at most this share of them ink
MIN_CONTRAST = 40  # grey levels between paper and ink below which there is no text to find


def otsu_ink(gray: np.ndarray) -> np.ndarray:
    """255 where ``gray`` (dark text on light paper) has ink, by Otsu's threshold."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def downscale(gray: np.ndarray, scale: float) -> np.ndarray:
    size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def letter_height(stats: np.ndarray) -> float | None:
    """Median height of the letter-like ink components among ``stats`` (rows of
    ``connectedComponentsWithStats``, background left out): not specks, rules or pictures.
    None when there are none."""
    heights = stats[:, cv2.CC_STAT_HEIGHT]
    widths = stats[:, cv2.CC_STAT_WIDTH]
    letters = heights[(heights >= 3) & (widths >= 2) & (widths <= 4 * heights) & (heights <= 60)]
    return float(np.median(letters)) if letters.size else None


def local_ink(gray: np.ndarray) -> np.ndarray:
    """255 where ``gray`` is darker than its neighbourhood: thin faint strokes (a grey hairline
    rule) count as ink, which a global threshold loses on a stained page."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 12)


def vertical_rules(gray: np.ndarray, min_length: int, max_width: float) -> list[tuple[int, int, int, int]]:
    """Boxes ``(x0, y0, x1, y1)`` of the thin vertical ink runs of ``gray`` at least
    ``min_length`` pixels long and at most ``max_width`` wide on average: printed column rules
    (and frames). A hairline is found where it is faint too (``local_ink``) and where the scan
    is slightly crooked (runs are bridged a pixel sideways). The page is squeezed vertically
    first (averaging): a rule keeps its width and darkness, letters shrink to dots, lines of
    text stay apart at their leading, and the search is ``RULE_SQUEEZE`` times faster."""
    height = gray.shape[0]
    squeezed = cv2.resize(gray, (gray.shape[1], max(1, height // RULE_SQUEEZE)), interpolation=cv2.INTER_AREA)
    boxes = _runs(local_ink(squeezed), height / squeezed.shape[0], min_length, max_width)
    solid = otsu_ink(gray) > 0
    return [box for box in boxes if _paper_beside(solid, box)]


def horizontal_rules(gray: np.ndarray, min_length: int, max_width: float) -> list[tuple[int, int, int, int]]:
    """``vertical_rules`` across the page: horizontal rules (band and article dividers). Here
    the squeeze keeps a pixel only where all it stands for is ink: averaged, the letters of a
    line would run together into a rule."""
    ink = local_ink(gray).T > 0
    length = ink.shape[0] // RULE_SQUEEZE * RULE_SQUEEZE
    if length == 0:
        return []
    squeezed = ink[:length].reshape(-1, RULE_SQUEEZE, ink.shape[1]).all(axis=1)
    boxes = _runs(np.where(squeezed, 255, 0).astype(np.uint8), RULE_SQUEEZE, min_length, max_width)
    solid = otsu_ink(gray).T > 0
    return [(y0, x0, y1, x1) for x0, y0, x1, y1 in boxes if _paper_beside(solid, (x0, y0, x1, y1))]


def _runs(ink: np.ndarray, ratio: float, min_length: int, max_width: float) -> list[tuple[int, int, int, int]]:
    """Boxes of the vertical runs of ``ink`` (a page squeezed ``ratio`` times vertically) at
    least ``min_length`` and at most ``max_width`` wide, in the unsqueezed page's pixels."""
    length = max(2, round(min_length / ratio))
    bridged = cv2.dilate(ink, np.ones((1, 3), np.uint8))
    runs = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    thickness = stats[:, cv2.CC_STAT_AREA] / np.maximum(stats[:, cv2.CC_STAT_HEIGHT], 1)
    keep = (stats[:, cv2.CC_STAT_HEIGHT] >= length) & (thickness <= max_width + 2)  # + the bridging
    keep[0] = False
    full = round(ink.shape[0] * ratio)
    return [(int(x), int(y * ratio), int(x + w), min(full, round((y + h) * ratio)))
            for x, y, w, h in stats[keep][:, :4]]


def _paper_beside(solid: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether there is paper on both sides of a vertical run: a rule stands free, the edge of
    a thick letter stroke (which a local threshold leaves hollow) has ink on one side."""
    x0, y0, x1, y1 = box
    left = solid[y0:y1, max(0, x0 - RULE_SIDE):x0]
    right = solid[y0:y1, x1:x1 + RULE_SIDE]
    return all(side.size == 0 or side.mean() <= SIDE_INK for side in (left, right))
