"""Deskew: measure a page's skew and straighten it.

The skew is found on a small binarised copy of the page in two steps. First an estimate from
the text lines themselves: ink smeared along lines, and the median slope (by second moments)
of the line-shaped blobs, weighted by their length. Then a projection-profile search near that
estimate: ink pixels are projected onto the vertical axis along lines of slope ``tan(angle)``;
text lines make the profile sharpest (largest sum of squares) at the page's true skew. The
profile alone can be fooled on a page of several columns whose baselines do not line up (a
slope that lines up one column's lines with the next one's can score higher than level), so it
only refines; it sweeps all of ``+-max_angle`` only where no lines were found. A 3000x4500 scan
takes a few tens of milliseconds. The page is then rotated about its centre onto a canvas large
enough to keep every pixel, the new corners filled with the paper's colour.

Angles are in degrees, positive = counter-clockwise as the page is seen on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from eulereye.ink import letter_height, otsu_ink, vertical_rules
from eulereye.model import BBox

MIN_ANGLE = 0.1  # smaller skews are left alone: not worth resampling the page for
_WORK_SIDE = 1600  # longest side of the copy the skew is measured on
_MAX_POINTS = 120_000  # ink pixels sampled for the profile
_MIN_LINES = 5  # fewer line-shaped blobs than this: no estimate from lines, sweep everything
_LINE_REACH = 0.3  # degrees around the lines' estimate that the profile search covers
_MIN_POINTS = 500  # fewer ink pixels than this: a blank page, nothing to measure
# The sharpest profile must beat the unrotated one by this much, else the page has no text
# lines to align (a picture, a blank page) and is left as it is.
_MIN_GAIN = 1.02
_LEAN_RULE = 0.05  # rules this share of the page tall tell how the columns lean ...
_LEAN_BANDS = 6  # bands a rule is followed in
_LEAN_TOTAL = 0.5  # ... when together they are at least this share of the page tall
_IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


@dataclass(frozen=True)
class Straightened:
    gray: np.ndarray
    angle: float  # degrees the page was rotated by, counter-clockwise on screen
    # Affine map from straightened pixel coordinates to original ones, and the original size.
    to_original_matrix: np.ndarray = field(default_factory=lambda: _IDENTITY.copy())
    original_size: tuple[int, int] | None = None  # (width, height); None: same as gray
    shear: float = 0.0  # degrees the column rules leaned after rotation, sheared upright

    def to_original(self, bbox: BBox) -> BBox:
        """A box in the straightened image -> the box enclosing it in the original image,
        clipped to the original image."""
        width, height = self.original_size or (self.gray.shape[1], self.gray.shape[0])
        x0, y0, x1, y1 = bbox
        # Box edges -> pixel-centre coordinates (what the affine maps) and back.
        corners = np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]], dtype=np.float64) - 0.5
        mapped = corners @ self.to_original_matrix[:, :2].T + self.to_original_matrix[:, 2] + 0.5
        left, top = np.floor(mapped.min(axis=0)).astype(int)
        right, bottom = np.ceil(mapped.max(axis=0)).astype(int)
        return (
            int(np.clip(left, 0, width)),
            int(np.clip(top, 0, height)),
            int(np.clip(right, 0, width)),
            int(np.clip(bottom, 0, height)),
        )


def straighten(gray: np.ndarray, max_angle: float = 5.0) -> Straightened:
    """Measure the skew of ``gray`` (HxW uint8) within ``+-max_angle`` degrees and rotate it
    upright; then, where its printed column rules still lean (a sheared microfilm frame: the
    lines are level but the columns are not upright), shear them upright, keeping lines level.
    Straight pages come back unchanged, without a copy."""
    angle = measure_skew(gray, max_angle)
    upright = Straightened(gray, 0.0) if abs(angle) < MIN_ANGLE else _rotate(gray, angle)
    lean = column_lean(upright.gray)
    if abs(lean) < MIN_ANGLE:
        return upright
    sheared = _shear(gray, upright, lean)
    # Rules of a curved frame lean unequally and the first median is pulled towards the
    # upright ones; a second look at the sheared page measures what is left.
    rest = column_lean(sheared.gray)
    return sheared if abs(rest) < MIN_ANGLE else _shear(gray, upright, lean + rest)


def column_lean(gray: np.ndarray) -> float:
    """Degrees the page's printed column rules lean from upright (positive: their foot lies to
    the right of their head); 0.0 without long rules. Each rule is followed down the page as
    the darkest pixel column in a few bands of its box (its box alone is as wide as its lean,
    so ink beside the rule would pull a fit through all of the box's pixels towards upright);
    the page's lean is the length-weighted median of the rules' slopes."""
    height, width = gray.shape
    rules = vertical_rules(gray, round(_LEAN_RULE * height), max(3.0, 0.003 * width))
    if sum(r[3] - r[1] for r in rules) < _LEAN_TOTAL * height:
        return 0.0
    slopes = [_rule_slope(gray, rule) for rule in rules]
    weights = np.array([r[3] - r[1] for r in rules], dtype=float)
    order = np.argsort(slopes)
    cumulative = np.cumsum(weights[order])
    slope = np.asarray(slopes)[order][np.searchsorted(cumulative, cumulative[-1] / 2)]
    return round(float(np.degrees(np.arctan(slope))), 2)


def _rule_slope(gray: np.ndarray, rule: BBox) -> float:
    """dx/dy of one rule: the darkest column of each of ``_LEAN_BANDS`` bands down its box."""
    x0, y0, x1, y1 = rule
    edges = np.linspace(y0, y1, _LEAN_BANDS + 1).astype(int)
    ys = (edges[:-1] + edges[1:]) / 2
    xs = [x0 + int(np.argmin(gray[a:b, x0:x1].mean(axis=0))) for a, b in zip(edges, edges[1:])]
    return float(np.polyfit(ys, xs, 1)[0])


def _shear(gray: np.ndarray, upright: Straightened, lean: float) -> Straightened:
    """The original page rotated as ``upright`` was and sheared sideways so that rules leaning
    by ``lean`` degrees stand upright (one resampling of the original)."""
    height, width = upright.gray.shape
    slope = float(np.tan(np.radians(lean)))
    # x' = x - slope * y (+ a shift keeping every pixel on the canvas); y' = y.
    shear = np.array([[1.0, -slope, max(0.0, slope * (height - 1))], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    rotation = np.vstack([cv2.invertAffineTransform(upright.to_original_matrix), [0.0, 0.0, 1.0]])
    matrix = (shear @ rotation)[:2]
    size = (int(np.ceil(width + abs(slope) * height)), height)
    sheared = cv2.warpAffine(gray, matrix, size, flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=_paper_colour(gray))
    return Straightened(sheared, upright.angle, cv2.invertAffineTransform(matrix),
                        original_size=(gray.shape[1], gray.shape[0]), shear=lean)


def measure_skew(gray: np.ndarray, max_angle: float = 5.0) -> float:
    """Degrees to rotate ``gray`` by (counter-clockwise) to make its text lines horizontal."""
    ink = _small_ink(gray)
    points = _ink_points(ink)
    if len(points) < _MIN_POINTS:
        return 0.0
    xs, ys = points[:, 1].astype(np.float32), points[:, 0].astype(np.float32)
    offset = float(xs.max()) * np.tan(np.radians(max_angle)) + 1.0

    def sharpness(angle: float) -> float:
        # Row each ink pixel lands in when the page is sheared level by ``angle``.
        rows = (ys + xs * np.float32(np.tan(np.radians(angle))) + offset).astype(np.int32)
        profile = np.bincount(rows).astype(np.float64)
        return float(np.dot(profile, profile))

    slope = _line_slope(ink)
    if slope is None:
        best, sweeps = 0.0, ((max_angle, 0.5), (0.5, 0.05), (0.05, 0.01))
    else:  # the shear levelling lines that slope down by ``slope`` degrees is ``-slope``
        best = -float(np.clip(slope, -max_angle, max_angle))
        sweeps = ((_LINE_REACH, 0.05), (0.05, 0.01))
    for span, step in sweeps:
        candidates = np.arange(best - span, best + span + step / 2, step)
        candidates = candidates[np.abs(candidates) <= max_angle + 1e-9]
        best = float(max(candidates, key=sharpness))
    if sharpness(best) < _MIN_GAIN * sharpness(0.0):
        return 0.0
    # The shear that levels lines sloping down to the right is negative; undoing that slope
    # takes a counter-clockwise (positive) rotation.
    return round(-best, 2)


def _small_ink(gray: np.ndarray) -> np.ndarray:
    """Ink mask (255 = ink) of a copy of the page at most ``_WORK_SIDE`` pixels long."""
    scale = min(1.0, _WORK_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return otsu_ink(small)


def _ink_points(ink: np.ndarray) -> np.ndarray:
    """(row, col) of ink pixels, at most ``_MAX_POINTS``."""
    points = cv2.findNonZero(ink)
    if points is None:
        return np.empty((0, 2), np.int32)
    points = points.reshape(-1, 2)[:, ::-1]  # (x, y) -> (row, col)
    if len(points) > _MAX_POINTS:
        points = points[np.random.default_rng(0).choice(len(points), _MAX_POINTS, replace=False)]
    return points


def _line_slope(ink: np.ndarray) -> float | None:
    """Median slope in degrees (positive: down to the right) of the text lines, each weighted
    by its length; None when fewer than ``_MIN_LINES`` line-shaped blobs are found."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    size = letter_height(stats[1:])
    if size is None:
        return None
    smear = cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, round(1.5 * size)), 1))
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(
        cv2.morphologyEx(ink, cv2.MORPH_CLOSE, smear), connectivity=8)
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    lines = (widths >= 8 * size) & (heights <= 2.5 * size) & (heights >= 0.5 * size)
    lines[0] = False
    if lines.sum() < _MIN_LINES:
        return None
    ys, xs = np.nonzero(lines[labels])
    owner = labels[ys, xs]
    dx, dy = xs - centroids[owner, 0], ys - centroids[owner, 1]
    m20, m02, m11 = (np.bincount(owner, v, count) for v in (dx * dx, dy * dy, dx * dy))
    angles = 0.5 * np.degrees(np.arctan2(2 * m11, m20 - m02))[lines]
    weights = widths[lines].astype(np.float64)
    order = np.argsort(angles)
    cumulative = np.cumsum(weights[order])
    return float(angles[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def _rotate(gray: np.ndarray, angle: float) -> Straightened:
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_width = int(np.ceil(width * cos + height * sin))
    new_height = int(np.ceil(width * sin + height * cos))
    matrix[0, 2] += (new_width - width) / 2
    matrix[1, 2] += (new_height - height) / 2
    rotated = cv2.warpAffine(
        gray, matrix, (new_width, new_height), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=_paper_colour(gray),
    )
    return Straightened(
        rotated, angle, cv2.invertAffineTransform(matrix), original_size=(width, height)
    )


def _paper_colour(gray: np.ndarray) -> int:
    """The page's background: a bright percentile of a sparse sample (paper dominates)."""
    sample = gray[:: max(1, gray.shape[0] // 200), :: max(1, gray.shape[1] // 200)]
    return int(np.percentile(sample, 90))
