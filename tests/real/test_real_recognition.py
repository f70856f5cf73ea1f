"""Recognition on a real archive scan (issue 10): heavy, bled type on the Beaver County News
1916, where Tesseract reads 'c' and 'o' as 'e' and 'l' as 'i', gets a second look at the words
its lexicon does not know (eulereye.ocr.lexicon)."""

from __future__ import annotations

import pytest

from eulereye.config import DEFAULT_MAX_PIXELS
from eulereye.deskew import straighten
from eulereye.imaging import load_frames
from eulereye.model import Region
from eulereye.ocr import tesseract
from tools.testdata import data_path

pytestmark = pytest.mark.xdist_group("real-scans")

# A column of the straightened page ("sume valuable shipments", "The tunnel of the Baby Jack"),
# the section as the pipeline cuts it.
MINING_NEWS = (223, 2348, 819, 3020)


@pytest.fixture(scope="module")
def beaver_words():
    path = data_path("news-scans/beaver-county-news_1916-05-12_seq-1.jp2")
    gray = straighten(next(load_frames(path.read_bytes(), path.name, max_pixels=DEFAULT_MAX_PIXELS)).gray).gray
    engine = tesseract.TesseractEngine()

    def read() -> list[str]:
        lines = engine.read_regions(gray, [Region(MINING_NEWS, "text")], path.name)[0]
        return [word.text for line in lines for word in line.words]

    return read


def test_misread_words_of_heavy_type_are_read_again_and_right(beaver_words, monkeypatch):
    second_look = beaver_words()
    monkeypatch.setattr(tesseract, "_lexicon", None)
    first_look = beaver_words()
    misread = {"vaiuable": "valuable", ":upnel": "tunnel"}
    assert set(misread) <= set(first_look)
    assert set(misread.values()) <= set(second_look)
    assert not set(misread) & set(second_look)
    assert len(second_look) == len(first_look)  # nothing else lost or added
