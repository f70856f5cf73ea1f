"""Blocks of the classical segmenter: fragments stacked line over line with the same text size
and horizontal extent are joined (union-find); a fragment does not join one above it that
spans several fragments side by side (a headline over two columns stays apart from each
column), nor a short line above it when it is indented (a new paragraph: sections are
paragraphs, as in PAGE-XML ground truth and ALTO text blocks). Words of large type standing in
one row join too. Blocks lying inside a larger one become part of it.

Lengths are multiples of the body text size (``masks.body_size``).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from eulereye.model import nested_groups, same_row
from eulereye.segment.classical.fragments import (
    LINE_GAP, WORD_GAP, Fragment, block_box, find_root, gutter_columns, is_picture,
)
from eulereye.segment.classical.gutters import Cuts
from eulereye.segment.classical.kinds import HEADLINE_SIZE
from eulereye.segment.paragraphs import starts_paragraph

SIZE_RATIO = 1.5  # fragments whose text sizes differ more than this stay apart
CLOSE_SIZE = 1.2  # ... and headline-sized type joins body-sized type only within this ratio
FEW_LETTERS = 5  # fragments with fewer letters have no reliable text size of their own
FEW_SIZE_RATIO = 2.0  # ... but still no closer to other sizes than this
LARGE_WORD_GAP = 1.0  # a gap in large type up to this (times its height) is a word space
GLYPH_GAP = 0.7  # large single shapes closer than this (times their height) form a word
ROW_SIZE_RATIO = 2.0  # large shapes in one row may differ this much in height


def join_blocks(fragments: list[Fragment], text_ink: np.ndarray, cuts: Cuts, size: float) -> list[list[Fragment]]:
    """Join fragments into blocks (union-find): lines stacked in one column, and the words of
    large type standing in one row (smearing at body-text scale leaves those apart)."""
    if not fragments:
        return []
    fragments = sorted(fragments, key=lambda f: f.box[1])
    boxes = np.array([f.box for f in fragments], dtype=float)
    sizes = np.array([f.size for f in fragments])
    few = np.array([f.letters < FEW_LETTERS for f in fragments])
    pictures = np.array([f.picture for f in fragments])
    large = sizes >= HEADLINE_SIZE * size  # headline-sized type
    reach = float((boxes[:, 3] - boxes[:, 1]).max() + LINE_GAP * sizes.max())
    parent = list(range(len(fragments)))
    root = partial(find_root, parent)
    ink_columns = np.cumsum(text_ink > 0, axis=0)  # ink above each row, per column

    for i in range(len(fragments)):
        # Fragments sorted by top: those starting within ``reach`` above may touch this one.
        lo = int(np.searchsorted(boxes[:, 1], boxes[i, 1] - reach))
        ratio = np.maximum(sizes[lo:i], sizes[i]) / np.minimum(sizes[lo:i], sizes[i])
        similar = (ratio <= SIZE_RATIO) | ((few[lo:i] | few[i]) & (ratio <= FEW_SIZE_RATIO))
        # Headline words over body lines may be close in size; only near sizes cross.
        similar &= (large[lo:i] == large[i]) | (ratio <= CLOSE_SIZE)
        stacked = _stacked(boxes[i], boxes[lo:i], sizes[i], sizes[lo:i])
        stacked &= similar & ~pictures[lo:i] & ~pictures[i]
        stacked &= ~starts_paragraph(boxes[i], boxes[lo:i], sizes[i])
        for j in lo + np.flatnonzero(stacked):
            # Lines of one headline join: word spaces in large type look like gutters.
            if (large[i] and large[j]) or not _crosses_cut(boxes[j], boxes[i], cuts, text_ink, ink_columns, sizes[i]):
                parent[root(i)] = root(j)
        shapes = pictures[lo:i] | pictures[i]
        # Letters of very large type are single shapes: join them only when close. A word
        # space in large type is white paper as tall as a gutter, so only rules separate.
        reach_along = np.where(shapes, GLYPH_GAP, LARGE_WORD_GAP) / WORD_GAP * np.minimum(sizes[i], sizes[lo:i])
        in_row = _beside(boxes[i], boxes[lo:i], reach_along)
        in_row &= (ratio <= ROW_SIZE_RATIO) & (np.minimum(sizes[i], sizes[lo:i]) >= HEADLINE_SIZE * size)
        for j in lo + np.flatnonzero(in_row):
            if not _cut_between(boxes[j], boxes[i], cuts.rules):
                parent[root(i)] = root(j)
    groups: dict[int, list[Fragment]] = {}
    for i, fragment in enumerate(fragments):
        groups.setdefault(root(i), []).append(fragment)
    return _absorb_nested(list(groups.values()))


def _stacked(box: np.ndarray, above: np.ndarray, size: float, sizes: np.ndarray) -> np.ndarray:
    """Which boxes ``above`` end just above ``box`` and share most of its horizontal extent."""
    x0, y0, x1, _ = box
    gap = y0 - above[:, 3]
    near = (gap >= -0.5 * size) & (gap <= LINE_GAP * np.maximum(sizes, size))
    overlap = np.minimum(above[:, 2], x1) - np.maximum(above[:, 0], x0)
    return near & (overlap >= 0.5 * np.minimum(above[:, 2] - above[:, 0], x1 - x0))


def _beside(box: np.ndarray, others: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Which ``others`` stand beside ``box`` on the same text row, a word gap apart."""
    gap = np.maximum(others[:, 0] - box[2], box[0] - others[:, 2])
    return same_row(box, others) & (gap <= WORD_GAP * sizes)


