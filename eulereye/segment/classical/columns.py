"""Column grid of the classical segmenter: where the page has evenly spaced gutters (found over
much of its height), a text block wider than ``WIDE_BLOCK`` columns is split at the ink valleys
on the grid lines (a safety net for gutters that are too narrow or too faint to cut every
line), and the pieces rejoin the blocks of their columns; a block that still joined across a
printed column rule is cut there, and so is one just below where a tear or a worn plate broke
a column rule off.

Lengths are multiples of the body text size (``masks.body_size``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from eulereye.model import BBox, union
from eulereye.segment.classical.fragments import LINE_GAP

GRID_CLEAR = 0.25  # a grid gutter is a gutter or rule over this share of the page height ...
GRID_EVEN = 0.05  # ... and the grid's gutters are evenly spaced to within this share ...
GRID_GUTTERS = 4  # ... with at least this many of them in a row ...
MIN_COLUMN = 15.0  # ... at least this many letters apart (also: the narrowest column of text)
WIDE_BLOCK = 1.4  # text blocks wider than this many grid columns are split on the grid
VALLEY_REACH = 1.5  # letters: the split may move this far from the grid line to the ink valley
VALLEY_INK = 0.1  # share of a block's rows that may have ink at a valley (protruding letters)
RULE_RUNS_ON = 5.0  # letters (some three lines): a text block starting this close under a
# column rule's end, wider than a column, is cut all the way down ...
RUNS_ON_SIDE = 6.0  # ... with this much of it on either side of the rule ...
RUNS_ON_LINES = 3.0  # ... and, when lower than this (one line), a space on the rule's line


def split_wide_blocks(
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


def split_at_rules(
    boxes: list[tuple[BBox, str]], rules: list[BBox], text_ink: np.ndarray, rules_mask: np.ndarray,
    size: float,
) -> list[tuple[BBox, str]]:
    """Boxes cut where a printed column rule runs through them (a letter or more inside on
    both sides): beside the rule into a left and a right piece, above and below it whole;
    each piece shrinks to its ink. Blocks are already kept apart at rules; this is the net for
    a block that still joined across one (a line of type touching the rule)."""
    for rule in rules:
        middle = (rule[0] + rule[2]) / 2
        column_rule = _alone(rule, rules, size)
        pieces: list[tuple[BBox, str]] = []
        for box, kind in boxes:
            x0, y0, x1, y1 = box
            top, bottom = _beside_rule(box, kind, rule, text_ink, rules_mask, size, column_rule)
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


def _beside_rule(box: BBox, kind: str, rule: BBox, text_ink: np.ndarray, rules_mask: np.ndarray,
                 size: float, column_rule: bool) -> tuple[int, int]:
    """The rows of ``box`` that a column rule cuts: those beside it, a line further either
    way (a line set across a break in the rule crosses it too), and the whole text box when
    a column rule ends within ``RULE_RUNS_ON`` letters above its top, the box is
    wider than a column with text on both sides of the rule, and a single line has a space
    there, and no horizontal rule ends the band between: a tear or a worn plate broke the
    rule off, but the columns go on. (Not upwards: a rule starting just under a box is the
    rule between the columns a headline spans.)"""
    x0, y0, x1, y1 = box
    reach = round(size)
    top, bottom = max(y0, rule[1] - reach), min(y1, rule[3] + reach)
    middle = (rule[0] + rule[2]) / 2
    if not column_rule or kind != "text" or x1 - x0 < MIN_COLUMN * size \
            or min(middle - x0, x1 - middle) < RUNS_ON_SIDE * size:
        return top, bottom
    along_rule = text_ink[y0:y1, round(middle - size) : round(middle + size)]
    if y1 - y0 < RUNS_ON_LINES * size and not _has_space(along_rule, size):
        return top, bottom  # a word of one line runs across the rule's line
    if y0 - RULE_RUNS_ON * size <= rule[3] <= y0 + size and not _crossed(rules_mask, middle, rule[3], y0, size):
        bottom = y1
    return top, bottom


def _crossed(rules_mask: np.ndarray, x: float, y0: int, y1: int, size: float) -> bool:
    """Whether a horizontal rule crosses the line x between rows y0 and y1: a band ends there."""
    x0 = max(0, round(x - RUNS_ON_SIDE * size))
    rows = rules_mask[max(0, y0 + 1) : max(0, y1), x0 : round(x + RUNS_ON_SIDE * size)]
    return bool((np.count_nonzero(rows, axis=1) >= 2 * RUNS_ON_SIDE * size - size).any())


def _alone(rule: BBox, rules: list[BBox], size: float) -> bool:
    """Whether no other rule stands beside ``rule`` closer than half a column: column rules
    stand a column apart; close parallel lines are the hatching of a picture."""
    middle = (rule[0] + rule[2]) / 2
    return not any(
        other is not rule and abs((other[0] + other[2]) / 2 - middle) < MIN_COLUMN / 2 * size
        and min(other[3], rule[3]) > max(other[1], rule[1])
        for other in rules)


def _has_space(ink: np.ndarray, size: float) -> bool:
    """Whether ``ink`` has a run of blank columns as wide as a word space (half a letter)."""
    width = max(1, round(size / 2))
    blank = (~ink.any(axis=0)).astype(int)
    return blank.size >= width and bool((np.convolve(blank, np.ones(width, int), "valid") == width).any())


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
