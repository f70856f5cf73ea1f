"""Text sections cut into paragraphs (what the FCN's column blocks go through)."""

from eulereye.model import Region
from eulereye.segment.paragraphs import split_paragraphs
from tests.conftest import column_page, paragraph


def test_a_column_block_is_cut_between_its_paragraphs():
    page, lines = column_page(paragraph(5) + paragraph(4) + paragraph(3))
    block = Region((140, 190, 910, lines[-1][3] + 10), "text")
    pieces = split_paragraphs(page, [block])
    assert [p.kind for p in pieces] == ["text"] * 3
    assert [(p.bbox[0], p.bbox[2]) for p in pieces] == [(140, 910)] * 3
    assert pieces[0].bbox[1] == 190 and pieces[-1].bbox[3] == block.bbox[3]
    # Each cut lies in the gap above a paragraph's first line; the pieces tile the block.
    for upper, lower, first in zip(pieces, pieces[1:], (lines[5], lines[9])):
        assert upper.bbox[3] == lower.bbox[1]
        assert first[1] - 0.3 * 28 <= lower.bbox[1] <= first[1]


def test_one_paragraph_headlines_and_pictures_stay_whole():
    page, lines = column_page(paragraph(6))
    regions = [Region((140, 190, 910, lines[-1][3] + 10), "text"),
               Region((140, 190, 910, lines[-1][3] + 10), "headline"),
               Region((140, 190, 910, lines[-1][3] + 10), "illustration")]
    assert split_paragraphs(page, regions) == regions


def test_blank_and_tiny_sections_stay_whole():
    page, _ = column_page(paragraph(4))
    regions = [Region((0, 0, 100, 100), "text"), Region((150, 200, 160, 205), "text")]
    assert split_paragraphs(page, regions) == regions
