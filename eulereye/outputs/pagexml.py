"""PAGE-XML 2019-07-15 for a recognised page (validates against pagecontent-2019-07-15.xsd).

Regions are typed from each section's kind: text and headlines become ``TextRegion``s of type
``paragraph`` or ``heading`` (an advert: ``other``), pictures ``ImageRegion``s, rules
``SeparatorRegion``s; every region's ``custom`` attribute keeps eulereye's own kind. Text
regions hold their lines and words, each with its text and confidence (0..1). The
``ReadingOrder`` lists every region in reading order. Coordinates are pixels of the original
image, as four-corner polygons.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from eulereye.model import BBox, Page, Section

NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} {NS}/pagecontent.xsd"
TEXT_TYPES = {"masthead": "heading", "headline": "heading", "text": "paragraph", "advert": "other"}
TEXTLESS_REGIONS = {"illustration": "ImageRegion", "rule": "SeparatorRegion"}


def _sub(parent: ET.Element, tag: str, **attrs) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)


def _coords(parent: ET.Element, box: BBox) -> None:
    x0, y0, x1, y1 = box
    _sub(parent, "Coords", points=f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}")


def _text_equiv(parent: ET.Element, text: str, confidence: float | None = None) -> None:
    attrs = {} if confidence is None else {"conf": f"{max(0.0, min(1.0, confidence / 100)):.2f}"}
    _sub(_sub(parent, "TextEquiv", **attrs), "Unicode").text = text


def _region(page_element: ET.Element, section: Section) -> None:
    region_id = f"r{section.id}"
    tag = TEXTLESS_REGIONS.get(section.kind) if not section.lines else None
    attrs = {"custom": f"eulereye-kind:{section.kind}"}
    if tag is None:
        tag, attrs["type"] = "TextRegion", TEXT_TYPES.get(section.kind, "other")
    region = _sub(page_element, tag, id=region_id, **attrs)
    _coords(region, section.bbox)
    if tag != "TextRegion":
        return
    for li, line in enumerate(section.lines):
        line_element = _sub(region, "TextLine", id=f"{region_id}_l{li}")
        _coords(line_element, line.bbox)
        for wi, word in enumerate(line.words):
            word_element = _sub(line_element, "Word", id=f"{region_id}_l{li}_w{wi}")
            _coords(word_element, word.bbox)
            _text_equiv(word_element, word.text, word.confidence)
        _text_equiv(line_element, line.text)
    _text_equiv(region, section.text)


def page_xml(page: Page, *, source_name: str, software_version: str) -> bytes:
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NS}}}PcGts", {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    metadata = _sub(root, "Metadata")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    _sub(metadata, "Creator").text = f"eulereye {software_version}"
    _sub(metadata, "Created").text = now
    _sub(metadata, "LastChange").text = now
    page_element = _sub(root, "Page", imageFilename=source_name, imageWidth=str(page.width),
                        imageHeight=str(page.height))
    if page.sections:
        group = _sub(_sub(page_element, "ReadingOrder"), "OrderedGroup", id="reading-order",
                     caption="reading order")
        for section in page.sections:
            _sub(group, "RegionRefIndexed", index=str(section.order), regionRef=f"r{section.id}")
    for section in page.sections:
        _region(page_element, section)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
