"""Paragraphs of a text section: an indented line under a short one starts a new paragraph.

Ground-truth layouts (PAGE-XML) and ALTO text blocks hold one paragraph each, so a segmenter
whose sections are whole column blocks (the FCN's masks merge the lines of a column) splits
them here. The classical segmenter applies the same rule (``starts_paragraph``) while it joins
lines. Lines are found by the ink profile of the section, so the page must be straightened.
"""

from __future__ import annotations

import numpy as np

from eulereye.ink import MIN_CONTRAST, otsu_ink
from eulereye.model import Region

# Multiples of the text size (the height of the section's lines).
INDENT = 0.8  # a line starting this much right of a shorter line above starts a paragraph ...
SHORT_LINE = 1.5  # ... when the line above ends at least this much left of it
MIN_LINES = 3  # sections with fewer lines are left whole
NOISE_LINE = 0.4  # ink rows less tall than this (times the median line) are specks, not lines


def starts_paragraph(line: np.ndarray, above: np.ndarray, size: float) -> np.ndarray:
    """Whether ``line`` (x0, y0, x1, y1) starts a new paragraph below each of ``above`` (N x 4):
    it is indented and the line above ends short (the last line of the paragraph before)."""
    return (line[0] - above[:, 0] >= INDENT * size) & (line[2] - above[:, 2] >= SHORT_LINE * size)


def split_paragraphs(gray: np.ndarray, regions: list[Region]) -> list[Region]:
    """``regions`` with every text region cut into its paragraphs (order kept)."""
    return [piece for region in regions
            for piece in (_paragraphs(gray, region) if region.kind == "text" else [region])]


def _paragraphs(gray: np.ndarray, region: Region) -> list[Region]:
    x0, y0, x1, y1 = region.bbox
    lines = _lines(gray[y0:y1, x0:x1])
    if len(lines) < MIN_LINES:
        return [region]
    size = float(np.median(lines[:, 3] - lines[:, 1]))
    cuts = [y0] + [
        y0 + (int(lines[i - 1, 3]) + int(lines[i, 1])) // 2
        for i in range(1, len(lines))
        if starts_paragraph(lines[i], lines[i - 1 : i], size)[0]
    ] + [y1]
    return [Region((x0, top, x1, bottom), region.kind) for top, bottom in zip(cuts, cuts[1:])]


def _lines(crop: np.ndarray) -> np.ndarray:
    """Text lines of a crop as (x0, y0, x1, y1) rows: runs of rows with ink (Otsu)."""
    if crop.size == 0 or int(crop.max()) - int(crop.min()) < MIN_CONTRAST:
        return np.empty((0, 4), int)
    ink = otsu_ink(crop) > 0
    inked = np.concatenate(([0], ink.any(axis=1).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(inked))
    runs = list(zip(edges[0::2], edges[1::2]))
    if not runs:
        return np.empty((0, 4), int)
    median = float(np.median([bottom - top for top, bottom in runs]))
    lines = []
    for top, bottom in runs:
        if bottom - top < NOISE_LINE * median:
            continue
        columns = np.flatnonzero(ink[top:bottom].any(axis=0))
        lines.append((columns[0], top, columns[-1] + 1, bottom))
    return np.array(lines, int).reshape(-1, 4)
