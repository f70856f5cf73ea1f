"""Ink on paper, as deskew, the segmenters and Textract's tiling see it: a binarised page and
the size of its letters."""

from __future__ import annotations

import cv2
import numpy as np

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
