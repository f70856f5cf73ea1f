"""The segmenter interface. Every segmenter takes a straightened 8-bit grayscale page and
returns its regions in reading order, boxes in that image's pixels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from eulereye.model import Region

if TYPE_CHECKING:
    from eulereye.deskew import Straightened

SEGMENTERS = ("classical", "fcn", "auto")
# What "auto" means: the segmenter that measured best (bench/RESULTS.md).
AUTO_CHOICE = "classical"


class Segmenter(Protocol):
    name: str

    def segment(self, gray: np.ndarray) -> list[Region]:
        """Regions of ``gray`` (HxW uint8, dark text on light paper) in reading order."""
        ...


def segment_straightened(segmenter: Segmenter, gray: np.ndarray) -> tuple[Straightened, list[Region]]:
    """Segment ``gray`` as the pipeline does: straightened first; the regions are in the
    straightened page's pixels (``Straightened.to_original`` maps them back)."""
    from eulereye.deskew import straighten  # OpenCV: not for the CLI parsers that import this module

    straight = straighten(gray)
    return straight, segmenter.segment(straight.gray)


def get_segmenter(name: str, fcn_weights: str = "") -> Segmenter:
    """``fcn_weights``: a checkpoint of the user's for ``fcn`` (default: the shipped weights)."""
    if name == "auto":
        name = AUTO_CHOICE
    if name == "classical":
        from eulereye.segment.classical import ClassicalSegmenter

        return ClassicalSegmenter()
    if name == "fcn":
        from eulereye.segment.fcn import load_default_segmenter

        return load_default_segmenter(fcn_weights)
    raise ValueError(f"unknown segmenter {name!r}; choose one of {', '.join(SEGMENTERS)}")