def _crosses_cut(
    a: np.ndarray, b: np.ndarray, cuts: Cuts, text_ink: np.ndarray, ink_columns: np.ndarray, size: float
) -> bool:
    """Whether the wider of two stacked fragments reaches across a gutter or rule: a cut runs
    beside the narrower one, within the wider one's extent, with ink beyond it (the next
    column). A headline over two columns must not join either column; white space after a
    short line is no reason to split."""
    wide, narrow = (a, b) if a[2] - a[0] >= b[2] - b[0] else (b, a)
    x0, x1 = int(wide[0] + size), int(wide[2] - size)
    y0, y1 = int(narrow[1]), int(narrow[3])
    if x1 <= x0 or y1 <= y0:
        return False
    left, right = narrow[0], narrow[2]
    gutters = x0 + np.flatnonzero(gutter_columns(cuts.gutters, text_ink, (x0, y0, x1, y1), size))
    if np.any((gutters > left + size) & (gutters < right - size)):
        return True  # the narrower one itself reaches over a gutter: a line across columns
    cut_columns = x0 + np.flatnonzero(cuts.strips[y0:y1, x0:x1].all(axis=0))
    inked = np.flatnonzero(ink_columns[y1 - 1, x0:x1] - (ink_columns[y0 - 1, x0:x1] if y0 else 0)) + x0
    if cut_columns.size == 0 or inked.size == 0:
        return False
    beyond_right = cut_columns[(cut_columns >= right)]
    beyond_left = cut_columns[(cut_columns < left)]
    # Text beyond is at least a letter wide; a speck of dirt there is no next column.
    return bool(
        (beyond_right.size and np.count_nonzero(inked > beyond_right.min()) >= size)
        or (beyond_left.size and np.count_nonzero(inked < beyond_left.max()) >= size)
    )


def _cut_between(a: np.ndarray, b: np.ndarray, cuts: np.ndarray) -> bool:
    """Whether a cut runs through all shared rows somewhere in the gap between two fragments
    standing side by side."""
    x0, x1 = int(min(a[2], b[2])), int(max(a[0], b[0]))
    y0, y1 = int(max(a[1], b[1])), int(min(a[3], b[3]))
    if x1 <= x0 or y1 <= y0:
        return False
    return bool(cuts[y0:y1, x0:x1].all(axis=0).any())


def _absorb_nested(blocks: list[list[Fragment]]) -> list[list[Fragment]]:
    """Text blocks lying (mostly) inside a larger text block become part of it. Pictures
    neither absorb nor are absorbed: a caption inside a picture's box stays text."""
    groups = nested_groups([block_box(b) for b in blocks], [not is_picture(b) for b in blocks])
    return [[fragment for i in group for fragment in blocks[i]] for group in groups]
