"""Each extra output format checked against its reference: PAGE-XML and ALTO by their XSDs,
hOCR by an HTML parser and the word count, the PDF by extracting its text layer."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from eulereye.errors import MissingDpiError
from eulereye.model import Line, Page, Section, Word
from eulereye.outputs.alto import alto_xml
from eulereye.outputs.formats import DEFAULT_FORMATS, FORMATS, parse_formats
from eulereye.outputs.hocr import hocr_html
from eulereye.outputs.pagexml import page_xml
from eulereye.outputs.pdf import searchable_pdf
from eulereye.outputs.writers import Source, format_files
from tests.unit.test_writers import sample_page

ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
PAGE = "{http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15}"


def hyphenated_page(dpi: float | None = 300.0) -> Page:
    column = Section(id=1, order=0, kind="text", bbox=(100, 100, 700, 200), lines=[
        Line([Word("The", 90.0, (100, 100, 160, 130)), Word("appropria-", 80.0, (170, 100, 380, 130))]),
        Line([Word("tion", 70.0, (100, 150, 180, 180)), Word("passed.", 60.0, (190, 150, 330, 180))]),
    ])
    return Page(name="p", width=1200, height=1800, sections=[column], dpi=dpi)


def test_formats_parse_in_a_fixed_order_with_default_and_all():
    assert parse_formats("") == DEFAULT_FORMATS
    assert parse_formats("pdf, txt,HOCR") == ("txt", "hocr", "pdf")
    assert parse_formats("all") == FORMATS
    with pytest.raises(ValueError, match="unknown output format.*docx"):
        parse_formats("txt,docx")


def test_hocr_parses_with_one_word_per_coords_word_in_reading_order():
    from lxml import html

    page = sample_page()
    tree = html.fromstring(hocr_html(page, source_name="p.tif", software_version="0"))
    words = tree.find_class("ocrx_word")
    assert [w.text for w in words] == [w.text for s in page.sections for w in s.words]
    assert words[0].get("title") == "bbox 10 10 200 60; x_wconf 95"
    areas = tree.find_class("ocr_carea")
    assert [a.get("title").split("; order ")[1] for a in areas] == ["0", "1"]
    assert [len(a.find_class("ocr_line")) for a in areas] == [1, 2]
    assert len(tree.find_class("ocr_photo")) == 1
    assert tree.find_class("ocr_page")[0].get("title") == 'image "p.tif"; bbox 0 0 420 220; ppageno 0'
    capabilities = tree.xpath("//meta[@name='ocr-capabilities']")[0].get("content").split()
    assert {"ocr_carea", "ocr_par", "ocr_line", "ocrx_word", "ocrp_wconf"} <= set(capabilities)


def test_page_xml_validates_with_typed_regions_words_and_reading_order(page_schema):
    xml = page_xml(sample_page(), source_name="input/1890/p.001.tif", software_version="0")
    page_schema.validate(xml.decode())
    root = ET.fromstring(xml)
    regions = root.find(f"{PAGE}Page")
    refs = [r.get("regionRef") for r in root.iter(f"{PAGE}RegionRefIndexed")]
    assert refs == ["r1", "r2", "r3"]
    text_regions = regions.findall(f"{PAGE}TextRegion")
    assert [r.get("type") for r in text_regions] == ["heading", "paragraph"]
    assert len(regions.findall(f"{PAGE}ImageRegion")) == 1
    words = list(root.iter(f"{PAGE}Word"))
    assert [w.find(f"{PAGE}TextEquiv/{PAGE}Unicode").text for w in words][-1] == "Ünïcode&<x>"
    assert words[0].find(f"{PAGE}TextEquiv").get("conf") == "0.95"
    assert words[0].find(f"{PAGE}Coords").get("points") == "10,10 200,10 200,60 10,60"


def test_page_xml_of_an_empty_page_validates(page_schema):
    page_schema.validate(page_xml(Page("blank", 100, 100, []), source_name="b.png", software_version="0").decode())


def test_ndnp_alto_is_in_inch1200_with_file_name_and_hyphenation(alto_schema):
    xml = alto_xml(hyphenated_page(300.0), source_name="input/1890/03/0007.tif", software_version="0",
                   engine="tesseract", profile="ndnp")
    alto_schema.validate(xml.decode())
    root = ET.fromstring(xml)
    assert root.find(f"{ALTO}Description/{ALTO}MeasurementUnit").text == "inch1200"
    assert root.find(f"{ALTO}Description/{ALTO}sourceImageInformation/{ALTO}fileName").text == "0007.tif"
    page = root.find(f"{ALTO}Layout/{ALTO}Page")
    assert (page.get("WIDTH"), page.get("HEIGHT")) == ("4800", "7200")  # 1200x1800 px at 300 dpi
    strings = list(root.iter(f"{ALTO}String"))
    assert [(s.get("HPOS"), s.get("WIDTH")) for s in strings][1] == ("680", "840")
    assert [s.get("CONTENT") for s in strings] == ["The", "appropria", "tion", "passed."]
    assert [s.get("SUBS_TYPE") for s in strings] == [None, "HypPart1", "HypPart2", None]
    assert {s.get("SUBS_CONTENT") for s in strings[1:3]} == {"appropriation"}
    assert [s.get("WC") for s in strings] == ["0.90", "0.80", "0.70", "0.60"]
    first_line = next(root.iter(f"{ALTO}TextLine"))
    assert [child.tag for child in first_line][-1] == f"{ALTO}HYP"


def test_pixel_alto_keeps_hyphens_and_pixels():
    xml = alto_xml(hyphenated_page(300.0), source_name="input/0007.tif", software_version="0", engine="t")
    assert b'CONTENT="appropria-"' in xml and b"HYP" not in xml and b">pixel<" in xml


def test_ndnp_alto_without_dpi_fails_the_page_saying_what_to_do():
    with pytest.raises(MissingDpiError, match="give --dpi"):
        alto_xml(hyphenated_page(None), source_name="p.tif", software_version="0", engine="t", profile="ndnp")


def pdf_words(data: bytes) -> list[tuple[str, float, float]]:
    """(text, x, y) in PDF points of each word the first page's content draws."""
    import pikepdf

    shown, origin = [], None
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0], "Tm TJ"):
            if str(operator) == "Tm":
                origin = (float(operands[4]), float(operands[5]))
            else:
                shown.append((bytes(operands[0][0]).decode("cp1252").rstrip(" "), *origin))
    return shown


