"""PAGE-XML ground truth (any schema version): region boxes, region texts, reading order."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eulereye.model import BBox


@dataclass
class PageLayout:
    """Regions of a PAGE-XML file as boxes; ``reading_order`` lists region ids when given."""

    width: int
    height: int
    text: dict[str, BBox] = field(default_factory=dict)
    separators: dict[str, BBox] = field(default_factory=dict)
    graphics: dict[str, BBox] = field(default_factory=dict)
    text_types: dict[str, str] = field(default_factory=dict)
    text_contents: dict[str, str] = field(default_factory=dict)  # transcription, where the GT has one
    reading_order: list[str] = field(default_factory=list)
    articles: dict[str, str] = field(default_factory=dict)  # region id -> article id, where marked


# The article a region belongs to, in PAGE-XML's custom attribute: "article {id:a3;}" or
# "structure {type:article; id:a3;}".
_ARTICLE = re.compile(r"(?:article|structure)\s*\{[^}]*\bid:([^;}]+)")

_REGION_TABLES = {
    "TextRegion": "text",
    "SeparatorRegion": "separators",
    "GraphicRegion": "graphics",
    "ImageRegion": "graphics",
}


def read_page_xml(path: str | Path) -> PageLayout:
    """Read region boxes, region texts and the reading order (where given) from a PAGE-XML file."""
    root = ET.parse(path).getroot()
    page = next(el for el in root.iter() if _local(el.tag) == "Page")
    layout = PageLayout(int(page.get("imageWidth")), int(page.get("imageHeight")))
    for element in page.iter():
        tag = _local(element.tag)
        if tag == "TextRegion":
            layout.text_contents[element.get("id")] = _region_text(element)
        table = _REGION_TABLES.get(tag)
        coords = next((c for c in element if _local(c.tag) == "Coords"), None)
        if table is None or coords is None:
            continue
        getattr(layout, table)[element.get("id")] = _points_bbox(coords.get("points"))
        if table == "text":
            layout.text_types[element.get("id")] = element.get("type", "")
            article = _ARTICLE.search(element.get("custom", ""))
            if article:
                layout.articles[element.get("id")] = article.group(1).strip()
    refs = [el for el in page.iter() if _local(el.tag) == "RegionRefIndexed"]
    layout.reading_order = [r.get("regionRef") for r in sorted(refs, key=lambda r: int(r.get("index")))]
    return layout


def _region_text(region: ET.Element) -> str:
    """A text region's own TextEquiv, else its lines' joined by newlines ("" without text)."""
    lines = [_equiv(line) for line in region if _local(line.tag) == "TextLine"]
    return _equiv(region) or "\n".join(t for t in lines if t)


def _equiv(element: ET.Element) -> str:
    for child in element:
        if _local(child.tag) == "TextEquiv":
            unicode = next((u for u in child if _local(u.tag) == "Unicode"), None)
            return (unicode.text or "").strip() if unicode is not None else ""
    return ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _points_bbox(points: str) -> BBox:
    xy = np.array([p.split(",") for p in points.split()], dtype=np.int64)
    return (int(xy[:, 0].min()), int(xy[:, 1].min()), int(xy[:, 0].max()) + 1, int(xy[:, 1].max()) + 1)
