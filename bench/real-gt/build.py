"""Builds a hand-made ground-truth PAGE-XML from its region list (``<stem>.regions.txt``).

The region list is written by looking at the page: one line per region, in reading order,
each a rough box drawn around the region's ink. This tool only snaps every box to the ink
inside it (printed rules and specks left out; a top or bottom edge first moves to the emptiest
row within a few pixels, so it falls between lines), so the Coords are tight rectangles, and writes
``<stem>.xml`` (PAGE 2019-07-15) beside the list. See README.md for the conventions.

Region list format (``#`` starts a comment)::

    image news-scans/evening-star_1862-08-25_seq-1.jpg   # relative to the data folder (shared/data's layout)
    <kind> <article> <x0> <y0> <x1> <y1> [exact]

kinds: header (masthead), heading, paragraph, caption, other (adverts, notices), picture (a picture:
ImageRegion), separator (a printed vertical rule: SeparatorRegion, not in the reading order).
``exact`` keeps the box as written. Usage: ``python bench/real-gt/build.py LIST [LIST ...]``
(data folder: ``$GT_SHARED_DATA``, default ``<repo>/.testdata``, filled by ``make testdata``).
"""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CREATED = "2026-11-30T00:00:00"
TEXT_KINDS = {"header", "heading", "paragraph", "caption", "other"}
STRUCTURE = {"header": "masthead", "other": "advert"}
RULE_LENGTH = 80  # px: longer thin straight vertical strokes are printed rules, not letters
RULE_WIDTH = 9  # px: a rule's found core widened by this, to take its ragged edges too
BAR_LENGTH = 80  # px: longer horizontal strokes are rules and dashes, not letters
RULE_SLENDERNESS = 12  # a rule is at least this many times longer than thick ...
RULE_MIN_THICKNESS = 6  # px: ... or at most this thick (short broken pieces of a rule)
SPECK_AREA = 12  # px: smaller ink blobs are dust
STREAK_LENGTH = 100  # px: a taller blob, at most half as wide, filling less than STREAK_FILL
STREAK_FILL = 0.25  # of its box, is a piece of a tear, fold or slanted rule, not print
WORD_SMEAR = (15, 5)  # px (x, y): ink this close together is one word
SETTLE = 12  # px: how far a written top or bottom edge may move to fall between lines
MIN_WORD = 45  # px: a smeared word's longer side is at least this, stray marks' shorter


@dataclass(frozen=True)
class Region:
    kind: str
    article: str
    box: tuple[int, int, int, int]


def shared_data() -> Path:
    default = Path(__file__).resolve().parents[2] / ".testdata"
    return Path(os.environ.get("GT_SHARED_DATA", default))


def read_list(path: Path) -> tuple[Path, list[tuple[Region, bool]]]:
    image, regions = None, []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = raw.split("#", 1)[0].split()
        if not fields:
            continue
        if fields[0] == "image":
            image = shared_data() / fields[1]
            continue
        if len(fields) not in (6, 7) or fields[0] not in TEXT_KINDS | {"picture", "separator"}:
            raise ValueError(f"{path}:{number}: expected '<kind> <article> x0 y0 x1 y1 [exact]', got {raw!r}")
        x0, y0, x1, y1 = map(int, fields[2:6])
        regions.append((Region(fields[0], fields[1], (x0, y0, x1, y1)), fields[6:] == ["exact"]))
    if image is None:
        raise ValueError(f"{path}: no 'image' line")
    return image, regions


def _thin_strokes(opened: np.ndarray, axis: int) -> np.ndarray:
    """The long strokes of a morphological opening that are also thin: rules, not the stems
    and bars of large type (which are long but thick)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    length = stats[:, cv2.CC_STAT_HEIGHT] if axis == 0 else stats[:, cv2.CC_STAT_WIDTH]
    thickness = stats[:, cv2.CC_STAT_WIDTH] if axis == 0 else stats[:, cv2.CC_STAT_HEIGHT]
    thin = thickness <= np.maximum(RULE_MIN_THICKNESS, length / RULE_SLENDERNESS)
    thin[0] = False
    return (thin[labels] * 255).astype(np.uint8)


def ink_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(text ink without rules, specks and long thin streaks, vertical rules) as boolean masks."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 51, 15)
    vertical = _thin_strokes(cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, RULE_LENGTH))), axis=0)
    horizontal = _thin_strokes(cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (BAR_LENGTH, 1))), axis=1)
    widened = cv2.bitwise_or(cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (RULE_WIDTH, 1))),
                             cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (1, RULE_WIDTH))))
    text = cv2.bitwise_and(ink, cv2.bitwise_not(widened))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(text, connectivity=8)
    width, height, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    streak = (height >= STREAK_LENGTH) & (width * 2 <= height) & (area < STREAK_FILL * width * height)
    keep = (area >= SPECK_AREA) & ~streak
    keep[0] = False
    return keep[labels], vertical > 0


def settle(mask: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The box with its top and bottom moved to the emptiest row within SETTLE px, so an edge
    written by eye between two close lines of type falls between them, not through one."""
    x0, y0, x1, y1 = box
    edges = []
    for edge in (y0, y1):
        rows = np.arange(max(0, edge - SETTLE), min(mask.shape[0], edge + SETTLE + 1))
        ink = mask[rows, x0:x1].sum(1)
        edges.append(int(rows[np.lexsort((np.abs(rows - edge), ink))[0]]))
    return x0, edges[0], x1, max(edges[1], edges[0] + 1)


