"""Textract lines in reading order: the page's reading order (``segment.order``) on the
paragraph blocks of the lines, in the page's upright frame."""

from __future__ import annotations

from eulereye.model import Line, Word
from eulereye.ocr.textract_parse import Direction, order_lines

LEFT, RIGHT = (100, 500), (560, 960)  # two columns, x0 and x1 of each


def line(text: str, x0: int, y0: int, x1: int, height: int = 20) -> Line:
    return Line([Word(text, 99.0, (x0, y0, x1, y0 + height))])


def two_columns_under_a_headline() -> list[Line]:
    """A headline over two columns whose paragraphs break at the same heights, listed top to
    bottom across the page as Textract lists them."""
    lines = [line("HEADLINE", LEFT[0], 20, RIGHT[1], height=50)]
    for y in (100, 125, 150, 230, 255, 280):  # a paragraph gap after the third line
        lines += [line(f"left{y}", *LEFT[:1], y, LEFT[1]), line(f"right{y}", RIGHT[0], y, RIGHT[1])]
    return lines


def test_columns_are_read_one_after_the_other_under_their_headline():
    order = [l.text for l in order_lines(two_columns_under_a_headline())]
    rows = (100, 125, 150, 230, 255, 280)
    assert order == ["HEADLINE", *(f"left{y}" for y in rows), *(f"right{y}" for y in rows)]


def test_a_page_scanned_on_its_side_reads_like_the_upright_one():
    # Turned a quarter clockwise: upright (x, y) lies at (height - y, x) in the scan.
    height = 400
    turned = [Line([Word(w.text, w.confidence, (height - w.bbox[3], w.bbox[0], height - w.bbox[1], w.bbox[2]))
                    for w in l.words]) for l in two_columns_under_a_headline()]
    direction = Direction(along=(0, 1), down=(-1, 0))
    assert [l.text for l in order_lines(turned, direction)] == \
        [l.text for l in order_lines(two_columns_under_a_headline())]
