"""Measures for real archive scans that need no transcription (issue 10): how much text is
read across a printed column rule, how well the reading order agrees with a hand-made one, with
column-by-column order and with article zones, and how many dictionary words come out.

Every measure works on *lines*: a box in page pixels and its text, in the order a system
reads them. Readers for eulereye's ``sections/<name>.json``, Tesseract's TSV and ALTO (the
library's own OCR) turn each system's output into that one shape.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eulereye import ink
from eulereye.model import BBox, union

RULE_LENGTH = 0.04  # a printed column rule is a thin vertical ink run this share of the page tall
RULE_WIDTH = 0.003  # ... and at most this share of the page wide (a hairline, a few pixels)
CROSS_MARGIN = 0.5  # a line crosses a rule with this many line heights of it on either side
COLUMN_RULE_SHARE = 0.25  # a column boundary: rules at one x adding up to this share of the height


@dataclass(frozen=True)
class TextLine:
    bbox: BBox
    text: str


# -- readers ------------------------------------------------------------------------------

def lines_from_sections(path: str | Path) -> list[TextLine]:
    """Lines of eulereye's ``sections/<name>.json``, in its reading order."""
    sections = sorted(json.loads(Path(path).read_text()), key=lambda s: s["order"])
    return [TextLine(tuple(line["bbox"]), line["text"]) for s in sections for line in s["lines"]]


def lines_from_tsv(tsv: str) -> list[TextLine]:
    """Lines of Tesseract's TSV output (``tesseract IMAGE - tsv``), in Tesseract's order."""
    lines: dict[tuple[str, str, str, str], list[tuple[BBox, str]]] = {}
    for row in csv.DictReader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row["level"] != "5" or not text:
            continue
        x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append(((x, y, x + w, y + h), text))
    return [TextLine(union([b for b, _ in words]), " ".join(t for _, t in words)) for words in lines.values()]


