"""Classical (OpenCV) segmentation of a newspaper page into sections.

Steps, all on a copy downscaled to about ``WORK_WIDTH`` pixels wide (boxes are mapped back):

1. ink mask (Otsu), blank pages stop here;
2. body text size: the median height of letter-sized ink components; every kernel below is
   a multiple of it, so the method does not depend on the scan resolution;
3. rules: long thin straight ink runs (column rules, horizontal rules, frames);
4. gutters: background strips at least a letter wide and many lines tall (pieces of a faded
   column rule inside them count as background) with text close beside them over some lines
   (a word gap in a first or last line has tall paper above or below it, but text beside it
   on one line only);
5. line fragments: ink smeared along lines, cut at rules and gutters, so no fragment crosses
   a column boundary;
6. blocks: fragments stacked line over line with the same text size and horizontal extent are
   joined; a fragment does not join one above it that spans several fragments side by side
   (a headline over two columns stays apart from each column), nor a short line above it when
   it is indented (a new paragraph: sections are paragraphs, as in PAGE-XML ground truth and
   ALTO text blocks); slivers at the left or right edge of the scan narrower than a column
   (the facing page's cut-off lines) are dropped;
7. kinds: masthead (very large type near the top), headline (larger than body text),
   illustration (large ink shapes that are not rows of letters), text;
8. column grid: where the page has evenly spaced gutters (found over much of its height), a
   text block wider than ``WIDE_BLOCK`` columns is split at the ink valleys on the grid lines
   (a safety net for gutters that are too narrow or too faint to cut every line);
9. reading order: ``eulereye.segment.order.order_regions`` with the rules found.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from eulereye.ink import MIN_CONTRAST, downscale, horizontal_rules, letter_height, otsu_ink, vertical_rules
from eulereye.model import BBox, Region, area, inside, nested_groups, union
from eulereye.segment.order import order_regions
from eulereye.segment.paragraphs import starts_paragraph

COLUMN_RULE_LENGTH = 0.025  # share of the page height: a printed column rule is this long ...
COLUMN_RULE_WIDTH = 0.003  # ... and this thin (share of the page width), found at full resolution
WORK_WIDTH = 1600  # pixels: enough for 8-10 px body letters on a 7-column page
MIN_TEXT_SIZE = 4.0  # working pixels; smaller estimated letters are clamped up to this

# Multiples of the body text size (the median letter height in working pixels).
RULE_LENGTH = 8.0  # a rule is a straight ink run at least this long ...
RULE_THICKNESS = 0.6  # ... and at most this thick
FLAT_RULE = 3.0  # a block this flat and a rule long is a (thick) rule ...
RULE_LETTER_SPACING = 4.0  # ... when it has less than a letter per this width
GUTTER_WIDTH = 1.0  # a gutter is background at least this wide ...
GUTTER_HEIGHT = 8.0  # ... and this tall ...
GUTTER_FLANKED = 3.0  # ... with text close beside it (one side) over this much of its height ...
GUTTER_EDGE = 0.5  # ... "close": this near
REMNANT_LENGTH = 2.0  # thin vertical ink runs this long may be pieces of a faded column rule
WORD_GAP = 2.5  # ink closer than this along a line belongs to one fragment
FEW_LETTERS = 5  # fragments with fewer letters have no reliable text size of their own
BOX_PAD = 0.3  # margin around each region, less than any gutter
MIN_LETTERS = 2  # blocks with fewer letter-sized shapes are noise
FEW_SIZE_RATIO = 2.0  # ... but still no closer to other sizes than this
SPECK = 0.35  # ink components smaller than this in both directions are noise
LINE_GAP = 1.3  # fragments closer than this vertically may belong to one block
SIZE_RATIO = 1.5  # fragments whose text sizes differ more than this stay apart
CLOSE_SIZE = 1.2  # ... and headline-sized type joins body-sized type only within this ratio
HEADLINE_SIZE = 1.45  # text this much larger than the body is a headline ...
MASTHEAD_SIZE = 3.0  # ... and this much larger, near the top of the page, the masthead
MASTHEAD_ZONE = 0.15  # share of the page height from the top where a masthead may be
PICTURE_SIZE = 4.0  # ink shapes taller than this are a picture unless they form a text row
PICTURE_INK = 0.1  # ... and cover at least this share of their box (else: a frame, dropped)
DRAWING_SHARE = 0.25  # pictures up to this share of the page hold no text sections of their own
BORDER_ELONGATION = 8  # tall shapes more elongated than this are scan borders, not pictures
LARGE_WORD_GAP = 1.0  # a gap in large type up to this (times its height) is a word space
GLYPH_GAP = 0.7  # large single shapes closer than this (times their height) form a word
TYPE_ROW = 2  # this many large shapes in a row are large type (a masthead), not pictures
ROW_SIZE_RATIO = 2.0  # large shapes in one row may differ this much in height
GRID_CLEAR = 0.25  # a grid gutter is a gutter or rule over this share of the page height ...
GRID_EVEN = 0.05  # ... and the grid's gutters are evenly spaced to within this share ...
GRID_GUTTERS = 4  # ... with at least this many of them in a row ...
MIN_COLUMN = 15.0  # ... at least this many letters apart (also: the narrowest column of text)
WIDE_BLOCK = 1.4  # text blocks wider than this many grid columns are split on the grid
VALLEY_REACH = 1.5  # letters: the split may move this far from the grid line to the ink valley
VALLEY_INK = 0.1  # share of a block's rows that may have ink at a valley (protruding letters)
OVERLAPPING = 0.5  # a text box with this share of its area on a larger one is part of it


@dataclass
class Fragment:
    """A run of ink along one line (or a picture), in working pixels."""

    box: BBox
    size: float  # median letter height inside; for pictures the box height
    letters: int  # letter-sized ink components inside
    picture: bool = False  # a tall shape that is no row of letters: a picture or a big glyph
    frame: bool = False  # a sparse tall shape: a box frame or scan border, not content


class ClassicalSegmenter:
    name = "classical"

    def segment(self, gray: np.ndarray) -> list[Region]:
        """Regions of ``gray`` (HxW uint8, dark text on light paper) in reading order."""
        if gray.ndim != 2 or min(gray.shape) < 8:
            return []
        scale = min(1.0, WORK_WIDTH / gray.shape[1])
        small = gray if scale == 1.0 else downscale(gray, scale)
        ink = _ink_mask(small)
        if ink is None:
            return []
        height, width = gray.shape
        size = body_size(ink)
        vertical, horizontal = page_rules(gray, size / scale)
        layout = analyse(ink, size, [_to_work(b, scale) for b in vertical], [_to_work(b, scale) for b in horizontal])
        regions = [
            Region(_to_page(r.bbox, scale, width, height), r.kind) for r in layout.regions
        ]
        rules = [_to_page(b, scale, width, height) for b in layout.rules]
        return order_regions(regions, width, height, rules)


@dataclass
class Layout:
    regions: list[Region]  # working pixels, not yet ordered
    rules: list[BBox]


def page_rules(gray: np.ndarray, letter: float) -> tuple[list[BBox], list[BBox]]:
    """The printed vertical and horizontal rules of the full-resolution page (``letter``: its
    body text size in pixels). Found before downscaling: a hairline rule of a 150 dpi
    microfilm scan is one grey pixel wide, which the working copy blurs away; then a section
    runs across two columns, or a band across the page is not seen to end. A rule is long for
    the page and for its type: the stroke of a big letter on a small page is no rule."""
    height, width = gray.shape
    length = round(max(COLUMN_RULE_LENGTH * height, RULE_LENGTH * letter))
    thickness = max(3.0, COLUMN_RULE_WIDTH * width)
    return vertical_rules(gray, length, thickness), horizontal_rules(gray, length, thickness)


def body_size(ink: np.ndarray) -> float:
    """The body text size of an ink mask: its letters' median height (``_text_size``)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return _text_size(stats[1:])


