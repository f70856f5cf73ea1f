"""How a test file is made from its public source file, where it is not the file itself.

* ``pdf-image``: NDNP page PDFs embed the page image unchanged (a JPEG or JPEG 2000 stream);
  the test file is that stream, byte for byte (the largest image in the PDF).
* ``mets-articles``: the scanning vendor's article zones of one page, read from an NDNP issue
  METS with article segmentation, written as indented JSON.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

IMAGE_FILTERS = (b"/DCTDecode", b"/JPXDecode")
STREAM_START = re.compile(rb"stream\r?\n")
OBJECT_START = re.compile(rb"\d+\s+\d+\s+obj\b")
LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
METS = "{http://www.loc.gov/METS/}"
MODS = "{http://www.loc.gov/mods/v3}"


def _object_dictionary(pdf: bytes, stream_at: int) -> bytes:
    """The text between the last 'N G obj' before ``stream_at`` and the stream keyword."""
    starts = [m.end() for m in OBJECT_START.finditer(pdf, max(0, stream_at - 4096), stream_at)]
    return pdf[starts[-1]:stream_at] if starts else b""


def _length(pdf: bytes, dictionary: bytes) -> int | None:
    """The stream's /Length, direct or an indirect object; None when it cannot be read (an
    indirect length kept in a compressed object stream)."""
    found = LENGTH.search(dictionary)
    if found is None:
        return None
    if found.group(2) is None:
        return int(found.group(1))
    target = re.search(rb"\b%s\s+%s\s+obj\s*(\d+)\s*endobj" % (found.group(1), found.group(2)), pdf)
    return int(target.group(1)) if target else None


def _stream_data(pdf: bytes, start: int, length: int | None) -> bytes:
    if length is not None:
        return pdf[start:start + length]
    data = pdf[start:pdf.find(b"endstream", start)]
    for end_of_line in (b"\r\n", b"\n", b"\r"):
        if data.endswith(end_of_line):
            return data[: -len(end_of_line)]
    return data


def pdf_images(pdf: bytes) -> list[bytes]:
    """Every JPEG / JPEG 2000 image stream in ``pdf``, as stored."""
    images = []
    for match in STREAM_START.finditer(pdf):
        if pdf[max(0, match.start() - 3):match.start()] == b"end":
            continue  # 'endstream' closes a stream
        dictionary = _object_dictionary(pdf, match.start())
        if b"/Image" not in dictionary or not any(f in dictionary for f in IMAGE_FILTERS):
            continue
        images.append(_stream_data(pdf, match.end(), _length(pdf, dictionary)))
    return images


def pdf_image(data: bytes, source: dict) -> bytes:
    images = pdf_images(data)
    if not images:
        raise ValueError(f"{source['path']}: no JPEG or JPEG 2000 image stream in this PDF")
    return max(images, key=len)


def _titles(mets: ET.Element) -> dict[str, str | None]:
    titles = {}
    for section in mets.iter(f"{METS}dmdSec"):
        title = section.find(f".//{MODS}titleInfo/{MODS}title")
        titles[section.get("ID")] = title.text if title is not None else None
    return titles


def mets_articles(data: bytes, source: dict) -> bytes:
    """Article zones of page ``source['page']`` in the logical structure map, in the vendor's
    order: title (None when the article has none) and each RECT area as [x0, y0, x1, y1]."""
    mets = ET.fromstring(data)
    titles = _titles(mets)
    page_id = f"pageModsBib{source['page']}"
    logical = next(m for m in mets.iter(f"{METS}structMap") if m.get("TYPE") == "LOGICAL")
    page = next(d for d in logical.iter(f"{METS}div") if d.get("TYPE") == "Page" and d.get("DMDID") == page_id)
    articles = []
    for number, article in enumerate((d for d in page.findall(f"{METS}div") if d.get("TYPE") == "Article"), 1):
        zones = [[int(v) for v in area.get("COORDS").split(",")]
                 for area in article.iter(f"{METS}area") if area.get("SHAPE") == "RECT"]
        articles.append({"article": number, "title": titles.get(article.get("DMDID")), "zones": zones})
    return json.dumps({**source["header"], "articles": articles}, indent=1).encode()


EXTRACTORS = {"pdf-image": pdf_image, "mets-articles": mets_articles}
