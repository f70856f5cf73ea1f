"""Line fragments of the classical segmenter: ink smeared along lines, cut at rules and
gutters so no fragment crosses a column boundary, each with its letters' size and count; tall
shapes that are no row of letters are pictures (or frames). A block is a list of fragments.

Lengths are multiples of the body text size (``masks.body_size``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import cv2
import numpy as np

from eulereye.model import BBox, same_row, union
from eulereye.segment.classical.masks import PICTURE_SIZE, SPECK, is_frame, kernel

WORD_GAP = 2.5  # ink closer than this along a line belongs to one fragment
SPACED_WORD_GAP = 4.0  # body-type fragments on one row this close, no gutter between, join
BODY_TYPE = 1.5  # ... when both are at most this many times the body text size
LINE_GAP = 1.3  # fragments closer than this vertically are lines of one block
NEXT_LINE = 3.5  # letters below a line that hold the next two
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
    return _join_spaced_words(_describe_fragments(text_ink, labels, stats, size), text_ink, cuts, size)


def _join_spaced_words(fragments: list[Fragment], text_ink: np.ndarray, cuts: np.ndarray,
                       size: float) -> list[Fragment]:
    """Fragments of body type standing on one row a stretched word space apart, with no
    gutter or rule between them, joined into one line. A justified line of few long words
    (often a paragraph's first line) spreads its spaces wider than the smearing bridges;
    left in pieces, each piece has paper above it, so the lines below would not join it
    (a line beside another on one row keeps apart in blocks). Under a headline such a space
    can even meet a gutter-like strip of paper from above: a gap is a gutter only where
    paper also runs on through the lines below."""
    words = [i for i, f in enumerate(fragments)
             if not (f.picture or f.frame) and f.letters and f.size <= BODY_TYPE * size]
    if len(words) < 2:
        return fragments
    boxes = np.array([fragments[i].box for i in words], dtype=float)
    parent = list(range(len(words)))
    root = partial(find_root, parent)
    for i, box in enumerate(boxes):
        gap = boxes[:, 0] - box[2]  # the words starting right of this one
        near = same_row(box, boxes) & (gap >= 0) & (gap <= SPACED_WORD_GAP * size)
        for j in np.flatnonzero(near):
            if _line_spans(box, boxes[j], boxes, size) and not _gutter_between(text_ink, cuts, box, boxes[j], size):
                parent[root(j)] = root(i)
    lines: dict[int, list[Fragment]] = {}
    for i, index in enumerate(words):
        lines.setdefault(root(i), []).append(fragments[index])
    joined = [_joined(line) for line in lines.values()]
    kept = set(words)
    return [f for i, f in enumerate(fragments) if i not in kept] + joined


def find_root(parent: list[int], i: int) -> int:
    """The root of ``i`` in a union-find forest (``parent``), halving the path on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _line_spans(left: np.ndarray, right: np.ndarray, boxes: np.ndarray, size: float) -> bool:
    """Whether a line just above or just below runs under both words, across the gap between
    them: the space is inside a paragraph, not between two columns' lines."""
    below = (boxes[:, 1] - max(left[3], right[3]) >= -0.5 * size) \
        & (boxes[:, 1] - max(left[3], right[3]) <= LINE_GAP * size)
    above = (min(left[1], right[1]) - boxes[:, 3] >= -0.5 * size) \
        & (min(left[1], right[1]) - boxes[:, 3] <= LINE_GAP * size)
    spans = (boxes[:, 0] <= left[2] - size) & (boxes[:, 2] >= right[0] + size)
    return bool(np.any((below | above) & spans))


def _gutter_between(text_ink: np.ndarray, cuts: np.ndarray, left: np.ndarray, right: np.ndarray,
                    size: float) -> bool:
    """Whether a gutter runs through the gap between two words of a row."""
    y0, y1 = max(left[1], right[1]), min(left[3], right[3])
    return bool(gutter_columns(cuts, text_ink, (left[2], y0, right[0], y1), size).any())


def gutter_columns(cuts: np.ndarray, text_ink: np.ndarray, box, size: float) -> np.ndarray:
    """Columns of ``box`` (x0, y0, x1, y1) where a cut runs through all its rows and goes on
    below it, or paper does, through the next two lines (``NEXT_LINE`` letters), as a boolean
    array. Under a headline a strip of paper can reach down into a word space of the first
    line; text goes on under a word space, not under a gutter."""
    x0, y0, x1, y1 = (int(v) for v in box)
    if x1 <= x0 or y1 <= y0:
        return np.zeros(max(0, x1 - x0), bool)
    through = cuts[y0:y1, x0:x1].all(axis=0)
    below = slice(y1, y1 + round(NEXT_LINE * size))
    goes_on = cuts[below, x0:x1].all(axis=0) | ~text_ink[below, x0:x1].any(axis=0)
    return through & goes_on


def _joined(pieces: list[Fragment]) -> Fragment:
    if len(pieces) == 1:
        return pieces[0]
    letters = sum(p.letters for p in pieces)
    size = sum(p.size * p.letters for p in pieces) / letters
    return Fragment(union([p.box for p in pieces]), size, letters)


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
