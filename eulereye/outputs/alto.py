"""ALTO 4.4 XML for a recognised page (validates against alto-4-4.xsd).

Blocks are written in reading order and the order is also stated explicitly in a
``ReadingOrder`` group; each block's kind is a ``LayoutTag`` it refers to. Word confidence
becomes ``WC`` (0..1). Coordinates are pixels of the original image.

The ``ndnp`` profile writes what the National Digital Newspaper Program (Chronicling America,
Open ONI) loads: coordinates in 1/1200 inch (``inch1200``, from the image's DPI), the image's
file name without folders, and words hyphenated across a line end marked as LoC's own ALTO does:
``SUBS_TYPE="HypPart1"``/``"HypPart2"`` with the whole word in ``SUBS_CONTENT`` and a ``HYP``
element after the first part.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from pathlib import PurePosixPath

from eulereye.errors import MissingDpiError
from eulereye.model import BBox, Page

NS = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/alto/v4/alto-4-4.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


INCH1200 = 1200


def _box(bbox: BBox, scale: float = 1.0) -> dict[str, str]:
    x0, y0, x1, y1 = (round(v * scale) for v in bbox)
    return {"HPOS": str(x0), "VPOS": str(y0), "WIDTH": str(x1 - x0), "HEIGHT": str(y1 - y0)}


def _hyphen_parts(page: Page) -> dict[tuple[int, int, int], tuple[str, str]]:
    """(section id, line, word) -> (SUBS_TYPE, SUBS_CONTENT) for words split at a line end: a
    line's last word ending in a letter and a hyphen, the next line in reading order (in the
    same section, or the first of the next one: a column continued) starting in lower case."""
    ends = [(section.id, li, line) for section in page.sections for li, line in enumerate(section.lines)]
    parts = {}
    for (sid, li, line), (next_sid, next_li, next_line) in zip(ends, ends[1:]):
        last, following = line.words[-1].text, next_line.words[0].text
        if len(last) > 1 and last.endswith("-") and last[-2].isalpha() and following[:1].islower():
            whole = last[:-1] + following
            parts[(sid, li, len(line.words) - 1)] = ("HypPart1", whole)
            parts[(next_sid, next_li, 0)] = ("HypPart2", whole)
    return parts


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    element.text = text
    return element


def _description(root: ET.Element, unit: str, source_name: str, software_version: str, engine: str) -> None:
    description = _sub(root, "Description")
    _sub(description, "MeasurementUnit", unit)
    _sub(_sub(description, "sourceImageInformation"), "fileName", source_name)
    step = _sub(description, "Processing", ID="processing-1")
    _sub(step, "processingCategory", "contentGeneration")
    _sub(step, "processingDateTime", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    _sub(step, "processingStepSettings", f"engine={engine}")
    software = _sub(step, "processingSoftware")
    _sub(software, "softwareCreator", "eulereye")
    _sub(software, "softwareName", "eulereye")
    _sub(software, "softwareVersion", software_version)


def require_dpi(name: str, dpi: float | None) -> float:
    """The resolution NDNP ALTO needs; raises MissingDpiError (a permanent page failure)."""
    if not dpi:
        raise MissingDpiError(f"{name}: the NDNP ALTO profile needs the image's resolution "
                              "(1/1200 inch coordinates) and the file states none; give --dpi")
    return dpi


def alto_xml(page: Page, *, source_name: str, software_version: str, engine: str,
             profile: str = "pixel") -> bytes:
    ndnp = profile == "ndnp"
    scale = INCH1200 / require_dpi(page.name, page.dpi) if ndnp else 1.0
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NS}}}alto", {"SCHEMAVERSION": "4.4", f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    if ndnp:
        _description(root, "inch1200", PurePosixPath(source_name).name, software_version, engine)
    else:
        _description(root, "pixel", source_name, software_version, engine)

    kinds = sorted({s.kind for s in page.sections})
    if kinds:
        tags = _sub(root, "Tags")
        for kind in kinds:
            _sub(tags, "LayoutTag", ID=f"kind-{kind}", LABEL=kind)
        order = _sub(_sub(root, "ReadingOrder"), "OrderedGroup", ID="reading-order")
        for section in page.sections:
            _sub(order, "ElementRef", ID=f"ref-{section.id}", REF=f"block-{section.id}")

    hyphenated = _hyphen_parts(page) if ndnp else {}
    page_box = _box((0, 0, page.width, page.height), scale)
    layout_page = _sub(_sub(root, "Layout"), "Page", ID="page-1", PHYSICAL_IMG_NR="1",
                       WIDTH=page_box["WIDTH"], HEIGHT=page_box["HEIGHT"])
    space = _sub(layout_page, "PrintSpace", **page_box)
    for section in page.sections:
        block_type = "TextBlock" if section.lines or section.kind != "illustration" else "Illustration"
        block = _sub(space, block_type, ID=f"block-{section.id}", TAGREFS=f"kind-{section.kind}",
                     **_box(section.bbox, scale))
        for li, line in enumerate(section.lines):
            text_line = _sub(block, "TextLine", ID=f"line-{section.id}-{li}", **_box(line.bbox, scale))
            for wi, word in enumerate(line.words):
                if wi:
                    _sub(text_line, "SP")
                subs = hyphenated.get((section.id, li, wi))
                text = word.text[:-1] if subs and subs[0] == "HypPart1" else word.text
                extra = {"SUBS_TYPE": subs[0], "SUBS_CONTENT": subs[1]} if subs else {}
                _sub(text_line, "String", ID=f"word-{section.id}-{li}-{wi}", CONTENT=text, **extra,
                     WC=f"{max(0.0, min(1.0, word.confidence / 100)):.2f}", **_box(word.bbox, scale))
                if subs and subs[0] == "HypPart1":
                    _sub(text_line, "HYP", CONTENT="-")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
