"""Region detection scores: one-to-one box matching at an IoU threshold, precision, recall, F1.
(Straddle, coverage and order agreement live in ``eulereye.evaluation.metrics``; CER in
``eulereye.textmetrics``.)"""

from __future__ import annotations

from dataclasses import dataclass

from eulereye.model import BBox, iou


def match_boxes(pred: list[BBox], gt: list[BBox], threshold: float = 0.5) -> dict[int, int]:
    """One-to-one matching, best IoU first: {pred index: gt index} for pairs with IoU >= threshold."""
    pairs = sorted(
        ((iou(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gt)),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used_gt: set[int] = set()
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in matched and j not in used_gt:
            matched[i] = j
            used_gt.add(j)
    return matched


@dataclass(frozen=True)
class Detection:
    precision: float
    recall: float
    f1: float
    matched: int


def detection_scores(pred: list[BBox], gt: list[BBox], threshold: float = 0.5) -> Detection:
    """Region precision, recall and F1 at ``threshold`` IoU (empty vs empty counts as perfect)."""
    matched = len(match_boxes(pred, gt, threshold))
    precision = matched / len(pred) if pred else float(not gt)
    recall = matched / len(gt) if gt else float(not pred)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Detection(precision, recall, f1, matched)
