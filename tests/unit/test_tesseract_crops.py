"""How sections are shown to real Tesseract: the scale for small type, and the half line a
section's box takes in from its neighbour."""

import pytest

from eulereye.model import Line, Region, Word
from eulereye.ocr.tesseract import Recognition, TesseractEngine, without_cut_lines
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


def line(box, confidence=90.0):  # one word is enough: cut lines are judged by box and confidence
    return Line([Word("word", confidence, box)])


@pytest.mark.parametrize("confidence, neighbour_reads_it, kept", [
    (90.0, False, True),  # the section's own line, short beside its headline: kept
    (40.0, False, False),  # unsure: half a line, garbage
    (90.0, True, False),  # the neighbour reads it whole: not read twice
])
def test_a_cut_line_stays_only_when_read_surely_and_nowhere_else(confidence, neighbour_reads_it, kept):
    # Beaver County News 1916: 'occasions in the past', a body line at the foot of a section
    # with a large headline, was dropped as cut (it is lower than 70% of the crop's median line).
    headline, body = line((10, 10, 490, 80)), line((10, 170, 400, 199), confidence)
    below = [line((10, 230, 450, 262))]
    if neighbour_reads_it:
        below.insert(0, line((10, 168, 450, 200)))
    read = without_cut_lines([[headline, body], below], [(0, 0, 500, 200), (0, 160, 500, 400)])
    assert (body in read[0]) == kept