def analyse(ink: np.ndarray, size: float, columns: list[BBox] = (), bands: list[BBox] = ()) -> Layout:
    """Find the regions and rules of an ink mask (uint8, 255 = ink) in its own pixels;
    ``size``: its body text size (``body_size``); ``columns`` and ``bands``: vertical and horizontal rules found on the full-resolution
    page (in these pixels)."""
    rules_mask, rules = _rules(ink, size, [*columns, *bands])
    text_ink = _drop_frames(_drop_specks(cv2.subtract(ink, rules_mask), size), size)
    if not text_ink.any():
        return Layout([], rules)
    strips = _paper_strips(text_ink, size)
    text_ink = cv2.subtract(text_ink, strips)  # what is left there: pieces of a faded rule
    # Lines are cut only at gutters; stacked lines keep apart at any paper strip (a short
    # line beside another on one row: a signature beside a place name).
    cuts = cv2.bitwise_or(_flanked_strips(strips, text_ink, size), rules_mask)
    strips = cv2.bitwise_or(strips, rules_mask)
    fragments = _fragments(text_ink, cuts, size)
    content = [f for f in fragments if f.picture or (f.letters > 0 and not f.frame)]
    blocks = _blocks(content, text_ink, Cuts(cuts > 0, strips > 0, rules_mask > 0), size)
    blocks = [b for b in blocks if _is_picture(b) or sum(f.letters for f in b) >= MIN_LETTERS]
    kinds = _kinds(blocks, size, ink.shape)
    boxes = _split_wide_blocks([_union(b) for b in blocks], kinds, strips, text_ink, rules_mask, size)
    boxes = _split_at_rules(boxes, columns, text_ink, size)
    boxes = [(box, kind) for box, kind in boxes if not _edge_sliver(box, ink.shape[1], size)]
    boxes = _drop_drawn_words(boxes, ink.shape)
    boxes = _absorb_overlapping(boxes)
    padded = _padded([box for box, _ in boxes], size, ink.shape)
    regions = [Region(box, kind) for box, (_, kind) in zip(padded, boxes)]
    return Layout(regions, rules)


