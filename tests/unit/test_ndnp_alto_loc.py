"""Our NDNP-profile ALTO has the shape of the Library of Congress's own ALTO for the same page
(``shared/data/news-scans/*.loc-alto.xml``): the LoC file's words are put into a page model
in the pixels of LoC's image, written back out with ``--alto-profile ndnp``, and compared."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from eulereye.config import DEFAULT_MAX_PIXELS
from eulereye.imaging import load_frames
from eulereye.model import Line, Page, Section, Word
from eulereye.outputs.alto import alto_xml
from tools.testdata import data_path

OURS = "{http://www.loc.gov/standards/alto/ns-v4#}"
# LoC's JPEG derivative of each page, the resolution it has (1/8 of LoC's inch1200 units; the
# evening-star JPEG states it, the omaha one says 152 dpi, a rounding) and whether LoC's ALTO
# marks hyphenated words (the 1918 file does, as NDNP asks; the 1887 one keeps "eontei-").
PAGES = [("evening-star_1918-09-01_seq-1", 150.0, True), ("omaha-daily-bee_1887-03-03_seq-1", 150.0, False)]


def namespace(root: ET.Element) -> str:
    """LoC's files are ALTO 2 under its own namespace or the older CCS one."""
    return root.tag[:root.tag.index("}") + 1]


def loc_page(root: ET.Element, name: str, width: int, height: int, dpi: float) -> Page:
    """LoC's blocks, lines and words in image pixels, hyphens put back as OCR reads them."""
    per_pixel, LOC = 1200 / dpi, namespace(root)

    def box(element):
        x, y = float(element.get("HPOS")) / per_pixel, float(element.get("VPOS")) / per_pixel
        w, h = float(element.get("WIDTH")) / per_pixel, float(element.get("HEIGHT")) / per_pixel
        return round(x), round(y), round(x + w), round(y + h)

    sections = []
    for order, block in enumerate(root.iter(f"{LOC}TextBlock")):
        lines = []
        for line in block.iter(f"{LOC}TextLine"):
            words = [Word(s.get("CONTENT") + ("-" if s.get("SUBS_TYPE") == "HypPart1" else ""),
                          float(s.get("WC", "0")) * 100, box(s)) for s in line.iter(f"{LOC}String")]
            if words:
                lines.append(Line(words))
        sections.append(Section(id=order + 1, order=order, kind="text", bbox=box(block), lines=lines))
    return Page(name=name, width=width, height=height, sections=sections, dpi=dpi)


def as_read(string: ET.Element) -> str:
    """The word as printed on its line: a first part keeps its hyphen."""
    return string.get("CONTENT") + ("-" if string.get("SUBS_TYPE") == "HypPart1" else "")


@pytest.mark.parametrize("stem, dpi, marks_hyphens", PAGES)
def test_ndnp_alto_matches_the_library_of_congress_shape(alto_schema, stem, dpi, marks_hyphens):
    image = data_path(f"news-scans/{stem}.jpg")
    frame = next(load_frames(image.read_bytes(), image.name, max_pixels=DEFAULT_MAX_PIXELS))
    assert frame.dpi in (dpi, 152.0)  # read from the file (JFIF)
    height, width = frame.gray.shape
    loc = ET.parse(data_path(f"news-scans/{stem}.loc-alto.xml")).getroot()
    LOC = namespace(loc)
    ours = ET.fromstring(alto_xml(loc_page(loc, stem, width, height, dpi), source_name=f"batch/{image.name}",
                                  software_version="0", engine="tesseract", profile="ndnp"))
    alto_schema.validate(ours)

    assert ours.find(f"{OURS}Description/{OURS}MeasurementUnit").text == "inch1200"
    assert loc.find(f"{LOC}Description/{LOC}MeasurementUnit").text == "inch1200"
    assert ours.find(f"{OURS}Description/{OURS}sourceImageInformation/{OURS}fileName").text == image.name
    loc_size = loc.find(f"{LOC}Layout/{LOC}Page")
    our_size = ours.find(f"{OURS}Layout/{OURS}Page")
    for side in ("WIDTH", "HEIGHT"):  # LoC's page box, from the image's pixels and DPI
        assert abs(int(our_size.get(side)) - float(loc_size.get(side))) <= 1200 / dpi

    loc_strings, our_strings = list(loc.iter(f"{LOC}String")), list(ours.iter(f"{OURS}String"))
    assert len(our_strings) == len(loc_strings) > 1000
    for theirs, mine in zip(loc_strings, our_strings):
        assert as_read(mine) == as_read(theirs)
        for side in ("HPOS", "VPOS", "WIDTH", "HEIGHT"):  # one image pixel is 1200/dpi units
            assert abs(int(mine.get(side)) - float(theirs.get(side))) <= 2 * 1200 / dpi
    marked = [(s.get("CONTENT"), s.get("SUBS_TYPE"), s.get("SUBS_CONTENT")) for s in loc_strings if s.get("SUBS_TYPE")]
    ours_marked = [(s.get("CONTENT"), s.get("SUBS_TYPE"), s.get("SUBS_CONTENT")) for s in our_strings if s.get("SUBS_TYPE")]
    assert len(list(ours.iter(f"{OURS}HYP"))) == sum(1 for m in ours_marked if m[1] == "HypPart1") > 5
    if not marks_hyphens:
        return
    assert len(marked) >= 20
    assert set(ours_marked) <= set(marked)
    # LoC also joins parts that are not words ("Mary-" + "?"); we join only a lower-case continuation
    assert len(ours_marked) >= 0.8 * len(marked)
