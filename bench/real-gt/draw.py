"""Draws a PAGE-XML's regions and reading order over its page image, as a PNG to look at.

Usage: ``python bench/real-gt/draw.py GT.xml --out OUT.png [--image PAGE] [--width PX]``.
Each region is outlined in its kind's colour (masthead purple, heading red, paragraph blue,
other/advert green, image orange, separator grey) and labelled with its reading-order number
(1 = first) and its article. Without ``--image`` the page is looked up by the XML's
``imageFilename`` under the data folder (``$GT_SHARED_DATA``, default ``<repo>/.testdata``,
filled by ``make testdata``).
"""

from __future__ import annotations

import argparse
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import cv2
import numpy as np

NS = {"pc": "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"}
COLOURS = {  # BGR
    "header": (160, 0, 160), "heading": (0, 0, 220), "paragraph": (200, 80, 0),
    "other": (0, 150, 0), "ImageRegion": (0, 140, 255), "SeparatorRegion": (128, 128, 128),
}


def find_image(xml_path: Path, name: str) -> Path:
    shared = Path(os.environ.get("GT_SHARED_DATA", Path(__file__).resolve().parents[2] / ".testdata"))
    for candidate in [xml_path.parent / name, *shared.rglob(name)]:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"page image {name} not found beside {xml_path} or under {shared}")


def regions(page: ET.Element) -> list[tuple[str, str, str, np.ndarray]]:
    """(id, kind, article, polygon) of every region of the page."""
    found = []
    for element in page:
        coords = element.find("pc:Coords", NS)
        if coords is None:
            continue
        tag = element.tag.split("}")[1]
        kind = element.get("type", "") if tag == "TextRegion" else tag
        article = re.search(r"article\s*\{id:([^;}]+)", element.get("custom", ""))
        points = np.array([[int(v) for v in p.split(",")] for p in coords.get("points").split()], np.int32)
        found.append((element.get("id"), kind, article.group(1) if article else "", points))
    return found


def reading_order(page: ET.Element) -> dict[str, int]:
    refs = page.findall("pc:ReadingOrder//pc:RegionRefIndexed", NS)
    ordered = sorted(refs, key=lambda ref: int(ref.get("index")))
    return {ref.get("regionRef"): number for number, ref in enumerate(ordered, 1)}


def draw(xml_path: Path, image_path: Path | None, out: Path, width: int) -> Path:
    page = ET.parse(xml_path).getroot().find("pc:Page", NS)
    image_path = image_path or find_image(xml_path, page.get("imageFilename"))
    gray = cv2.imread(str(image_path), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise FileNotFoundError(f"cannot read image {image_path}")
    scale = width / gray.shape[1]
    canvas = cv2.cvtColor(cv2.resize(gray, (width, round(gray.shape[0] * scale)), interpolation=cv2.INTER_AREA),
                          cv2.COLOR_GRAY2BGR)
    order = reading_order(page)
    centres = []
    for region_id, kind, article, points in regions(page):
        colour = COLOURS.get(kind, (0, 0, 0))
        scaled = np.round(points * scale).astype(np.int32)
        cv2.polylines(canvas, [scaled], True, colour, 2)
        if region_id in order:
            x, y = scaled.min(0)
            label = f"{order[region_id]} {article}"
            cv2.putText(canvas, label, (int(x) + 3, int(y) + 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 3)
            cv2.putText(canvas, label, (int(x) + 3, int(y) + 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1)
            centres.append((order[region_id], scaled.mean(0).astype(int)))
    path = [tuple(int(v) for v in centre) for _, centre in sorted(centres, key=lambda c: c[0])]
    for start, end in zip(path, path[1:]):
        cv2.arrowedLine(canvas, start, end, (0, 200, 255), 1, tipLength=0.02)
    cv2.imwrite(str(out), canvas)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xml", type=Path)
    parser.add_argument("--image", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="PNG to write")
    parser.add_argument("--width", type=int, default=1600, help="overlay width in pixels (default 1600)")
    args = parser.parse_args()
    print(draw(args.xml, args.image, args.out, args.width))


if __name__ == "__main__":
    main()