def _split_wide_blocks(
    boxes: list[BBox], kinds: list[str], cuts: np.ndarray, text_ink: np.ndarray,
    rules: np.ndarray, size: float,
) -> list[tuple[BBox, str]]:
    """Text blocks split on the page's column grid; a piece joins the text block of its
    column lying line over line with it (a block that smeared over two columns broke
    wherever the other column had a break)."""
    grid = _column_grid(cuts, text_ink, size)
    others: list[tuple[BBox, str]] = []
    texts: list[tuple[BBox, bool]] = []  # text boxes, and whether each is a piece of a split
    for box, kind in zip(boxes, kinds):
        split = _split_on_grid(box, grid, text_ink, size) if kind == "text" else [box]
        if kind == "text":
            texts += [(piece, len(split) > 1) for piece in split]
        else:
            others.append((box, kind))
    return others + [(box, "text") for box in _join_stacked(texts, rules, size)]


def _split_at_rules(
    boxes: list[tuple[BBox, str]], rules: list[BBox], text_ink: np.ndarray, size: float
) -> list[tuple[BBox, str]]:
    """Boxes cut where a printed column rule runs through them (a letter or more inside on
    both sides): beside the rule into a left and a right piece, above and below it whole;
    each piece shrinks to its ink. Blocks are already kept apart at rules; this is the net for
    a block that still joined across one (a line of type touching the rule)."""
    reach = round(size)  # a line set across a break in a rule crosses it too
    for rule in rules:
        middle = (rule[0] + rule[2]) / 2
        pieces: list[tuple[BBox, str]] = []
        for box, kind in boxes:
            x0, y0, x1, y1 = box
            top, bottom = max(y0, rule[1] - reach), min(y1, rule[3] + reach)
            if kind in ("masthead", "illustration") or bottom - top < size \
                    or not x0 + size <= middle <= x1 - size:
                pieces.append((box, kind))
                continue
            parts = [(x0, y0, x1, top), (x0, top, rule[0], bottom), (rule[2], top, x1, bottom),
                     (x0, bottom, x1, y1)]
            pieces += [(ink_box, kind) for part in parts
                       if (ink_box := _ink_box(text_ink, part)) is not None]
        boxes = pieces
    return boxes


