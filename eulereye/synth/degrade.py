"""Turns clean ink coverage into a scan: paper tone, ink tone, bleed-through from the back of
the sheet, a small rotation, blur, sensor noise, specks, and optionally binarisation or JPEG
compression.

``strength`` scales every effect: 0 is a perfect scan, 1 the roughest this generator makes.
``sample`` draws a flatbed scan's damage, ``sample_microfilm`` that of a page scanned from
microfilm: grey, low contrast, soft, strong bleed-through, JPEG artefacts.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from eulereye.model import BBox

MAX_SKEW = 3.0  # degrees


@dataclass(frozen=True)
class Degradation:
    skew: float  # degrees, counter-clockwise as seen on screen
    paper: float  # paper grey level
    paper_mottle: float  # amplitude of slow paper-tone variation
    ink: float  # ink grey level
    bleed: float  # opacity of the mirrored back page
    blur: float  # Gaussian sigma in px
    noise: float  # Gaussian noise sigma in grey levels
    specks: int  # dark specks per megapixel
    binarise: bool
    jpeg_quality: int = 0  # 0: no JPEG compression


def sample(rng: np.random.Generator, strength: float, binarise: bool) -> Degradation:
    def up_to(limit: float) -> float:
        return float(rng.uniform(0, limit * strength))

    return Degradation(
        skew=round(float(rng.uniform(-MAX_SKEW, MAX_SKEW)) * strength, 3),
        paper=255 - up_to(40),
        paper_mottle=up_to(12),
        ink=up_to(70),
        bleed=up_to(0.12),
        blur=up_to(1.1),
        noise=up_to(9),
        specks=int(up_to(60)),
        binarise=binarise,
    )


def sample_microfilm(rng: np.random.Generator, strength: float, binarise: bool = False) -> Degradation:
    """Damage like the National Digital Newspaper Program's microfilm scans: grey paper with
    little contrast to the ink, soft type, the back page showing through, JPEG blocks."""
    def between(low: float, high: float) -> float:
        return float(rng.uniform(low, low + (high - low) * strength))

    return Degradation(
        skew=round(float(rng.uniform(-1, 1)) * MAX_SKEW / 2 * strength, 3),
        paper=255 - between(10, 80),
        paper_mottle=between(4, 25),
        ink=between(10, 100),
        bleed=between(0.04, 0.25),
        blur=between(0.5, 1.3),
        noise=between(2, 10),
        specks=int(between(0, 80)),
        binarise=binarise,
        jpeg_quality=int(round(90 - between(0, 70))),
    )


def rotation(angle: float, width: int, height: int) -> np.ndarray:
    """The 2x3 matrix rotating a page ``angle`` degrees about its centre."""
    return cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)


def rotate_box(matrix: np.ndarray, box: BBox, width: int, height: int) -> tuple[BBox, list[tuple[int, int]]]:
    """The rotated box's bounding box (clipped to the page) and its four corners."""
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=np.float64)
    moved = corners @ matrix.T
    xs, ys = moved[:, 0], moved[:, 1]
    bbox = (max(0, int(np.floor(xs.min()))), max(0, int(np.floor(ys.min()))),
            min(width, int(np.ceil(xs.max()))), min(height, int(np.ceil(ys.max()))))
    points = [(int(np.clip(round(x), 0, width)), int(np.clip(round(y), 0, height))) for x, y in zip(xs, ys)]
    return bbox, points


def scan(coverage: np.ndarray, labels: np.ndarray, d: Degradation,
         rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns (image, labels, matrix): the scanned page, its labels moved with the pixels, and
    the rotation that maps clean coordinates to scanned ones."""
    height, width = coverage.shape
    ink = coverage.astype(np.float32) / 255
    paper = np.float32(d.paper) + d.paper_mottle * _smooth_field(rng, width, height)
    if d.bleed:
        back = cv2.GaussianBlur(np.ascontiguousarray(ink[:, ::-1]), (0, 0), 2.0)
        back = np.roll(back, (int(rng.integers(-40, 40)), int(rng.integers(-40, 40))), axis=(0, 1))
        paper = paper - d.bleed * (paper - d.ink) * back
    gray = paper - (paper - np.float32(d.ink)) * ink

    matrix = rotation(d.skew, width, height)
    if d.skew:
        gray = cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=float(d.paper))
        labels = cv2.warpAffine(labels, matrix, (width, height), flags=cv2.INTER_NEAREST,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    if d.blur > 0.2:
        gray = cv2.GaussianBlur(gray, (0, 0), d.blur)
    if d.noise:
        gray = gray + rng.normal(0, d.noise, size=gray.shape).astype(np.float32)
    for _ in range(d.specks * width * height // 1_000_000):
        centre = (int(rng.integers(width)), int(rng.integers(height)))
        cv2.circle(gray, centre, int(rng.integers(1, 3)), float(d.ink), -1)
    image = np.clip(gray + 0.5, 0, 255).astype(np.uint8)
    if d.binarise:
        _, image = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if d.jpeg_quality:
        _, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, d.jpeg_quality])
        image = cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)
    return image, labels, matrix


def _smooth_field(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Slowly varying values in -1..1, like the mottling of old paper."""
    coarse = rng.uniform(-1, 1, size=(8, 6)).astype(np.float32)
    return cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
