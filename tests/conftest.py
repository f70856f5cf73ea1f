"""Fixtures shared by every suite: the real test data (fetched before any test runs), the ALTO
and PAGE schemas, small text pages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from eulereye.synth.render import font
from tools import testdata

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "tests" / "schemas"
SERIF = "DejaVuSerif.ttf"  # the package's own copy (eulereye/fonts), as the generator uses


def pytest_configure(config):
    """Fill the test-data cache before anything runs (once, in the xdist controller): tests then
    read it through ``tools.testdata.data_path``. Without any origin, stop with its one line."""
    if hasattr(config, "workerinput"):
        return
    try:
        testdata.ensure()
    except testdata.FetchError as error:
        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def alto_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / "alto-4-4.xsd"))


@pytest.fixture(scope="session")
def page_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / "pagecontent-2019-07-15.xsd"))


def text_page(lines: list[str], size=(1200, 800), font_size=28) -> np.ndarray:
    """A clean grey page with ``lines`` of dark serif text, as uint8 HxW."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    face = font(SERIF, font_size)
    for i, line in enumerate(lines):
        draw.text((40, 60 + i * int(font_size * 1.6)), line, fill=0, font=face)
    return np.asarray(image)


def save_png(array: np.ndarray, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)
    return path


WORDS = "the harbour board met on monday and agreed that the new pier shall open in june".split()


def column_page(lines, x0=150, x1=900, top=200, size=28, width=1100, height=1200):
    """A page with one justified column: ``lines`` are (indent in letters, words); a line
    with fewer than 8 words is the short last line of a paragraph. Returns the page and the
    box of each line."""
    page = Image.new("L", (width, height), 255)
    draw, face = ImageDraw.Draw(page), font(SERIF, size)
    line_boxes, y = [], top
    for indent, words in lines:
        x = x0 + indent * size
        gap = (x1 - x - sum(face.getlength(w) for w in words)) / (len(words) - 1) if len(words) >= 8 else size / 3
        for word in words:
            draw.text((x, y), word, font=face, fill=0)
            x += face.getlength(word) + gap
        line_boxes.append((x0, y, x1, y + size))
        y += round(1.3 * size)
    return np.asarray(page), line_boxes


def paragraph(lines, last_words=3):
    """``column_page`` lines of a paragraph: indented first line, short last line."""
    return [(1 if i == 0 else 0, WORDS[i : i + 9]) for i in range(lines - 1)] + [(0, WORDS[:last_words])]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """`make test` runs `--dist loadgroup`: tests sharing an xdist_group (one local cloud, one
    terraform working folder) must share a worker. xdist marks them by suffixing the node id with
    '@group'; when a pytest/xdist pairing silently drops that (pytest 9.2 with xdist 3.8 did), the
    groups' fixtures race each other in two workers, so fail before any fixture is set up."""
    if (item.config.getoption("loadgroup", default=False)
            and item.get_closest_marker("xdist_group") and "@" not in item.nodeid):
        pytest.fail("--dist loadgroup did not keep this test's xdist_group on one worker: this "
                    "pytest-xdist does not work with this pytest; use requirements-dev.txt's pins",
                    pytrace=False)