def snap(mask: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The box shrunk to the words of ``mask`` inside it (unchanged when it holds none).

    Ink is smeared into words first; stray marks smaller than a short word are not counted."""
    x0, y0, x1, y1 = box
    inside = mask[y0:y1, x0:x1].astype(np.uint8)
    words = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, WORD_SMEAR))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(words, connectivity=8)
    big = (np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) >= MIN_WORD)
    big[0] = False
    kept = inside.astype(bool) & big[labels]
    rows, cols = np.flatnonzero(kept.any(1)), np.flatnonzero(kept.any(0))
    if rows.size == 0:
        return box
    return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1


def _element(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{PAGE_NS}}}{tag}", attributes)


def _coords(parent: ET.Element, box: tuple[int, int, int, int]) -> None:
    x0, y0, x1, y1 = box
    _element(parent, "Coords", points=f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}")


def _custom(region: Region) -> str:
    structure = STRUCTURE.get(region.kind)
    article = f"article {{id:{region.article};}}"
    return f"structure {{type:{structure};}} {article}" if structure else article


def page_xml(image_name: str, width: int, height: int, regions: list[Region]) -> bytes:
    ET.register_namespace("", PAGE_NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{PAGE_NS}}}PcGts", {
        f"{{{XSI}}}schemaLocation": f"{PAGE_NS} {PAGE_NS}/pagecontent.xsd",
        "pcGtsId": Path(image_name).stem,
    })
    metadata = _element(root, "Metadata")
    _element(metadata, "Creator").text = "eulereye bench/real-gt: hand-drawn regions snapped to ink (build.py)"
    _element(metadata, "Created").text = CREATED
    _element(metadata, "LastChange").text = CREATED
    page = _element(root, "Page", imageFilename=image_name, imageWidth=str(width), imageHeight=str(height))
    read = [r for r in regions if r.kind != "separator"]
    group = _element(_element(page, "ReadingOrder"), "OrderedGroup", id="ro0", caption="reader's order")
    for index in range(len(read)):
        _element(group, "RegionRefIndexed", index=str(index), regionRef=f"r{index + 1}")
    for index, region in enumerate(read, 1):
        if region.kind == "picture":
            element = _element(page, "ImageRegion", id=f"r{index}", custom=_custom(region))
        else:
            element = _element(page, "TextRegion", id=f"r{index}", type=region.kind, custom=_custom(region))
        _coords(element, region.box)
    rules = [r for r in regions if r.kind == "separator"]
    for index, region in enumerate(rules, 1):
        _coords(_element(page, "SeparatorRegion", id=f"s{index}"), region.box)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def regions_for(list_path: Path) -> tuple[str, int, int, list[Region]]:
    """(image file name, width, height, snapped regions) of a region list."""
    image_path, listed = read_list(list_path)
    gray = cv2.imread(str(image_path), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise FileNotFoundError(f"cannot read image {image_path}")
    height, width = gray.shape
    text, rules = ink_masks(gray)
    regions = []
    for region, exact in listed:
        x0, y0, x1, y1 = region.box
        box = (max(0, x0), max(0, y0), min(width, x1), min(height, y1))
        if not exact:
            box = snap(rules, box) if region.kind == "separator" else snap(text, settle(text, box))
        regions.append(Region(region.kind, region.article, box))
    return image_path.name, width, height, regions


def build(list_path: Path) -> Path:
    out = list_path.with_name(list_path.name.removesuffix(".regions.txt") + ".xml")
    out.write_bytes(page_xml(*regions_for(list_path)))
    return out


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(build(Path(argument)))
