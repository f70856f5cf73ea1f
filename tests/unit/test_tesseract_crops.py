"""How sections are shown to real Tesseract: the scale for small type, stained paper, and the
half line a section's box takes in from its neighbour."""

import numpy as np
import pytest

from eulereye.model import Line, Region, Word
from eulereye.ocr.tesseract import (PAPER_SPREAD, Recognition, TesseractEngine, evened_paper,
                                    page_letter_height, without_cut_lines)
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
    letters = {size: page_letter_height(column_page(paragraph(4), size=size)[0]) for size in (9, 16, 24, 48)}
    scales = {size: Recognition().scale_for(letter) for size, letter in letters.items()}
    assert scales[48] == 1.0
    assert 3.0 >= scales[9] > scales[16] > scales[24] >= 1.0
    assert all((4 * s).is_integer() for s in scales.values())
    assert Recognition(target_letter=0).scale_for(letters[9]) == 1.0


def stained(page, centre, radius=150, depth=100):
    """``page`` (black letters on white) printed on paper 240 grey with a round stain up to
    ``depth`` grey levels darker, letters 40 grey: a water stain on a microfilm scan."""
    yy, xx = np.mgrid[0:page.shape[0], 0:page.shape[1]]
    paper = 240 - depth * np.exp(-((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / (2 * radius ** 2))
    ink = 1 - page / 255
    return np.clip((1 - ink) * paper + ink * 40, 0, 255).astype(np.uint8)


def test_lines_under_a_stain_are_read_on_evened_paper():
    # Beaver County News 1916: a stain across a passenger list; Tesseract's Otsu threshold
    # turned it into one dark patch and 'C. E. Barnard: Ogden, M. A. Olsen;' was not read.
    page, lines = column_page(paragraph(8), size=16)
    box = (lines[0][0] - 10, lines[0][1] - 10, lines[-1][2] + 10, lines[-1][3] + 10)
    image = stained(page, centre=(600, (lines[2][1] + lines[5][3]) // 2))
    words = {spread: sum(len(line.words) for line in
                         TesseractEngine(paper_spread=spread).read_regions(image, [Region(box, "text")], "p")[0])
             for spread in (0, PAPER_SPREAD)}
    printed = sum(len(words) for _, words in paragraph(8))
    assert words[0] < 0.8 * printed  # as it is, the stain's lines are lost ...
    assert words[PAPER_SPREAD] == printed  # ... evened out, every word is read


def test_even_paper_is_shown_to_tesseract_as_it_is():
    page, _ = column_page(paragraph(4), size=16)
    assert evened_paper(page, 16, PAPER_SPREAD) is page


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
