"""Deskew: measure a page's skew and straighten it. Minimal first version (no rotation)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from eulereye.model import BBox


@dataclass(frozen=True)
class Straightened:
    gray: np.ndarray
    angle: float  # degrees the page was rotated by

    def to_original(self, bbox: BBox) -> BBox:
        """A box in the straightened image -> the same box in the original image."""
        return bbox


def straighten(gray: np.ndarray, max_angle: float = 5.0) -> Straightened:
    return Straightened(gray, 0.0)
