"""ALTO 4.4 XML for a recognised page (validates against alto-4-4.xsd).

Blocks are written in reading order and the order is also stated explicitly in a
``ReadingOrder`` group; each block's kind is a ``LayoutTag`` it refers to. Word confidence
becomes ``WC`` (0..1). Coordinates are pixels of the original image.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from eulereye.model import BBox, Page

NS = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/alto/v4/alto-4-4.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _box(bbox: BBox) -> dict[str, str]:
    x0, y0, x1, y1 = bbox
    return {"HPOS": str(x0), "VPOS": str(y0), "WIDTH": str(x1 - x0), "HEIGHT": str(y1 - y0)}


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    element.text = text
    return element


def _description(root: ET.Element, source_name: str, software_version: str, engine: str) -> None:
    description = _sub(root, "Description")
    _sub(description, "MeasurementUnit", "pixel")
    _sub(_sub(description, "sourceImageInformation"), "fileName", source_name)
    step = _sub(description, "Processing", ID="processing-1")
    _sub(step, "processingCategory", "contentGeneration")
    _sub(step, "processingDateTime", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    _sub(step, "processingStepSettings", f"engine={engine}")
    software = _sub(step, "processingSoftware")
    _sub(software, "softwareCreator", "eulereye")
    _sub(software, "softwareName", "eulereye")
    _sub(software, "softwareVersion", software_version)


def alto_xml(page: Page, *, source_name: str, software_version: str, engine: str) -> bytes:
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NS}}}alto", {"SCHEMAVERSION": "4.4", f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    _description(root, source_name, software_version, engine)

    kinds = sorted({s.kind for s in page.sections})
    if kinds:
        tags = _sub(root, "Tags")
        for kind in kinds:
            _sub(tags, "LayoutTag", ID=f"kind-{kind}", LABEL=kind)
        order = _sub(_sub(root, "ReadingOrder"), "OrderedGroup", ID="reading-order")
        for section in page.sections:
            _sub(order, "ElementRef", ID=f"ref-{section.id}", REF=f"block-{section.id}")

    layout_page = _sub(_sub(root, "Layout"), "Page", ID="page-1", PHYSICAL_IMG_NR="1",
                       WIDTH=str(page.width), HEIGHT=str(page.height))
    space = _sub(layout_page, "PrintSpace", **_box((0, 0, page.width, page.height)))
    for section in page.sections:
        block_type = "TextBlock" if section.lines or section.kind != "illustration" else "Illustration"
        block = _sub(space, block_type, ID=f"block-{section.id}", TAGREFS=f"kind-{section.kind}",
                     **_box(section.bbox))
        for li, line in enumerate(section.lines):
            text_line = _sub(block, "TextLine", ID=f"line-{section.id}-{li}", **_box(line.bbox))
            for wi, word in enumerate(line.words):
                if wi:
                    _sub(text_line, "SP")
                _sub(text_line, "String", ID=f"word-{section.id}-{li}-{wi}", CONTENT=word.text,
                     WC=f"{max(0.0, min(1.0, word.confidence / 100)):.2f}", **_box(word.bbox))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
