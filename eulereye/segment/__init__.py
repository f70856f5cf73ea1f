"""Page segmentation: split a page into regions (sections) in reading order."""

from eulereye.segment.base import Segmenter, get_segmenter

__all__ = ["Segmenter", "get_segmenter"]
