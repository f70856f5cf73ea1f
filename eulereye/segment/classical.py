"""Classical (OpenCV) segmentation. Minimal first version: the whole page is one region."""

from __future__ import annotations

import numpy as np

from eulereye.model import Region


class ClassicalSegmenter:
    name = "classical"

    def segment(self, gray: np.ndarray) -> list[Region]:
        h, w = gray.shape
        return [Region((0, 0, w, h), "text")]
