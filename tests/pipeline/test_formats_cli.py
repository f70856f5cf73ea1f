"""`eulereye process --formats ... --alto-profile ndnp --dpi N` with real Tesseract: every
format written, each checked against its reference, and mistakes reported clearly."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from tests.conftest import save_png, text_page
from tests.pipeline.test_process_cli import LINES, eulereye

ALL_FILES = ["ocr_plain_text/{}.txt", "ocr_coords/{}.txt", "ocr_coords/{}.json", "sections/{}.json",
             "alto/{}.xml", "hocr/{}.hocr", "page/{}.xml", "pdf/{}.pdf", "manifest/{}.json"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    save_png(text_page(LINES), root / "no-dpi.png")
    Image.fromarray(text_page(LINES)).save(root / "stated-dpi.png", dpi=(200, 200))
    return root


@pytest.fixture(scope="module")
def all_formats(pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = eulereye("process", str(pages), "--out", str(out), "--formats", "all", "--alto-profile", "ndnp",
                      "--dpi", "300", "--segmenter", "classical", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return out


def test_all_formats_are_written_and_listed_in_the_manifest(all_formats):
    for name in ("no-dpi", "stated-dpi"):
        for pattern in ALL_FILES:
            assert (all_formats / pattern.format(name)).is_file(), pattern.format(name)
    manifest = json.loads((all_formats / "manifest/no-dpi.json").read_text())
    assert list(manifest["formats"]) == ["txt", "coords", "sections", "alto", "hocr", "page", "pdf"]
    assert manifest["alto_profile"] == "ndnp"


def test_the_file_s_own_dpi_wins_over_the_option(all_formats):
    import xml.etree.ElementTree as ET

    ns = "{http://www.loc.gov/standards/alto/ns-v4#}"
    widths = {}
    for name in ("no-dpi", "stated-dpi"):
        page = ET.parse(all_formats / f"alto/{name}.xml").getroot().find(f"{ns}Layout/{ns}Page")
        widths[name] = int(page.get("WIDTH"))
    assert widths == {"no-dpi": 1200 * 1200 // 300, "stated-dpi": 1200 * 1200 // 200}
    assert json.loads((all_formats / "manifest/stated-dpi.json").read_text())["dpi"] == 200


def test_each_format_agrees_with_the_plain_text(all_formats, alto_schema, page_schema):
    from lxml import html
    from pypdf import PdfReader

    words = (all_formats / "ocr_plain_text/no-dpi.txt").read_text().split()
    coords = json.loads((all_formats / "ocr_coords/no-dpi.json").read_text())
    assert len(words) == len(coords) > 10
    alto_schema.validate(str(all_formats / "alto/no-dpi.xml"))
    page_schema.validate(str(all_formats / "page/no-dpi.xml"))
    hocr_words = [w.text for w in html.parse(str(all_formats / "hocr/no-dpi.hocr")).getroot().find_class("ocrx_word")]
    assert hocr_words == words
    pdf = PdfReader(io.BytesIO((all_formats / "pdf/no-dpi.pdf").read_bytes()))
    assert pdf.pages[0].extract_text().split() == words
    assert float(pdf.pages[0].mediabox[2]) == pytest.approx(1200 * 72 / 300)


def test_a_rerun_asking_for_more_formats_redoes_the_page(pages, tmp_path):
    one = str(pages / "no-dpi.png")
    assert eulereye("process", one, "--out", str(tmp_path), "--jobs", "1").returncode == 0
    assert not (tmp_path / "hocr").exists()
    again = eulereye("process", one, "--out", str(tmp_path), "--jobs", "1", "--formats", "txt")
    assert "1 unchanged (skipped)" in again.stdout
    more = eulereye("process", one, "--out", str(tmp_path), "--jobs", "1", "--formats", "txt,hocr")
    assert "1 found, 1 done" in more.stdout and (tmp_path / "hocr/no-dpi.hocr").is_file()


def test_ndnp_alto_without_any_dpi_fails_the_page_saying_to_give_one(pages, tmp_path):
    result = eulereye("process", str(pages / "no-dpi.png"), "--out", str(tmp_path), "--alto-profile", "ndnp",
                      "--jobs", "1")
    assert result.returncode == 1
    error = json.loads((tmp_path / "errors/no-dpi.json").read_text())
    assert error["error"] == "MissingDpiError" and "--dpi" in error["message"]
    assert not (tmp_path / "manifest").exists() and not (tmp_path / "ocr_plain_text").exists()


@pytest.mark.parametrize("args, message", [
    (["--formats", "txt,docx"], "unknown output format(s) docx"),
    (["--dpi", "0"], "--dpi must be a positive resolution"),
    (["--alto-profile", "mets"], "invalid choice"),
])
def test_bad_format_options_are_usage_errors(pages, tmp_path, args, message):
    result = eulereye("process", str(pages / "no-dpi.png"), "--out", str(tmp_path), *args)
    assert result.returncode == 2 and message in result.stderr