def _drop_drawn_words(boxes: list[tuple[BBox, str]], shape: tuple[int, int]) -> list[tuple[BBox, str]]:
    """Without the text blocks lying inside a picture: the labels drawn into a cartoon, or its
    hatching taken for letters, read as garbage. A caption stands beside its picture. A
    "picture" taking much of the page is a dark scan edge or a frame around the text, not a
    drawing: what lies inside it is kept."""
    pictures = [box for box, kind in boxes
                if kind == "illustration" and area(box) <= DRAWING_SHARE * shape[0] * shape[1]]
    return [(box, kind) for box, kind in boxes
            if kind == "illustration" or not any(inside(box, picture) for picture in pictures)]


def _edge_sliver(box: BBox, width: int, size: float) -> bool:
    """Whether ``box`` is a sliver at the left or right edge of the scan, narrower than a
    column: the cut-off lines of the facing page, or dirt on the scanner's edge. Neither can
    be read."""
    at_edge = box[0] <= size or box[2] >= width - size
    return at_edge and box[2] - box[0] < MIN_COLUMN * size


def _ink_mask(small: np.ndarray) -> np.ndarray | None:
    """255 where there is ink; None for a blank page (no clear paper/ink contrast)."""
    ink = otsu_ink(small)
    dark = small[ink > 0]
    light = small[ink == 0]
    if dark.size == 0 or light.size == 0:
        return None
    if float(np.median(light)) - float(np.median(dark)) < MIN_CONTRAST:
        return None
    return ink


def _text_size(stats: np.ndarray) -> float:
    """The body text size: the letters' median height, at least ``MIN_TEXT_SIZE``."""
    return max(MIN_TEXT_SIZE, letter_height(stats) or MIN_TEXT_SIZE)


def _kernel(width: float, height: float) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, round(width)), max(1, round(height))))


def _rules(ink: np.ndarray, size: float, page_rules: list[BBox]) -> tuple[np.ndarray, list[BBox]]:
    """Mask and boxes of long thin straight ink runs, horizontal and vertical, with the
    ``page_rules`` found at full resolution."""
    length, thickness = RULE_LENGTH * size, max(2.0, RULE_THICKNESS * size)
    mask = np.zeros_like(ink)
    boxes: list[BBox] = []
    for horizontal in (True, False):
        line = _kernel(length, 1) if horizontal else _kernel(1, length)
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, line)
        _, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        long_side = stats[:, cv2.CC_STAT_WIDTH if horizontal else cv2.CC_STAT_HEIGHT]
        # Mean thickness, not the box's: a slightly tilted rule has a tall box.
        mean_thickness = stats[:, cv2.CC_STAT_AREA] / np.maximum(long_side, 1)
        keep = (long_side >= length) & (mean_thickness <= thickness)
        keep[0] = False
        mask[keep[labels]] = 255
        boxes += [_stat_box(row) for row in stats[keep]]
    reach = round(size)  # a rule broken for a line (worn, or a line set across it) goes on
    for x0, y0, x1, y1 in page_rules:
        if y1 - y0 >= x1 - x0:
            mask[max(0, y0 - reach):y1 + reach, x0:x1] = 255
        else:
            mask[y0:y1, max(0, x0 - reach):x1 + reach] = 255
    return cv2.dilate(mask, _kernel(3, 3)), boxes + list(page_rules)


