"""hOCR 1.2 for a recognised page: XHTML whose classes and ``title`` properties carry the layout.

``ocr_page`` holds one element per section in reading order: ``ocr_carea`` (with one
``ocr_par`` of ``ocr_line``s of ``ocrx_word``s) for text, ``ocr_photo`` for a picture,
``ocr_separator`` for a rule. Every word has its ``bbox`` and ``x_wconf`` (0..100); an area's
``order`` property is its place in reading order. Coordinates are pixels of the original image.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from eulereye.model import BBox, Page, Section

XHTML = "http://www.w3.org/1999/xhtml"
DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n')
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocr_photo ocr_separator ocrp_wconf"
TEXTLESS_CLASSES = {"illustration": "ocr_photo", "rule": "ocr_separator"}


def _bbox(box: BBox) -> str:
    return "bbox {} {} {} {}".format(*box)


def _sub(parent: ET.Element, tag: str, css_class: str, element_id: str, title: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{XHTML}}}{tag}",
                         {"class": css_class, "id": element_id, "title": title})


def _section(page_element: ET.Element, section: Section) -> None:
    css_class = TEXTLESS_CLASSES.get(section.kind, "ocr_carea") if not section.lines else "ocr_carea"
    area = _sub(page_element, "div", css_class, f"block_{section.id}",
                f"{_bbox(section.bbox)}; order {section.order}")
    if not section.lines:
        return
    paragraph = _sub(area, "p", "ocr_par", f"par_{section.id}", _bbox(section.bbox))
    for li, line in enumerate(section.lines):
        line_element = _sub(paragraph, "span", "ocr_line", f"line_{section.id}_{li}", _bbox(line.bbox))
        for wi, word in enumerate(line.words):
            word_element = _sub(line_element, "span", "ocrx_word", f"word_{section.id}_{li}_{wi}",
                                f"{_bbox(word.bbox)}; x_wconf {round(max(0.0, min(100.0, word.confidence)))}")
            word_element.text = word.text
            word_element.tail = " "


def hocr_html(page: Page, *, source_name: str, software_version: str) -> bytes:
    ET.register_namespace("", XHTML)
    root = ET.Element(f"{{{XHTML}}}html", {"xml:lang": "en", "lang": "en"})
    head = ET.SubElement(root, f"{{{XHTML}}}head")
    ET.SubElement(head, f"{{{XHTML}}}title").text = page.name
    for name, content in (("ocr-system", f"eulereye {software_version}"),
                          ("ocr-capabilities", CAPABILITIES), ("ocr-number-of-pages", "1")):
        ET.SubElement(head, f"{{{XHTML}}}meta", {"name": name, "content": content})
    body = ET.SubElement(root, f"{{{XHTML}}}body")
    page_element = _sub(body, "div", "ocr_page", "page_1",
                        f'image "{source_name}"; {_bbox((0, 0, page.width, page.height))}; ppageno 0')
    for section in page.sections:
        _section(page_element, section)
    ET.indent(root, space=" ")
    body_xml = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}{body_xml}\n'.encode()
