"""Writes a synthetic page and its ground truth: the image, ``<name>.gt.json`` and PAGE-XML.

PAGE-XML (2019-07-15 schema) mapping: masthead and headlines are ``TextRegion type="heading"``
(the masthead marked ``custom="structure {type:masthead;}"``), body text ``type="paragraph"``,
adverts ``type="other"`` marked ``structure {type:advert;}``, illustrations ``GraphicRegion``,
rules ``SeparatorRegion``. Every section is in the ``ReadingOrder``; rules are not. Files are
byte-identical for identical pages (fixed metadata dates, no timestamps in images).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image

from eulereye.synth.page import SynthPage, SynthSection

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
SCHEMA_LOCATION = f"{PAGE_NS} {PAGE_NS}/pagecontent.xsd"
FIXED_DATE = "2025-01-01T00:00:00"  # keeps regenerated files byte-identical
TEXT_TYPES = {"masthead": "heading", "headline": "heading", "text": "paragraph", "advert": "other"}
CUSTOM = {"masthead": "structure {type:masthead;}", "advert": "structure {type:advert;}"}


def write_ground_truth(page: SynthPage, directory: str | Path, name: str, *,
                       image_suffix: str = ".png", image_directory: str | Path | None = None) -> list[Path]:
    """Writes ``<name><image_suffix>`` (into ``image_directory``, default ``directory``),
    ``<name>.gt.json`` and ``<name>.xml``; returns their paths. ``name`` may hold sub-folders."""
    gt_path = Path(directory) / name
    image_path = Path(image_directory or directory) / (name + image_suffix)
    for path in (gt_path, image_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    _write_image(page, image_path)
    json_path = gt_path.parent / (gt_path.name + ".gt.json")
    json_path.write_text(json.dumps(_as_json(page, image_path.name), indent=1, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    xml_path = gt_path.parent / (gt_path.name + ".xml")
    xml_path.write_bytes(page_xml(page, image_path.name))
    return [image_path, json_path, xml_path]


def _write_image(page: SynthPage, path: Path) -> None:
    image = Image.fromarray(page.image)
    suffix = path.suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        image.save(path, quality=88)
    elif suffix in (".tif", ".tiff"):
        if _is_bilevel(page):
            image.convert("1").save(path, compression="group4")
        else:
            image.save(path, compression="tiff_deflate")
    else:
        image.save(path)


def _is_bilevel(page: SynthPage) -> bool:
    return bool(((page.image == 0) | (page.image == 255)).all())


def _section_json(section: SynthSection) -> dict:
    return {
        "order": section.order,
        "kind": section.kind,
        "bbox": list(section.bbox),
        "polygon": [list(p) for p in section.polygon],
        "text": section.text,
        "lines": [{"bbox": list(line.bbox), "polygon": [list(p) for p in line.polygon], "text": line.text}
                  for line in section.lines],
    }


def _as_json(page: SynthPage, image_name: str) -> dict:
    height, width = page.image.shape
    return {
        "image": image_name,
        "width": width,
        "height": height,
        "seed": page.seed,
        "skew": page.skew,
        "text": page.text,
        "sections": [_section_json(s) for s in page.sections],
        "rules": [{"bbox": list(r.bbox), "polygon": [list(p) for p in r.polygon]} for r in page.rules],
    }


def _element(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{PAGE_NS}}}{tag}", attributes)


def _coords(parent: ET.Element, polygon) -> None:
    _element(parent, "Coords", points=" ".join(f"{x},{y}" for x, y in polygon))


def _unicode(parent: ET.Element, value: str) -> None:
    _element(_element(parent, "TextEquiv"), "Unicode").text = value


def page_xml(page: SynthPage, image_name: str) -> bytes:
    """The page's ground truth as PAGE-XML bytes."""
    ET.register_namespace("", PAGE_NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    height, width = page.image.shape
    root = ET.Element(f"{{{PAGE_NS}}}PcGts", {
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": SCHEMA_LOCATION,
        "pcGtsId": f"synth-{page.seed}",
    })
    metadata = _element(root, "Metadata")
    _element(metadata, "Creator").text = f"eulereye.synth seed={page.seed} skew={page.skew}"
    _element(metadata, "Created").text = FIXED_DATE
    _element(metadata, "LastChange").text = FIXED_DATE
    xml_page = _element(root, "Page", imageFilename=image_name, imageWidth=str(width),
                        imageHeight=str(height))
    group = _element(_element(xml_page, "ReadingOrder"), "OrderedGroup", id="ro0")
    for section in page.sections:
        _element(group, "RegionRefIndexed", regionRef=f"r{section.order}", index=str(section.order))
    for section in page.sections:
        _region(xml_page, section)
    for index, rule in enumerate(page.rules):
        _coords(_element(xml_page, "SeparatorRegion", id=f"s{index}"), rule.polygon)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _region(xml_page: ET.Element, section: SynthSection) -> None:
    region_id = f"r{section.order}"
    if section.kind == "illustration":
        _coords(_element(xml_page, "GraphicRegion", id=region_id), section.polygon)
        return
    attributes = {"id": region_id, "type": TEXT_TYPES[section.kind]}
    if section.kind in CUSTOM:
        attributes["custom"] = CUSTOM[section.kind]
    region = _element(xml_page, "TextRegion", **attributes)
    _coords(region, section.polygon)
    for index, line in enumerate(section.lines):
        xml_line = _element(region, "TextLine", id=f"{region_id}l{index}")
        _coords(xml_line, line.polygon)
        _unicode(xml_line, line.text)
    _unicode(region, section.text)
