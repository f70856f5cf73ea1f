"""How sections are shown to real Tesseract: the scale for small type, and the half line a
section's box takes in from its neighbour."""

import pytest

from eulereye.model import Region
from eulereye.ocr.tesseract import Recognition, TesseractEngine
from tests.conftest import column_page, paragraph


@pytest.fixture(scope="module")
def engine():
    return TesseractEngine()


def test_a_line_cut_by_the_section_edge_is_left_to_its_own_section(engine):
    page, lines = column_page(paragraph(5), size=30)
    # The section's box starts in the middle of the second line: the neighbouring section
    # above reads that line whole; here only its lower half shows.
    cut = lines[1]
    top = (cut[1] + cut[3]) // 2
    box = (lines[0][0] - 10, top, lines[0][2] + 10, lines[-1][3] + 10)
    read = engine.read_regions(page, [Region(box, "text")], "page")[0]
    assert len(read) == len(lines) - 2
    assert read[0].bbox[1] >= cut[3] - 2


def test_a_single_line_section_is_kept_whole(engine):
    page, lines = column_page([(0, "the harbour board met".split())], size=30)
    box = (lines[0][0] - 10, lines[0][1] - 2, lines[0][2] + 10, lines[0][3] + 2)
    read = engine.read_regions(page, [Region(box, "text")], "page")[0]
    assert [line.text for line in read] == ["the harbour board met"]


def test_small_type_is_scaled_up_in_quarter_steps_large_type_is_not():
    scales = {size: Recognition().scale_for(column_page(paragraph(4), size=size)[0]) for size in (9, 16, 24, 48)}
    assert scales[48] == 1.0
    assert 3.0 >= scales[9] > scales[16] > scales[24] >= 1.0
    assert all((4 * s).is_integer() for s in scales.values())
    assert Recognition(target_letter=0).scale_for(column_page(paragraph(4), size=9)[0]) == 1.0
