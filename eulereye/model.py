"""The page model every stage shares: data flows image -> regions -> sections -> outputs.

All boxes are ``(x0, y0, x1, y1)`` in pixels, origin top-left, x1/y1 exclusive. Stages work in
the coordinates of the image they were given; the pipeline maps the final result back to the
original image (after EXIF orientation) before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BBox = tuple[int, int, int, int]

# Kinds a segmenter may give a region. Writers and the overlay renderer rely on this set.
REGION_KINDS = ("masthead", "headline", "text", "illustration", "advert", "rule")
# Kinds that hold no text to read: not OCR'd, not compared with ground-truth text regions.
TEXTLESS_KINDS = frozenset({"illustration", "rule"})


def area(box: BBox) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def intersection(a: BBox, b: BBox) -> int:
    """Area the two boxes share."""
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def iou(a: BBox, b: BBox) -> float:
    """Intersection over union of two boxes (0 for two empty boxes)."""
    common = intersection(a, b)
    total = area(a) + area(b) - common
    return common / total if total else 0.0


def union(boxes: list[BBox]) -> BBox:
    """The smallest box holding every box given (which must not be empty)."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def same_row(box: BBox | np.ndarray, others: BBox | np.ndarray) -> np.ndarray:
    """Whether ``others`` (one box, or an N x 4 array of boxes) share a text row with ``box``:
    their vertical overlap is at least half the height of the shorter of the two."""
    others = np.asarray(others, dtype=float)
    top, bottom = others[..., 1], others[..., 3]
    shared = np.minimum(bottom, box[3]) - np.maximum(top, box[1])
    return shared >= 0.5 * np.minimum(bottom - top, box[3] - box[1])


NESTED_SHARE = 0.8  # a box with this share of its area inside another box lies inside it


def inside(inner: BBox, outer: BBox, share: float = NESTED_SHARE) -> bool:
    """Whether ``inner`` lies (mostly, ``share`` of its area) inside ``outer``."""
    return intersection(inner, outer) >= share * max(1, area(inner))


def nested_groups(boxes: list[BBox], can_nest: list[bool], share: float = NESTED_SHARE) -> list[list[int]]:
    """Indexes of ``boxes`` grouped as ``[host, *guests]``: a guest lies (``share``) inside its
    host, which grows by each guest it takes in. Larger boxes host first; boxes whose
    ``can_nest`` is false neither host nor are hosted (a group of their own). Groups come
    largest host first."""
    hosts: list[int] = []  # groups that may host, as indexes into ``groups``
    groups: list[list[int]] = []
    grown: list[BBox] = []  # each group's box
    for i in sorted(range(len(boxes)), key=lambda i: -area(boxes[i])):
        box = boxes[i]
        host = next((g for g in hosts if inside(box, grown[g], share)), None) if can_nest[i] else None
        if host is None:
            if can_nest[i]:
                hosts.append(len(groups))
            groups.append([i])
            grown.append(box)
        else:
            groups[host].append(i)
            grown[host] = union([grown[host], box])
    return groups


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..100, as Tesseract reports it
    bbox: BBox


@dataclass
class Line:
    words: list[Word]

    @property
    def bbox(self) -> BBox:
        return union([w.bbox for w in self.words])

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True)
class Region:
    """What a segmenter finds: a box of one kind. Segmenters return regions in reading order."""

    bbox: BBox
    kind: str


@dataclass
class Section:
    """A region with its recognised lines. ``order`` is its 0-based place in reading order."""

    id: int
    order: int
    kind: str
    bbox: BBox
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]


@dataclass
class Page:
    """One recognised page (one frame of an input file)."""

    name: str  # output name, e.g. "1890/03/p.001"
    width: int
    height: int
    sections: list[Section]
    skew_angle: float = 0.0  # degrees the scan was rotated by to straighten it
    shear_angle: float = 0.0  # degrees its column rules then leaned, sheared upright
    dpi: float | None = None  # the image's resolution (from the file, else --dpi), if known

    @property
    def text(self) -> str:
        """Sections in reading order, a blank line between sections (empty ones left out)."""
        return "\n\n".join(s.text for s in self.sections if s.lines)

    @property
    def word_count(self) -> int:
        return sum(len(s.words) for s in self.sections)
