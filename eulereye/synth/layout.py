"""Page geometry: a masthead, then horizontal bands; each band is cut into stacks of columns,
each stack holds articles and adverts one above the other.

The layout only decides boxes; the renderer fills them. Items come out in the order a person
reads them: masthead, then band by band, stacks left to right, items top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from eulereye.model import BBox

# Fractions of the page width: margins and column gutters of a tabloid scan. Gutters vary
# from page to page; old newspapers often leave less than a letter's height between columns.
MARGIN = 0.035
GUTTER = (0.009, 0.022)
RULE_WEIGHT = 0.0015  # rule thickness; at least 2 px


@dataclass(frozen=True)
class Item:
    """One article or advert: a box spanning whole columns, ``columns`` as (x0, x1) spans."""

    kind: str  # "article" or "advert"
    box: BBox
    columns: tuple[tuple[int, int], ...]
    illustrated: bool = False


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    masthead: BBox
    items: tuple[Item, ...]  # reading order
    rules: tuple[BBox, ...]  # column rules between stacks, band and item separators
    gutter: int
    rule_weight: int
    column_rules: bool  # whether the renderer also rules the gutters inside articles


def _split(rng: np.random.Generator, total: int, parts: int, minimum: int) -> list[int]:
    """``parts`` random sizes summing to ``total``, each at least ``minimum``."""
    spare = max(0, total - parts * minimum)
    weights = rng.uniform(0.6, 1.4, size=parts)
    sizes = [minimum + int(spare * w / weights.sum()) for w in weights]
    sizes[-1] += total - sum(sizes)
    return sizes


def _compose(rng: np.random.Generator, columns: int) -> list[int]:
    """Widths (in columns) of the stacks that fill one band."""
    widths = []
    left = columns
    while left:
        width = int(rng.choice([1, 1, 2, 2, 3])) if left > 1 else 1
        if rng.random() < 0.08:
            width = left  # a banner article across the whole band
        width = min(width, left)
        widths.append(width)
        left -= width
    return widths


def make_layout(rng: np.random.Generator, width: int, height: int, columns: int,
                gutter_share: float, rule_weight: int | None = None) -> Layout:
    """``gutter_share``: the column gutter as a share of the page width; ``rule_weight``: rule
    thickness in px (by default a share of the page width, at least 2 px)."""
    margin = round(MARGIN * width)
    gutter = round(gutter_share * width)
    weight = rule_weight or max(2, round(RULE_WEIGHT * width))
    column_width = (width - 2 * margin - (columns - 1) * gutter) // columns
    spans = [(margin + i * (column_width + gutter), margin + i * (column_width + gutter) + column_width)
             for i in range(columns)]
    right = spans[-1][1]
    masthead = (margin, margin, right, margin + round(height * rng.uniform(0.09, 0.12)))
    rules: list[BBox] = [(margin, masthead[3], right, masthead[3] + 2 * weight)]
    items: list[Item] = []
    column_rules = bool(rng.random() < 0.75)

    top = masthead[3] + 2 * weight + gutter
    bottom = height - margin
    min_item = round(0.12 * height)
    band_count = int(rng.integers(1, 4))
    band_count = max(1, min(band_count, (bottom - top + gutter) // (2 * min_item + gutter)))
    band_heights = _split(rng, bottom - top - (band_count - 1) * gutter, band_count, 2 * min_item)
    for band, band_height in enumerate(band_heights):
        if band:
            rules.append((margin, top - gutter // 2 - weight // 2, right, top - gutter // 2 + (weight + 1) // 2))
        first = 0
        for stack_width in _compose(rng, columns):
            stack_spans = tuple(spans[first:first + stack_width])
            x0, x1 = stack_spans[0][0], stack_spans[-1][1]
            if first and column_rules:
                gx = x0 - gutter // 2
                rules.append((gx - weight // 2, top, gx + (weight + 1) // 2, top + band_height))
            first += stack_width
            count = int(rng.integers(1, 4)) if band_height >= 3 * min_item else int(rng.integers(1, 3))
            count = max(1, min(count, (band_height + gutter) // (min_item + gutter)))
            if stack_width == columns:
                count = 1  # a banner article fills its band
            y = top
            for index, item_height in enumerate(_split(rng, band_height - (count - 1) * gutter, count, min_item)):
                if index:
                    ry = y - gutter // 2
                    rules.append((x0 + gutter, ry - weight // 2, x1 - gutter, ry + (weight + 1) // 2))
                advert = stack_width <= 2 and item_height < 0.3 * height and rng.random() < 0.15
                items.append(Item(
                    kind="advert" if advert else "article",
                    box=(x0, y, x1, y + item_height),
                    columns=stack_spans,
                    illustrated=not advert and item_height > 0.25 * height and rng.random() < 0.3,
                ))
                y += item_height + gutter
        top += band_height + gutter
    return Layout(width, height, masthead, tuple(items), tuple(rules), gutter, weight, column_rules)