def test_pdf_text_layer_has_every_word_on_its_box_and_page_sized_by_dpi():
    from pypdf import PdfReader

    page = sample_page()
    page.dpi = 150.0
    image = np.full((page.height, page.width), 230, np.uint8)
    image[10:60, 10:400] = 20
    data = searchable_pdf(page, image, dpi=page.dpi)
    reader = PdfReader(io.BytesIO(data))
    assert [float(v) for v in reader.pages[0].mediabox] == [0, 0, 420 * 72 / 150, 220 * 72 / 150]
    extracted = reader.pages[0].extract_text().split()
    assert extracted[:3] == ["GREAT", "FIRE", 'said,"no"']
    words = [w for s in page.sections for w in s.words]
    shown = pdf_words(data)
    assert [text for text, _, _ in shown] == [w.text.replace("Ü", "Ü") for w in words]
    for (text, x, y), word in zip(shown, words):
        assert x == pytest.approx(word.bbox[0] * 72 / 150, abs=0.01)
        line_bottom_pt = (page.height - word.bbox[3]) * 72 / 150
        assert line_bottom_pt <= y <= line_bottom_pt + 0.5 * (word.bbox[3] - word.bbox[1]) * 72 / 150


def test_pdf_keeps_gray_pages_as_jpeg_and_bilevel_ones_as_group4():
    import pikepdf

    def filters(image):
        with pikepdf.open(io.BytesIO(searchable_pdf(sample_page(), image, dpi=None))) as pdf:
            return [repr(x.Filter) for x in pdf.pages[0].get_images().values()]

    gray = np.full((220, 420), 200, np.uint8)
    bilevel = np.where(np.arange(420)[None, :] % 7 == 0, 0, 255).astype(np.uint8).repeat(220, axis=0)
    [gray_filter], [bilevel_filter] = filters(gray), filters(bilevel)
    assert "/DCTDecode" in gray_filter and "/CCITTFaxDecode" in bilevel_filter


def test_every_format_renders_under_its_own_folder():
    page, image = sample_page(), np.full((220, 420), 255, np.uint8)
    page.dpi = 300.0
    paths = [path for fmt in FORMATS
             for path in format_files(fmt, page, image, Source("1890/p.001.tif", "0", "t", "ndnp"))]
    assert paths == ["ocr_plain_text/1890/p.001.txt", "ocr_coords/1890/p.001.txt", "ocr_coords/1890/p.001.json",
                     "sections/1890/p.001.json", "alto/1890/p.001.xml", "hocr/1890/p.001.hocr",
                     "page/1890/p.001.xml", "pdf/1890/p.001.pdf"]


def test_every_format_name_has_a_renderer():
    from eulereye.outputs.writers import RENDERERS

    assert tuple(RENDERERS) == FORMATS
    with pytest.raises(ValueError, match="unknown output format 'docx'"):
        format_files("docx", sample_page(), None, Source("p.tif", "0", "t"))
