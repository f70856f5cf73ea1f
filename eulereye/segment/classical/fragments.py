"""Line fragments of the classical segmenter: ink smeared along lines, cut at rules and
gutters so no fragment crosses a column boundary, each with its letters' size and count; tall
shapes that are no row of letters are pictures (or frames). A block is a list of fragments.

Lengths are multiples of the body text size (``masks.body_size``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from eulereye.model import BBox, union
from eulereye.segment.classical.masks import PICTURE_SIZE, SPECK, is_frame, kernel

WORD_GAP = 2.5  # ink closer than this along a line belongs to one fragment
TYPE_ROW = 2  # this many large shapes in a row are large type (a masthead), not pictures


@dataclass
class Fragment:
    """A run of ink along one line (or a picture), in working pixels."""

    box: BBox
    size: float  # median letter height inside; for pictures the box height
    letters: int  # letter-sized ink components inside
    picture: bool = False  # a tall shape that is no row of letters: a picture or a big glyph
    frame: bool = False  # a sparse tall shape: a box frame or scan border, not content


def line_fragments(text_ink: np.ndarray, cuts: np.ndarray, size: float) -> list[Fragment]:
    """Ink smeared along lines, never across a rule or a gutter (``cuts``)."""
    smeared = cv2.morphologyEx(text_ink, cv2.MORPH_CLOSE, kernel(WORD_GAP * size, 1))
    smeared = cv2.bitwise_and(smeared, cv2.bitwise_not(cuts))
    smeared = cv2.bitwise_or(smeared, text_ink)  # ink itself is never cut away
    _, labels, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    return _describe_fragments(text_ink, labels, stats, size)


def _describe_fragments(
    text_ink: np.ndarray, labels: np.ndarray, stats: np.ndarray, size: float
) -> list[Fragment]:
    """Letter statistics of each smeared fragment, from the ink components inside it."""
    count, ink_labels, ink_stats, _ = cv2.connectedComponentsWithStats(text_ink, connectivity=8)
    # Smearing keeps all ink, so every ink component lies inside exactly one fragment.
    ys, xs = np.nonzero(ink_labels)
    owner = np.zeros(count, dtype=np.int64)
    owner[ink_labels[ys, xs]] = labels[ys, xs]
    order = np.argsort(owner[1:], kind="stable") + 1
    starts = np.searchsorted(owner[order], np.arange(len(stats) + 1))
    fragments: list[Fragment] = []
    for label in range(1, len(stats)):
        inside = order[starts[label] : starts[label + 1]]
        fragments.append(_fragment(stats[label], ink_stats[inside], size))
    return fragments


def _fragment(stat: np.ndarray, components: np.ndarray, size: float) -> Fragment:
    x, y, w, h = (int(v) for v in stat[:4])
    comp_w = components[:, cv2.CC_STAT_WIDTH].astype(float)
    comp_h = components[:, cv2.CC_STAT_HEIGHT].astype(float)
    letter = (comp_h >= SPECK * size) & (comp_w <= 3 * np.maximum(comp_h, size))
    letter_h, letter_w = comp_h[letter], comp_w[letter]
    box = (x, y, x + w, y + h)
    if h > PICTURE_SIZE * size and not _is_text(letter_h, letter_w, w, h, size):
        if is_frame(components[:, cv2.CC_STAT_AREA].sum(), w, h):
            return Fragment(box, float(h), 0, frame=True)
        return Fragment(box, float(h), int(letter_h.size), picture=True)
    letter_size = float(np.median(letter_h)) if letter_h.size else float(h)
    return Fragment(box, letter_size, int(letter_h.size))


def _is_text(letter_h: np.ndarray, letter_w: np.ndarray, width: int, height: int, size: float) -> bool:
    """Whether a tall fragment is text: a row of large letters (masthead, headline) or body
    lines that touch each other (letters fill a fair share of it)."""
    big = letter_h >= 0.4 * height
    large_row = int(big.sum()) >= 3 and float(letter_w[big].sum()) >= 0.4 * width
    small = letter_h <= 2 * size
    return large_row or float((letter_h[small] * letter_w[small]).sum()) >= 0.15 * width * height


def block_box(fragments: list[Fragment]) -> BBox:
    return union([f.box for f in fragments])


def is_picture(block: list[Fragment]) -> bool:
    return any(f.picture for f in block) and len(block) < TYPE_ROW