def _stat_box(row: np.ndarray) -> BBox:
    x, y, w, h = (int(v) for v in row[:4])
    return (x, y, x + w, y + h)


def _drop_specks(ink: np.ndarray, size: float) -> np.ndarray:
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    speck = SPECK * size
    small = (stats[:, cv2.CC_STAT_WIDTH] < speck) & (stats[:, cv2.CC_STAT_HEIGHT] < speck)
    small[0] = True
    return np.where(small[labels], 0, ink).astype(np.uint8)


def _drop_frames(ink: np.ndarray, size: float) -> np.ndarray:
    """Without the ink shapes that are frames or scan borders (``_is_frame``). Dropped before
    lines are smeared: a torn page edge or a frame touching the ends of a column's lines
    would otherwise join them into one frame-like fragment, and the column would be lost."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    frame = (h > PICTURE_SIZE * size) & _is_frame(stats[:, cv2.CC_STAT_AREA], w, h)
    frame[0] = False
    return np.where(frame[labels], 0, ink).astype(np.uint8)


def _is_frame(ink: np.ndarray, width: np.ndarray, height: np.ndarray) -> np.ndarray:
    """Whether tall shapes with this much ink in boxes this size are frames or scan borders
    (sparse, or very elongated): structure, not content."""
    return (ink < PICTURE_INK * width * height) | (np.maximum(width, height) > BORDER_ELONGATION * np.minimum(width, height))


def _paper_strips(text_ink: np.ndarray, size: float) -> np.ndarray:
    """Background strips wide and tall enough to separate columns (255 = strip); gutters
    are those of them with text beside them (``_flanked_strips``).

    A faded column rule survives only in pieces too short to count as a rule, yet those
    pieces stand in the middle of a narrow gutter and leave less than a gutter's width of
    paper on either side. Thin vertical ink runs taller than any body letter are therefore
    counted as paper here; within a text line such a run never extends into a gutter-tall
    strip, so real letters keep their lines apart only where a gutter really is."""
    background = cv2.bitwise_or(cv2.bitwise_not(text_ink), _thin_vertical_runs(text_ink, size))
    return cv2.morphologyEx(background, cv2.MORPH_OPEN, _kernel(GUTTER_WIDTH * size, GUTTER_HEIGHT * size))


def _flanked_strips(strips: np.ndarray, text_ink: np.ndarray, size: float) -> np.ndarray:
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
    return cv2.bitwise_and(strips, cv2.dilate(edges, _kernel(2 * WORD_GAP * size, 1)))


def _thin_vertical_runs(ink: np.ndarray, size: float) -> np.ndarray:
    """Mask of thin vertical ink runs at least ``REMNANT_LENGTH`` letters long: pieces of
    rules (and stems of large letters, which stand far from gutter-tall paper strips).
    A faded rule wobbles by a pixel and has short breaks: both are bridged first."""
    bridged = cv2.dilate(ink, _kernel(3, 1))
    bridged = cv2.morphologyEx(bridged, cv2.MORPH_CLOSE, _kernel(1, size / 2))
    runs = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, _kernel(1, REMNANT_LENGTH * size))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    mean_thickness = stats[:, cv2.CC_STAT_AREA] / np.maximum(stats[:, cv2.CC_STAT_HEIGHT], 1)
    thin = mean_thickness <= max(2.0, RULE_THICKNESS * size) + 2  # + the bridging
    thin[0] = False
    return np.where(thin[labels], 255, 0).astype(np.uint8)


def _fragments(text_ink: np.ndarray, cuts: np.ndarray, size: float) -> list[Fragment]:
    """Ink smeared along lines, never across a rule or a gutter (``cuts``)."""
    smeared = cv2.morphologyEx(text_ink, cv2.MORPH_CLOSE, _kernel(WORD_GAP * size, 1))
    smeared = cv2.bitwise_and(smeared, cv2.bitwise_not(cuts))
    smeared = cv2.bitwise_or(smeared, text_ink)  # ink itself is never cut away
    _, labels, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    return _describe_fragments(text_ink, labels, stats, size)


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
        if _is_frame(components[:, cv2.CC_STAT_AREA].sum(), w, h):
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


@dataclass
class Cuts:
    """Where lines and blocks must not join (boolean masks, working pixels)."""

    gutters: np.ndarray  # gutters and rules: no line runs across
    strips: np.ndarray  # any paper strip and rules: stacked lines keep apart there
    rules: np.ndarray


def _blocks(fragments: list[Fragment], text_ink: np.ndarray, cuts: Cuts, size: float) -> list[list[Fragment]]:
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
    ink_columns = np.cumsum(text_ink > 0, axis=0)  # ink above each row, per column

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

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
            if (large[i] and large[j]) or not _crosses_cut(boxes[j], boxes[i], cuts, ink_columns, sizes[i]):
                parent[root(i)] = root(j)
        shapes = pictures[lo:i] | pictures[i]
        # Letters of very large type are single shapes: join them only when close. A word
        # space in large type is white paper as tall as a gutter, so only rules separate.
        reach_along = np.where(shapes, GLYPH_GAP, LARGE_WORD_GAP) / WORD_GAP * np.minimum(sizes[i], sizes[lo:i])
        in_row = _same_row(boxes[i], boxes[lo:i], reach_along)
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


def _same_row(box: np.ndarray, others: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Which ``others`` stand beside ``box`` on the same text row, a word gap apart."""
    x0, y0, x1, y1 = box
    shared = np.minimum(others[:, 3], y1) - np.maximum(others[:, 1], y0)
    row = shared >= 0.5 * np.minimum(others[:, 3] - others[:, 1], y1 - y0)
    gap = np.maximum(others[:, 0] - x1, x0 - others[:, 2])
    return row & (gap <= WORD_GAP * sizes)


