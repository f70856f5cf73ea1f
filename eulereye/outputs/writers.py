"""Render a recognised page into the files of the output contract (DESIGN.md).

Each function is pure: page in, text out (the PDF also takes the page image). ``format_files``
renders one output format (``eulereye.outputs.formats``) into its files; the manifest is not
among them: the pipeline writes it last.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import numpy as np

from eulereye.model import Page
from eulereye.outputs.alto import alto_xml
from eulereye.outputs.hocr import hocr_html
from eulereye.outputs.naming import output_path
from eulereye.outputs.pagexml import page_xml

def to_json(data, *, compact: bool = False) -> bytes:
    """UTF-8 JSON. ``compact`` for the big per-word files: without indentation Python uses its
    C encoder, several times faster on a page of ten thousand words."""
    text = json.dumps(data, ensure_ascii=False, **({"separators": (",", ":")} if compact else {"indent": 1}))
    return (text + "\n").encode()


def plain_text(page: Page) -> str:
    return page.text + "\n" if page.text else ""


def _word_rows(page: Page):
    for section in page.sections:
        for word in section.words:
            yield section, word


def coords_csv(page: Page) -> str:
    """One word per line in reading order, no header: word,segment_id,confidence,x0,y0,x1,y1."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for section, word in _word_rows(page):
        writer.writerow((word.text, section.id, word.confidence, *word.bbox))
    return out.getvalue()


def coords_json(page: Page) -> list[dict]:
    return [
        {"word": word.text, "segment": section.id, "read_order_segment_id": section.order,
         "confidence": word.confidence, "x_min": word.bbox[0], "y_min": word.bbox[1],
         "x_max": word.bbox[2], "y_max": word.bbox[3]}
        for section, word in _word_rows(page)
    ]


def sections_json(page: Page) -> list[dict]:
    return [
        {"id": s.id, "order": s.order, "kind": s.kind, "bbox": list(s.bbox), "text": s.text,
         "lines": [{"bbox": list(line.bbox), "text": line.text} for line in s.lines]}
        for s in page.sections
    ]


@dataclass(frozen=True)
class Source:
    """What the writers say about where a page came from and what read it."""

    name: str  # the input's key or path, e.g. 1890/03/p.001.tif
    software_version: str
    engine: str
    alto_profile: str = "pixel"  # or "ndnp"


def _txt(page: Page, image: np.ndarray, source: Source) -> dict[str, tuple[bytes, str]]:
    return {output_path("ocr_plain_text", page.name): (plain_text(page).encode(), "text/plain; charset=utf-8")}


def _coords(page: Page, image: np.ndarray, source: Source) -> dict[str, tuple[bytes, str]]:
    return {output_path("ocr_coords", page.name): (coords_csv(page).encode(), "text/csv; charset=utf-8"),
            output_path("ocr_coords", page.name, ".json"): (to_json(coords_json(page), compact=True),
                                                            "application/json")}


def _sections(page: Page, image: np.ndarray, source: Source) -> dict[str, tuple[bytes, str]]:
    return {output_path("sections", page.name): (to_json(sections_json(page), compact=True), "application/json")}


def _alto(page: Page, image: np.ndarray, source: Source) -> dict[str, tuple[bytes, str]]:
    xml = alto_xml(page, source_name=source.name, software_version=source.software_version,
                   engine=source.engine, profile=source.alto_profile)
    return {output_path("alto", page.name): (xml, "application/xml")}


def _hocr(page: Page, image: np.ndarray, source: Source) -> dict[str, tuple[bytes, str]]:
    html = hocr_html(page, source_name=source.name, software_version=source.software_version)
    return {output_path("hocr", page.name): (html, "application/xhtml+xml; charset=utf-8")}


def _page(page: Page, image: np.ndarray, source: Source) -> dict[str, tuple[bytes, str]]:
    xml = page_xml(page, source_name=source.name, software_version=source.software_version)
    return {output_path("page", page.name): (xml, "application/xml")}


def _pdf(page: Page, image: np.ndarray, source: Source) -> dict[str, tuple[bytes, str]]:
    from eulereye.outputs.pdf import searchable_pdf  # img2pdf and pikepdf only when asked for

    return {output_path("pdf", page.name): (searchable_pdf(page, image, dpi=page.dpi), "application/pdf")}


RENDERERS = {"txt": _txt, "coords": _coords, "sections": _sections, "alto": _alto, "hocr": _hocr,
             "page": _page, "pdf": _pdf}


def format_files(fmt: str, page: Page, image: np.ndarray, source: Source) -> dict[str, tuple[bytes, str]]:
    """Relative output path -> (bytes, content type) of one format's files. ``image`` is the
    page's original image (HxW uint8 gray); only the PDF uses it."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown output format {fmt!r}")
    return RENDERERS[fmt](page, image, source)