def lines_from_alto(path: str | Path, dpi: float | None = None) -> list[TextLine]:
    """Lines of an ALTO file in file order, boxes in image pixels. ALTO in 1/1200 inch (the
    NDNP profile) needs the image's ``dpi``; pixel ALTO is taken as it is."""
    root = ET.parse(path).getroot()
    unit = next((el.text for el in root.iter() if _local(el.tag) == "MeasurementUnit"), "pixel")
    scale = 1.0 if unit == "pixel" else (dpi or 0) / 1200
    if scale <= 0:
        raise ValueError(f"{path}: ALTO in {unit} needs the image's dpi")
    out = []
    for line in (el for el in root.iter() if _local(el.tag) == "TextLine"):
        words = [s.get("CONTENT", "") for s in line if _local(s.tag) == "String"]
        box = tuple(float(line.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
        x, y, w, h = (v * scale for v in box)
        out.append(TextLine((round(x), round(y), round(x + w), round(y + h)), " ".join(words)))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# -- printed column rules and straddle ----------------------------------------------------

def vertical_rules(gray: np.ndarray) -> list[BBox]:
    """The printed column rules of a page (and frames): thin vertical ink runs at least
    ``RULE_LENGTH`` of the page tall."""
    height, width = gray.shape
    return ink.vertical_rules(gray, max(10, round(RULE_LENGTH * height)), max(3.0, RULE_WIDTH * width))


def crosses_rule(line: BBox, rules: Sequence[BBox], margin: float | None = None) -> bool:
    """Whether a printed rule runs through ``line``'s box with ``margin`` on both sides (by
    default half the line's height): the line was read straight across it."""
    x0, y0, x1, y1 = line
    margin = max(2.0, CROSS_MARGIN * (y1 - y0)) if margin is None else margin
    middle = (y0 + y1) / 2
    return any(r[1] <= middle <= r[3] and x0 + margin <= r[0] and r[2] <= x1 - margin for r in rules)


def straddle(lines: Iterable[TextLine], rules: Sequence[BBox]) -> float:
    """Share of text characters (no spaces) in lines that cross a printed column rule."""
    total = crossing = 0
    for line in lines:
        chars = len(line.text.replace(" ", ""))
        total += chars
        if chars and crosses_rule(line.bbox, rules):
            crossing += chars
    return crossing / total if total else 0.0


# -- reading order --------------------------------------------------------------------------

def region_of(line: BBox, regions: Sequence[BBox]) -> int | None:
    """Index of the region holding the centre of ``line``; None when none does."""
    cx, cy = (line[0] + line[2]) / 2, (line[1] + line[3]) / 2
    for index, box in enumerate(regions):
        if box[0] <= cx < box[2] and box[1] <= cy < box[3]:
            return index
    return None


def pairwise_agreement(ranks: Sequence[float]) -> float:
    """Share of pairs (i before j in a system's order) whose true ranks agree, ties left out:
    1.0 for the true order, about 0.5 for a random one."""
    values = np.asarray(ranks, dtype=float)
    if values.size < 2:
        return 1.0
    later = values[None, :] - values[:, None]  # rank of j minus rank of i
    upper = np.triu(np.ones_like(later, dtype=bool), k=1)
    right = np.count_nonzero((later > 0) & upper)
    wrong = np.count_nonzero((later < 0) & upper)
    return right / (right + wrong) if right + wrong else 1.0


def order_agreement(lines: Sequence[TextLine], regions_in_order: Sequence[BBox]) -> float:
    """Pairwise agreement of a system's line order with a hand-made region reading order:
    each line counts for the region holding its centre (lines outside every region are left
    out)."""
    ranks = [region_of(line.bbox, regions_in_order) for line in lines]
    return pairwise_agreement([r for r in ranks if r is not None])


def column_bounds(rules: Sequence[BBox], width: int, height: int) -> tuple[list[float], tuple[int, int]]:
    """The page's column boundaries (x of rule runs adding up to ``COLUMN_RULE_SHARE`` of the
    page height) and the vertical span most of them cover."""
    clusters: list[list[BBox]] = []
    for rule in sorted(rules, key=lambda r: r[0]):
        if clusters and rule[0] - clusters[-1][-1][0] <= 0.01 * width:
            clusters[-1].append(rule)
        else:
            clusters.append([rule])
    strong = [c for c in clusters if sum(r[3] - r[1] for r in c) >= COLUMN_RULE_SHARE * height]
    if not strong:
        return [], (0, height)
    xs = [float(np.median([(r[0] + r[2]) / 2 for r in c])) for c in strong]
    # Where most columns run: an ear box's short rules beside the masthead do not count.
    span = (int(np.median([min(r[1] for r in c) for c in strong])),
            int(np.median([max(r[3] for r in c) for c in strong])))
    return xs, span


def column_agreement(lines: Sequence[TextLine], bounds: Sequence[float], span: tuple[int, int]) -> float:
    """Pairwise agreement with reading column by column, each top to bottom. Only lines inside
    one column, within the columns' vertical span, count (the masthead above is left out)."""
    edges = [-np.inf, *bounds, np.inf]
    ranks = []
    for line in lines:
        x0, y0, x1, y1 = line.bbox
        cy = (y0 + y1) / 2
        column = int(np.searchsorted(bounds, (x0 + x1) / 2))
        if not span[0] <= cy <= span[1] or x0 < edges[column] - 5 or x1 > edges[column + 1] + 5:
            continue
        ranks.append(column * 1e6 + cy)
    return pairwise_agreement(ranks)


def article_contiguity(lines: Sequence[TextLine], articles: Sequence[Sequence[BBox]]) -> float:
    """(articles - 1) / changes of article along the reading order: 1.0 when each article is
    read in one go. Each line counts for the article whose zone holds its centre."""
    zones = [(index, zone) for index, article in enumerate(articles) for zone in article]
    sequence = []
    for line in lines:
        hit = region_of(line.bbox, [zone for _, zone in zones])
        if hit is not None:
            sequence.append(zones[hit][0])
    changes = sum(a != b for a, b in zip(sequence, sequence[1:]))
    return (len(set(sequence)) - 1) / changes if changes else 1.0
