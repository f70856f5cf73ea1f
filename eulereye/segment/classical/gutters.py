"""Gutters of the classical segmenter: background strips at least a letter wide and many
lines tall (pieces of a faded column rule inside them count as background), and of those the
gutters, with text close beside them over some lines (a word gap in a first or last line has
tall paper above or below it, but text beside it on one line only). ``Cuts`` says where lines
and blocks must not join.

Lengths are multiples of the body text size (``masks.body_size``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from eulereye.segment.classical.fragments import WORD_GAP
from eulereye.segment.classical.masks import RULE_THICKNESS, kernel

GUTTER_WIDTH = 1.0  # a gutter is background at least this wide ...
GUTTER_HEIGHT = 8.0  # ... and this tall ...
GUTTER_FLANKED = 3.0  # ... with text close beside it (one side) over this much of its height ...
GUTTER_EDGE = 0.5  # ... "close": this near
REMNANT_LENGTH = 2.0  # thin vertical ink runs this long may be pieces of a faded column rule


def paper_strips(text_ink: np.ndarray, size: float) -> np.ndarray:
    """Background strips wide and tall enough to separate columns (255 = strip); gutters
    are those of them with text beside them (``flanked_strips``).

    A faded column rule survives only in pieces too short to count as a rule, yet those
    pieces stand in the middle of a narrow gutter and leave less than a gutter's width of
    paper on either side. Thin vertical ink runs taller than any body letter are therefore
    counted as paper here; within a text line such a run never extends into a gutter-tall
    strip, so real letters keep their lines apart only where a gutter really is."""
    background = cv2.bitwise_or(cv2.bitwise_not(text_ink), _thin_vertical_runs(text_ink, size))
    return cv2.morphologyEx(background, cv2.MORPH_OPEN, kernel(GUTTER_WIDTH * size, GUTTER_HEIGHT * size))


def flanked_strips(strips: np.ndarray, text_ink: np.ndarray, size: float) -> np.ndarray:
    """The vertical runs of ``strips`` with text close beside them, on one side at least,
    over at least ``GUTTER_FLANKED`` letters of their height.

    Paper above or below a single line (a first or last line, a letter-spaced headline)
    makes a wide word gap in it part of a gutter-tall strip, yet text stands beside that
    strip on one line only; beside a gutter, a column's text stands line after line. A run
    is judged as a whole, so a gutter also stays where only one column goes on."""
    reach = max(1, round(GUTTER_EDGE * size))
    row = np.ones((1, reach), np.uint8)
    inside = strips.T > 0  # column by column, each run of strip pixels on its own
    starts = inside & ~np.pad(inside, ((0, 0), (1, 0)))[:, :-1]
    runs = np.where(inside, np.cumsum(starts.ravel()).reshape(inside.shape), 0)
    beside = np.zeros(runs.max() + 1)
    for anchor in (reach - 1, 0):  # ink within reach to the left, then to the right
        near = cv2.dilate(text_ink, row, anchor=(anchor, 0)).T > 0
        beside = np.maximum(beside, np.bincount(runs.ravel(), weights=(inside & near).ravel(), minlength=beside.size))
    # Only the runs along the text's edge see it that close; the gutter is the strip near them.
    edges = np.where((inside & (beside[runs] >= GUTTER_FLANKED * size)).T, 255, 0).astype(np.uint8)
    return cv2.bitwise_and(strips, cv2.dilate(edges, kernel(2 * WORD_GAP * size, 1)))


def _thin_vertical_runs(ink: np.ndarray, size: float) -> np.ndarray:
    """Mask of thin vertical ink runs at least ``REMNANT_LENGTH`` letters long: pieces of
    rules (and stems of large letters, which stand far from gutter-tall paper strips).
    A faded rule wobbles by a pixel and has short breaks: both are bridged first."""
    bridged = cv2.dilate(ink, kernel(3, 1))
    bridged = cv2.morphologyEx(bridged, cv2.MORPH_CLOSE, kernel(1, size / 2))
    runs = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, kernel(1, REMNANT_LENGTH * size))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    mean_thickness = stats[:, cv2.CC_STAT_AREA] / np.maximum(stats[:, cv2.CC_STAT_HEIGHT], 1)
    thin = mean_thickness <= max(2.0, RULE_THICKNESS * size) + 2  # + the bridging
    thin[0] = False
    return np.where(thin[labels], 255, 0).astype(np.uint8)


@dataclass
class Cuts:
    """Where lines and blocks must not join (boolean masks, working pixels)."""

    gutters: np.ndarray  # gutters and rules: no line runs across
    strips: np.ndarray  # any paper strip and rules: stacked lines keep apart there
    rules: np.ndarray
