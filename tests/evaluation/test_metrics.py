"""Straddle rate, coverage, order agreement and the PAGE-XML reader."""

import pytest

from eulereye.evaluation.pagexml import read_page_xml
from eulereye.evaluation.metrics import coverage, order_agreement, straddle_rate
from tools.testdata import data_path

LEFT, RIGHT = (0, 0, 100, 500), (120, 0, 220, 500)  # two columns side by side
BELOW = (0, 600, 220, 700)


def test_a_box_covering_two_side_by_side_columns_straddles():
    assert straddle_rate([(0, 0, 220, 500)], [LEFT, RIGHT]) == 1.0
    assert straddle_rate([LEFT, RIGHT], [LEFT, RIGHT]) == 0.0
    # Covering a column and the region below it is no straddle (they are not side by side).
    assert straddle_rate([(0, 0, 220, 700)], [LEFT, BELOW]) == 0.0
    # Covering less than half of the second column is no straddle either.
    assert straddle_rate([(0, 0, 160, 500)], [LEFT, RIGHT]) == 0.0
    assert straddle_rate([], [LEFT]) == 0.0


def test_coverage_is_share_of_ground_truth_text_area():
    assert coverage([LEFT], [LEFT, RIGHT], (800, 300)) == pytest.approx(0.5)
    assert coverage([(0, 0, 300, 800)], [LEFT, RIGHT], (800, 300)) == 1.0
    assert coverage([], [], (800, 300)) == 1.0


def test_order_agreement_counts_agreeing_pairs():
    truth = [LEFT, RIGHT, BELOW]
    assert order_agreement([LEFT, RIGHT, BELOW], truth) == 1.0
    assert order_agreement([BELOW, RIGHT, LEFT], truth) == 0.0
    assert order_agreement([RIGHT, LEFT, BELOW], truth) == pytest.approx(2 / 3)


def test_read_page_xml_newspaper_and_book():
    page = read_page_xml(data_path("newspaper-layout/gbn_Kolonie18640716-p01.xml"))
    assert (page.width, page.height) == (5470, 7010)
    assert len(page.text) == 13 and page.separators and page.graphics
    assert page.text["r0"] == (433, 164, 814, 287)
    book = read_page_xml(data_path("book-text/vdsbb_1771_688357687_00000082.xml"))
    assert book.reading_order[:2] == ["r1784", "r36"]
    assert book.text_types["r1784"] == "page-number"
