"""Layout quality measures shared by the segmenter tests, benchmarks and the eval command.

Definitions (boxes are ``(x0, y0, x1, y1)``, x1/y1 exclusive):

* A predicted section *straddles* when it covers most (more than half the area) of two
  ground-truth text regions that stand side by side: horizontally disjoint, vertically
  overlapping. Such a section makes OCR read straight across columns.
  ``straddle_rate`` is the share of predicted sections that straddle.
* ``coverage`` is the share of the ground-truth text area covered by the union of the
  predicted sections.

Ground truth comes as PAGE-XML: ``eulereye.evaluation.pagexml``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from eulereye.model import BBox, area, intersection

MOST = 0.5  # "covers most of" a region: more than this share of its area
COVERAGE_GRID = 2000  # coverage is rasterised with at most this many cells on the long side


def _side_by_side(a: BBox, b: BBox) -> bool:
    horizontally_disjoint = a[2] <= b[0] or b[2] <= a[0]
    vertically_overlapping = min(a[3], b[3]) > max(a[1], b[1])
    return horizontally_disjoint and vertically_overlapping


def straddles(pred: BBox, gt_text_boxes: Sequence[BBox]) -> bool:
    """Whether ``pred`` covers most of two ground-truth text regions standing side by side."""
    covered = [g for g in gt_text_boxes if area(g) and intersection(pred, g) > MOST * area(g)]
    return any(
        _side_by_side(a, b) for i, a in enumerate(covered) for b in covered[i + 1 :]
    )


def straddle_rate(pred_boxes: Sequence[BBox], gt_text_boxes: Sequence[BBox]) -> float:
    """Share of predicted sections that straddle two side-by-side ground-truth text regions."""
    if not pred_boxes:
        return 0.0
    return sum(straddles(p, gt_text_boxes) for p in pred_boxes) / len(pred_boxes)


def coverage(
    pred_boxes: Sequence[BBox], gt_text_boxes: Sequence[BBox], shape: tuple[int, int]
) -> float:
    """Share of the ground-truth text area (union of ``gt_text_boxes``) covered by the union of
    ``pred_boxes``. ``shape`` is the page's ``(height, width)``. 1.0 when there is no text."""
    step = max(1, -(-max(shape) // COVERAGE_GRID))  # ceil: grid cell size in pixels
    grid_shape = (-(-shape[0] // step), -(-shape[1] // step))
    truth = _rasterise(gt_text_boxes, grid_shape, step)
    total = int(truth.sum())
    if total == 0:
        return 1.0
    predicted = _rasterise(pred_boxes, grid_shape, step)
    return float((truth & predicted).sum()) / total


def _rasterise(boxes: Sequence[BBox], grid_shape: tuple[int, int], step: int) -> np.ndarray:
    mask = np.zeros(grid_shape, dtype=bool)
    for x0, y0, x1, y1 in boxes:
        mask[y0 // step : -(-y1 // step), x0 // step : -(-x1 // step)] = True
    return mask


def order_agreement(pred_boxes: Sequence[BBox], gt_boxes: Sequence[BBox]) -> float:
    """Share of pairs of predicted sections (given in predicted reading order) whose order
    agrees with the ground-truth order (``gt_boxes`` given in true reading order).

    Each predicted section stands for the ground-truth region it overlaps most; sections that
    overlap none, and pairs standing for the same region, are left out. 1.0 when nothing is
    left to compare.
    """
    ranks = []
    for pred in pred_boxes:
        overlaps = [intersection(pred, g) for g in gt_boxes]
        if overlaps and max(overlaps) > 0:
            ranks.append(int(np.argmax(overlaps)))
    rank = np.array(ranks)
    before = rank[:, None] < rank[None, :]
    after = rank[:, None] > rank[None, :]
    upper = np.triu(np.ones((len(rank), len(rank)), dtype=bool), k=1)
    agreeing, disagreeing = int((before & upper).sum()), int((after & upper).sum())
    total = agreeing + disagreeing
    return 1.0 if total == 0 else agreeing / total
