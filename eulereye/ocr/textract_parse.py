"""Textract responses -> lines of words in pixels, in reading order.

Tolerant by design: only ``Blocks`` with ``BlockType`` WORD and LINE are read, unknown block
types and fields are ignored, and every WORD is kept (a word that no LINE claims becomes a line
of its own). Works for DetectDocumentText and AnalyzeDocument responses, synchronous or the
(multi-page) results of the asynchronous APIs.

Textract lists lines top to bottom across the whole page, interleaving columns. Reading order
is rebuilt here: lines are grouped into blocks (a column's paragraph) and the blocks ordered as
the page's sections are (``eulereye.segment.order``), in the page's upright frame, so a page
scanned on its side reads the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from eulereye.model import BBox, Line, Region, Word, same_row, union
from eulereye.segment.order import order_regions

Box = tuple[float, float, float, float]  # a box in the page's upright frame
HEADLINE_HEIGHT = 1.45  # lines this many times as tall as body text lines are a headline


@dataclass(frozen=True)
class Direction:
    """The page's text direction: ``along`` the baseline, ``down`` to the next line."""

    along: tuple[int, int]
    down: tuple[int, int]

    def upright(self, box: BBox) -> Box:
        """A pixel box in the page's upright frame (rotated by a multiple of 90 degrees)."""
        corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
        xs = [x * self.along[0] + y * self.along[1] for x, y in corners]
        ys = [x * self.down[0] + y * self.down[1] for x, y in corners]
        return min(xs), min(ys), max(xs), max(ys)


UPRIGHT = Direction((1, 0), (0, 1))


def page_blocks(response: dict, page: int = 1) -> list[dict]:
    """The blocks of one page (blocks without ``Page`` belong to page 1)."""
    return [b for b in response.get("Blocks", []) if isinstance(b, dict) and b.get("Page", 1) == page]


def _pixel_box(block: dict, width: int, height: int) -> BBox | None:
    geometry = block.get("Geometry") or {}
    points = geometry.get("Polygon") or []
    if points:
        xs = [p["X"] for p in points]
        ys = [p["Y"] for p in points]
    else:
        bb = geometry.get("BoundingBox")
        if not bb:
            return None
        xs = [bb["Left"], bb["Left"] + bb["Width"]]
        ys = [bb["Top"], bb["Top"] + bb["Height"]]
    clamp = lambda v, hi: min(max(v, 0), hi)  # noqa: E731 - Textract may overshoot [0, 1] a little
    x0, x1 = clamp(math.floor(min(xs) * width), width - 1), clamp(math.ceil(max(xs) * width), width)
    y0, y1 = clamp(math.floor(min(ys) * height), height - 1), clamp(math.ceil(max(ys) * height), height)
    return x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)


def _baseline(block: dict) -> tuple[float, float] | None:
    points = (block.get("Geometry") or {}).get("Polygon") or []
    if len(points) < 2:
        return None
    return points[1]["X"] - points[0]["X"], points[1]["Y"] - points[0]["Y"]


def text_direction(blocks: list[dict], width: int, height: int) -> Direction:
    """The dominant baseline direction of the WORDs, snapped to a multiple of 90 degrees."""
    votes: dict[tuple[int, int], float] = {}
    for block in blocks:
        vector = _baseline(block) if block.get("BlockType") == "WORD" else None
        if vector is None:
            continue
        dx, dy = vector[0] * width, vector[1] * height
        along = (int(math.copysign(1, dx)), 0) if abs(dx) >= abs(dy) else (0, int(math.copysign(1, dy)))
        votes[along] = votes.get(along, 0.0) + math.hypot(dx, dy)
    if not votes:
        return UPRIGHT
    along = max(votes, key=votes.get)
    return Direction(along, (-along[1], along[0]))