def _crosses_cut(
    a: np.ndarray, b: np.ndarray, cuts: Cuts, ink_columns: np.ndarray, size: float
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
    gutters = x0 + np.flatnonzero(cuts.gutters[y0:y1, x0:x1].all(axis=0))
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


@dataclass
class ColumnGrid:
    """Evenly spaced gutters of the page (working pixels); none when the page has no grid."""

    gutters: np.ndarray  # x of each gutter, ascending
    column: float  # column width: the gutters' spacing


def _column_grid(cuts: np.ndarray, text_ink: np.ndarray, size: float) -> ColumnGrid:
    """The page's column grid: x positions that are gutter or rule over a fair share of the
    page height, evenly spaced. Locally a gutter may be missed (a faded rule, text almost
    touching); summed over the page, the grid still stands out. Uneven candidates (adverts,
    tables, mixed layouts) give no grid: then nothing is split."""
    clear = np.count_nonzero(cuts, axis=0).astype(float)
    inked = np.flatnonzero(np.count_nonzero(text_ink, axis=0))
    if inked.size:  # page margins are clear too, but no gutter
        clear[: inked[0]] = clear[inked[-1] :] = 0
    width = max(1, round(size))
    clear = np.convolve(clear, np.ones(width) / width, mode="same")  # a crooked gutter drifts
    strong = np.concatenate(([0], (clear >= GRID_CLEAR * cuts.shape[0]).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(strong))
    candidates = (edges[0::2] + edges[1::2] - 1) / 2
    return _even_run(candidates, size)


def _even_run(candidates: np.ndarray, size: float) -> ColumnGrid:
    """The longest run of candidates spaced evenly (at least ``MIN_COLUMN`` letters apart)."""
    spacing = np.diff(candidates)
    best = (0, 0)
    for start in range(spacing.size):
        end = start
        while end < spacing.size and abs(spacing[end] - spacing[start]) <= GRID_EVEN * spacing[start]:
            end += 1
        if end - start > best[1] - best[0] and spacing[start] >= MIN_COLUMN * size:
            best = (start, end)
    if best[1] - best[0] + 1 < GRID_GUTTERS:
        return ColumnGrid(np.empty(0), 0.0)
    return ColumnGrid(candidates[best[0] : best[1] + 1], float(np.median(spacing[best[0] : best[1]])))


def _split_on_grid(box: BBox, grid: ColumnGrid, text_ink: np.ndarray, size: float) -> list[BBox]:
    """``box`` cut at the grid's gutters when it is too wide for one column: at the emptiest
    ink column near each grid line inside it, if that is nearly free of ink (lines that
    really run across the columns are not cut). Each piece shrinks to its ink."""
    x0, y0, x1, y1 = box
    if grid.gutters.size == 0 or x1 - x0 <= WIDE_BLOCK * grid.column:
        return [box]
    reach = max(1, round(VALLEY_REACH * size))
    ink_per_x = np.count_nonzero(text_ink[y0:y1, x0:x1], axis=0)
    splits = []
    for gutter in grid.gutters[(grid.gutters > x0 + reach) & (grid.gutters < x1 - reach)]:
        lo, hi = round(gutter) - reach - x0, round(gutter) + reach + 1 - x0
        valley = lo + int(np.argmin(ink_per_x[lo:hi]))
        if ink_per_x[valley] <= VALLEY_INK * (y1 - y0):
            splits.append(x0 + valley)
    edges = [x0, *splits, x1]
    pieces = [_ink_box(text_ink, (a, y0, b, y1)) for a, b in zip(edges, edges[1:])]
    return [p for p in pieces if p is not None]


def _join_stacked(boxes: list[tuple[BBox, bool]], rules: np.ndarray, size: float) -> list[BBox]:
    """Join boxes standing line over line in one column (sharing most of their width, at
    most a line gap apart, no rule between) when one of them is a piece of a split block:
    one pass from the top down."""
    joined: list[tuple[BBox, bool]] = []
    for box, piece in sorted(boxes, key=lambda b: b[0][1]):
        above = next(
            (i for i, (other, other_piece) in enumerate(joined)
             if (piece or other_piece) and _continues(other, box, rules, size)),
            None,
        )
        if above is None:
            joined.append((box, piece))
        else:
            joined[above] = (union([joined[above][0], box]), True)
    return [box for box, _ in joined]


def _continues(upper: BBox, lower: BBox, rules: np.ndarray, size: float) -> bool:
    """Whether ``lower`` continues the lines of ``upper`` in the same column."""
    gap = lower[1] - upper[3]
    overlap = min(upper[2], lower[2]) - max(upper[0], lower[0])
    narrower = min(upper[2] - upper[0], lower[2] - lower[0])
    if not (-0.5 * size <= gap <= LINE_GAP * size and overlap >= 0.8 * narrower):
        return False
    between = rules[max(0, upper[3]) : max(0, lower[1]) + 1, max(upper[0], lower[0]) : min(upper[2], lower[2])]
    return not between.any()


def _ink_box(ink: np.ndarray, box: BBox) -> BBox | None:
    """The bounding box of the ink inside ``box``; None when there is none."""
    x0, y0, x1, y1 = box
    ys, xs = np.nonzero(ink[y0:y1, x0:x1])
    if ys.size == 0:
        return None
    return (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1)


def _union(fragments: list[Fragment]) -> BBox:
    return union([f.box for f in fragments])


def _absorb_nested(blocks: list[list[Fragment]]) -> list[list[Fragment]]:
    """Text blocks lying (mostly) inside a larger text block become part of it. Pictures
    neither absorb nor are absorbed: a caption inside a picture's box stays text."""
    groups = nested_groups([_union(b) for b in blocks], [not _is_picture(b) for b in blocks])
    return [[fragment for i in group for fragment in blocks[i]] for group in groups]


def _absorb_overlapping(boxes: list[tuple[BBox, str]]) -> list[tuple[BBox, str]]:
    """Text boxes lying largely (``OVERLAPPING``) inside a larger text box taken into it.
    Splitting blocks on the column grid and at rules can leave a piece over its neighbour
    where the columns shift at a tear; OCR'd apart, the words of both would be read twice."""
    boxes_only = [box for box, _ in boxes]
    groups = nested_groups(boxes_only, [kind == "text" for _, kind in boxes], OVERLAPPING)
    return [(union([boxes_only[i] for i in group]), boxes[group[0]][1]) for group in groups]


def _is_picture(block: list[Fragment]) -> bool:
    return any(f.picture for f in block) and len(block) < TYPE_ROW


def _padded(boxes: list[BBox], size: float, shape: tuple[int, int]) -> list[BBox]:
    """Each box with a margin of ``BOX_PAD`` letters (OCR wants some paper around text), but
    sideways never past the middle of the gap to a box beside it: in a narrow gutter the
    margin would take in the edge of the next column's letters."""
    pad = round(BOX_PAD * size)
    padded = []
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        left, right = max(0, x0 - pad), min(shape[1], x1 + pad)
        for j, other in enumerate(boxes):
            if j == i or min(y1, other[3]) <= max(y0, other[1]):
                continue  # not beside this box
            if x1 <= other[0]:
                right = min(right, max(x1, (x1 + other[0]) // 2))
            elif other[2] <= x0:
                left = max(left, min(x0, (other[2] + x0 + 1) // 2))
        padded.append((left, max(0, y0 - pad), right, min(shape[0], y1 + pad)))
    return padded


def _kinds(blocks: list[list[Fragment]], body: float, shape: tuple[int, int]) -> list[str]:
    """Kind of each block. The masthead is the topmost row of very large type near the top
    of the page (all blocks of that row: a title split around a picture stays a masthead)."""
    kinds = [_kind(block, body) for block in blocks]
    boxes = [_union(block) for block in blocks]
    giants = [
        box for box, kind, block in zip(boxes, kinds, blocks)
        if kind == "headline" and _type_size(block) >= MASTHEAD_SIZE * body
        and box[1] < MASTHEAD_ZONE * shape[0]
    ]
    if not giants:
        return kinds
    top_row = min(giants, key=lambda box: box[1])
    return [
        "masthead" if box in giants and min(box[3], top_row[3]) > max(box[1], top_row[1]) else kind
        for box, kind in zip(boxes, kinds)
    ]


def _is_rule(block: list[Fragment], body: float) -> bool:
    """A flat, long block with hardly any letters in it: a thick or wavy horizontal rule (too
    thick for ``_rules``, e.g. the heavy rule under a date line), not a line of text."""
    x0, y0, x1, y1 = _union(block)
    letters = sum(f.letters for f in block)
    return y1 - y0 <= FLAT_RULE * body and x1 - x0 >= RULE_LENGTH * body \
        and letters * RULE_LETTER_SPACING * body < x1 - x0


def _type_size(block: list[Fragment]) -> float:
    """Median letter height of a block, each fragment weighted by its letters."""
    return float(np.median([f.size for f in block for _ in range(max(1, f.letters))]))


def _kind(block: list[Fragment], body: float) -> str:
    if _is_picture(block):
        return "illustration"
    if _is_rule(block, body):
        return "rule"
    return "headline" if _type_size(block) >= HEADLINE_SIZE * body else "text"


def _to_work(box: BBox, scale: float) -> BBox:
    """A full-resolution box in working pixels, at least one pixel wide and tall."""
    x0, y0, x1, y1 = (int(v * scale) for v in box)
    return (x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))


def _to_page(box: BBox, scale: float, width: int, height: int) -> BBox:
    x0, y0, x1, y1 = box
    return (
        max(0, int(x0 / scale)),
        max(0, int(y0 / scale)),
        min(width, int(np.ceil(x1 / scale))),
        min(height, int(np.ceil(y1 / scale))),
    )
