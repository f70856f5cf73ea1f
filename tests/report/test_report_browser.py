"""`eulereye report` opened in a real browser: headless Chromium loads the report of a real run
(good, garbled and broken pages), takes screenshots, and the tests check what is on them."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from eulereye.cli import main as cli
from eulereye.render import KIND_COLOURS
from tests.conftest import save_png, text_page

GOOD = ["The county fair opened on Monday with a fine", "show of cattle and the best corn in years"]
GARBLED = ["Tbc cquntv faix qpcned orr Mcnday wjth", "shcw cf cattlc aud tbe bcst ccrn iu ycars"]
FAILED_RED = (215, 38, 61)  # report.css: the status cell of a failed page
OK_GREEN = (46, 158, 79)


def chromium(*args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary, "headless Chromium is needed: scripts/install-system-deps.sh installs Debian's chromium"
    return subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--window-size=1280,900", *args], capture_output=True, text=True, timeout=120)


def screenshot(url: str, path) -> np.ndarray:
    result = chromium(f"--screenshot={path}", url)
    assert path.is_file(), result.stderr
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def where(shot: np.ndarray, colour, tolerance=40) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the screenshot's pixels near ``colour``."""
    return np.nonzero(np.abs(shot - np.array(colour)).sum(axis=2) < tolerance)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    pages, out = tmp_path_factory.mktemp("pages"), tmp_path_factory.mktemp("out")
    save_png(text_page(GOOD * 4, size=(1000, 720), font_size=36), pages / "good.png")
    save_png(text_page(GARBLED * 4, size=(1000, 720), font_size=36), pages / "garbled.png")
    (pages / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    assert cli(["process", str(pages), "--out", str(out), "--jobs", "1", "--segmenter", "classical"]) == 1
    assert cli(["report", str(out), "--images", str(pages)]) == 0
    return out / "report"


def test_index_lists_pages_that_need_a_look_first_with_figures(report):
    dom = chromium("--dump-dom", (report / "index.html").as_uri()).stdout
    names = re.findall(r'<td class="name"><a href="views/\w+\.html">([^<]+)</a>', dom)
    assert names == ["broken", "garbled", "good"]
    assert "3 pages: 2 done, 1 failed" in dom and "screen 1 of 1 (3 pages)" in dom
    assert "few dictionary words" in dom and "BadImageError" in dom


def test_screenshot_shows_the_failed_page_on_top_and_thumbnails_with_sections(report, tmp_path):
    shot = screenshot((report / "index.html").as_uri(), tmp_path / "index.png")
    red_rows, _ = where(shot, FAILED_RED)
    green_rows, _ = where(shot, OK_GREEN)
    assert red_rows.size > 200 and green_rows.size > 400  # one failed cell, two ok cells
    assert red_rows.max() < green_rows.min()  # the failure is listed above the pages that were read
    # thumbnails: each page read has its text section tinted in the text kind's colour (blue)
    tinted_rows, tinted_columns = np.nonzero(shot[..., 2] - shot[..., 0] > 15)
    thumbnails = tinted_columns < shot.shape[1] // 4
    for top, bottom in ((green_rows.min(), (green_rows.min() + green_rows.max()) // 2),
                        ((green_rows.min() + green_rows.max()) // 2, green_rows.max())):
        assert (thumbnails & (tinted_rows > top) & (tinted_rows < bottom)).sum() > 2000


def test_page_view_shows_the_image_beside_its_text(report, tmp_path):
    dom = chromium("--dump-dom", (report / "index.html").as_uri()).stdout
    view = re.search(r'<a href="(views/\w+\.html)">good</a>', dom).group(1)
    page_dom = chromium("--dump-dom", (report / view).as_uri()).stdout
    sections = json.loads((report.parent / "sections" / "good.json").read_text())
    shown = re.findall(r'<li value="(\d+)">.*?<p>(.*?)</p></li>', page_dom, re.S)
    assert shown and shown == [(str(s["order"] + 1), html.escape(s["text"], quote=False).replace("\n", "<br>"))
                               for s in sections if s["text"]]  # every section's text, in reading order
    shot = screenshot((report / view).as_uri(), tmp_path / "view.png")
    ink_rows, ink_columns = np.nonzero(shot.sum(axis=2) < 200)  # print on the image, dark text beside it
    left, right = ink_columns < shot.shape[1] * 0.55, ink_columns > shot.shape[1] * 0.58
    assert left.sum() > 500 and right.sum() > 500
    _, blue_columns = where(shot, KIND_COLOURS["text"], tolerance=90)
    assert (blue_columns < shot.shape[1] * 0.55).sum() > 200  # the section outline on the image
    assert (blue_columns > shot.shape[1] * 0.58).sum() > 20  # the section's kind label beside its text