def words_by_line(blocks: list[dict], width: int, height: int) -> list[list[Word]]:
    """Every WORD, grouped by the LINE that lists it; unclaimed words each make a line."""
    words: dict[str, Word] = {}
    order: list[str] = []
    for block in blocks:
        if block.get("BlockType") != "WORD":
            continue
        box = _pixel_box(block, width, height)
        text = block.get("Text")
        if box is None or not text:
            continue
        key = block.get("Id") or f"#{len(order)}"
        words[key] = Word(text, float(block.get("Confidence", 0.0)), box)
        order.append(key)
    claimed: set[str] = set()
    groups: list[list[Word]] = []
    for block in blocks:
        if block.get("BlockType") != "LINE":
            continue
        ids = [i for rel in block.get("Relationships") or [] if rel.get("Type") == "CHILD"
               for i in rel.get("Ids", []) if i in words and i not in claimed]
        if ids:
            claimed.update(ids)
            groups.append([words[i] for i in ids])
    groups += [[words[k]] for k in order if k not in claimed]
    return groups


# --- reading order ---------------------------------------------------------------------------

def line_height(lines: list[Line], direction: Direction = UPRIGHT) -> float:
    """The median height of ``lines`` in the upright frame (at least 1)."""
    heights = sorted(b[3] - b[1] for b in (direction.upright(line.bbox) for line in lines))
    return heights[len(heights) // 2] if heights and heights[len(heights) // 2] else 1.0


def order_lines(lines: list[Line], direction: Direction = UPRIGHT, body_height: float | None = None) -> list[Line]:
    """Lines in reading order: words along the baseline, lines grouped into column blocks,
    blocks ordered as the page's sections are (``eulereye.segment.order.order_regions``), in
    the upright frame. ``body_height``: the height of a body text line on the page (lines
    much taller are headlines); by default their own median height."""
    if not lines:
        return []
    for line in lines:
        line.words.sort(key=lambda w: direction.upright(w.bbox)[0])
    boxes = [direction.upright(line.bbox) for line in lines]
    body_height = body_height or line_height(lines, direction)
    blocks = _column_blocks(boxes, body_height)
    return [lines[i] for block in _order_blocks(blocks, boxes, body_height) for i in block]


def _order_blocks(blocks: list[list[int]], boxes: list[Box], body_height: float) -> list[list[int]]:
    """``blocks`` (lists of indexes into ``boxes``) in reading order, each taken as a region:
    a headline when its lines are ``HEADLINE_HEIGHT`` times as tall as body lines (a headline
    heads the lines below it), else text."""
    regions = [
        Region(union([boxes[i] for i in block]),
               "headline" if _median_height(block, boxes) >= HEADLINE_HEIGHT * body_height else "text")
        for block in blocks
    ]
    x0, y0, x1, y1 = union([region.bbox for region in regions])
    position = {id(region): i for i, region in enumerate(regions)}
    return [blocks[position[id(region)]] for region in order_regions(regions, x1 - x0, y1 - y0)]


def _median_height(block: list[int], boxes: list[Box]) -> float:
    return sorted(boxes[i][3] - boxes[i][1] for i in block)[len(block) // 2]


def _x_overlap(a, b) -> float:
    narrower = min(a[2] - a[0], b[2] - b[0]) or 1.0
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) / narrower


def _column_blocks(boxes, line_height: float) -> list[list[int]]:
    """Paragraph blocks: a line continues the block whose last line sits just above it (gap
    under half a line) and overlaps it horizontally; anything else starts a new block."""
    blocks: list[list[int]] = []
    for i in sorted(range(len(boxes)), key=lambda i: (boxes[i][1], boxes[i][0])):
        box = boxes[i]
        for block in blocks:
            last = boxes[block[-1]]
            below = 0 <= box[1] - last[1] and box[1] - last[3] < 0.5 * line_height
            # A line on the same row is a table cell or a neighbouring column.
            if below and _x_overlap(box, last) > 0.5 and not same_row(last, box):
                block.append(i)
                break
        else:
            blocks.append([i])
    return blocks
