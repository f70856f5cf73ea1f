"""The classical segmenter on edge cases, generated pages with exact truth and real pages."""

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from eulereye.evaluation.pagexml import read_page_xml
from eulereye.evaluation.scores import detection_scores
from eulereye.model import REGION_KINDS, Region
from eulereye.segment import get_segmenter
from eulereye.evaluation.metrics import coverage, order_agreement, straddle_rate
from eulereye.synth import generate_page
from eulereye.segment.classical.fragments import SPACED_WORD_GAP, WORD_GAP
from eulereye.segment.classical.kinds import lettered_pictures_as_text
from eulereye.segment.classical.masks import body_size, ink_mask
from eulereye.synth.render import font
from tests.conftest import SERIF, WORDS, column_page, paragraph
from tools.testdata import data_path

SEGMENTER = get_segmenter("classical")
TEXT_KINDS = ("text", "headline", "masthead")


def boxes(regions):
    return [r.bbox for r in regions]


def assert_valid(regions, shape):
    height, width = shape
    for region in regions:
        x0, y0, x1, y1 = region.bbox
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
        assert region.kind in REGION_KINDS and region.kind != "rule"


@pytest.mark.parametrize("value", [255, 128, 0])
def test_blank_page_has_no_regions(value):
    assert SEGMENTER.segment(np.full((2400, 1700), value, np.uint8)) == []


def test_grey_noise_and_specks_are_no_content():
    rng = np.random.default_rng(1)
    page = np.clip(rng.normal(200, 6, (2400, 1700)), 0, 255).astype(np.uint8)
    for x, y in rng.integers(0, 1600, size=(60, 2)):
        page[y : y + 3, x : x + 3] = 0
    assert SEGMENTER.segment(page) == []


def test_picture_only_page_gives_illustrations():
    rng = np.random.default_rng(2)
    page = np.full((2400, 1700), 235, np.uint8)
    photo = cv2.GaussianBlur(rng.integers(0, 256, (700, 900)).astype(np.uint8), (0, 0), 25)
    page[200:900, 300:1200] = cv2.normalize(photo, None, 0, 120, cv2.NORM_MINMAX)
    cv2.circle(page, (850, 1600), 350, 30, -1)
    regions = SEGMENTER.segment(page)
    assert_valid(regions, page.shape)
    assert [r.kind for r in regions] == ["illustration", "illustration"]
    assert coverage(boxes(regions), [(300, 200, 1200, 900), (500, 1250, 1200, 1950)], page.shape) > 0.95


@pytest.mark.parametrize("shape", [(1, 1), (5, 7), (40, 30)])
def test_tiny_images_do_not_crash(shape):
    page = np.full(shape, 255, np.uint8)
    page[shape[0] // 2, :] = 0
    assert_valid(SEGMENTER.segment(page), shape)


@pytest.mark.parametrize("seed,degrade", [(3, False), (5, 0.3)])
def test_generated_pages_read_in_order_without_straddling(seed, degrade):
    page = generate_page(seed, degrade=degrade, binarise=False)
    regions = SEGMENTER.segment(page.image)
    assert_valid(regions, page.image.shape)
    truth = sorted(page.sections, key=lambda s: s.order)
    truth_text = [s.bbox for s in truth if s.kind in TEXT_KINDS]
    assert straddle_rate(boxes(regions), truth_text) == 0.0
    assert coverage(boxes(regions), truth_text, page.image.shape) >= 0.85
    assert order_agreement(boxes(regions), [s.bbox for s in truth]) >= 0.95
    # Not one section per line: clearly fewer sections than text lines.
    lines = sum(len(s.lines) for s in truth if s.kind == "text")
    assert len(regions) < 0.7 * lines  # adverts' centred lines still split; see docs
    assert "headline" in {r.kind for r in regions}


def test_paragraphs_become_sections_of_their_own():
    # An indented line under a short one starts a paragraph, as GT layouts (and ALTO blocks) have it.
    page, lines = column_page(paragraph(5) + paragraph(4))
    texts = [r.bbox for r in SEGMENTER.segment(page) if r.kind == "text"]
    assert len(texts) == 2
    first, second = sorted(texts, key=lambda b: b[1])
    assert first[3] <= lines[5][1] <= second[1]


def test_a_line_running_on_under_a_full_one_is_no_new_paragraph():
    page, _ = column_page([(0, WORDS[i : i + 9]) for i in range(6)] + [(0, WORDS[:3])])
    assert len([r for r in SEGMENTER.segment(page) if r.kind == "text"]) == 1


def test_facing_page_sliver_at_the_scan_edge_is_dropped():
    page, _ = column_page(paragraph(8), width=1000)
    page = page.copy()
    sliver, _ = column_page(paragraph(8), x0=0, x1=700, width=1000)
    page[:, 960:] = sliver[:, 660:700]  # the right ends of another page's lines, cut by the scan
    texts = [r.bbox for r in SEGMENTER.segment(page)]
    assert len(texts) == 1 and texts[0][2] < 950


def test_a_picture_of_lines_of_letters_is_text():
    # An ad set tight beside a cut, taken whole for a picture at the working resolution.
    page, lines = column_page(paragraph(6), height=900)
    page = page.copy()
    cv2.rectangle(page, (905, 200), (1000, 330), 0, -1)  # the cut
    rng = np.random.default_rng(3)
    drawing = np.full((300, 700), 255, np.uint8)
    for x0, y0, x1, y1 in rng.integers(0, 700, size=(40, 4)):
        cv2.line(drawing, (x0, y0 % 300), (x1, y1 % 300), 0, 3)  # an engraving's strokes
    page[560:860, 150:850] = drawing
    ad = (150, 200, 1000, lines[-1][3])
    regions = [Region(ad, "illustration"), Region((150, 560, 850, 860), "illustration"), Region(ad, "text")]
    kinds = [r.kind for r in lettered_pictures_as_text(page, regions, 28.0)]
    assert kinds == ["text", "illustration", "text"]
    # A "picture" taking much of the page is a frame around text sections of its own.
    whole = [Region((0, 0, page.shape[1], page.shape[0]), "illustration")]
    assert lettered_pictures_as_text(page, whole, 28.0) == whole


@pytest.fixture(scope="module")
def gbn_page():
    stem = "newspaper-layout/gbn_Kolonie18750417-p03"
    return (cv2.imread(str(data_path(f"{stem}.png")), cv2.IMREAD_GRAYSCALE),
            read_page_xml(data_path(f"{stem}.xml")))


def test_real_newspaper_page_against_its_page_xml(gbn_page):
    image, truth = gbn_page
    regions = SEGMENTER.segment(image)
    assert_valid(regions, image.shape)
    text = list(truth.text.values())
    assert straddle_rate(boxes(regions), text) <= 0.02
    assert coverage(boxes(regions), text, image.shape) >= 0.9
    assert len(regions) < 3 * len(text)
    # Paragraph-level GT: Tesseract's own blocks score 0.49 on this page (bench/RESULTS.md).
    assert detection_scores(boxes(regions), text).f1 >= 0.55


def test_real_page_downscaled_gives_the_same_layout(gbn_page):
    image, truth = gbn_page
    scale = 0.25
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    text = [tuple(int(v * scale) for v in box) for box in truth.text.values()]
    regions = SEGMENTER.segment(small)
    assert straddle_rate(boxes(regions), text) <= 0.02
    assert coverage(boxes(regions), text, small.shape) >= 0.85


def test_seven_column_front_page_masthead_first_text_blocks_within_one_column():
    # Narrow gutters with faint, broken column rules; half size keeps the test quick (the
    # segmenter works at about this resolution anyway).
    image = cv2.imread(str(data_path("loc/highland-recorder-1895-12-13-p1.jpg")), cv2.IMREAD_GRAYSCALE)
    image = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    regions = SEGMENTER.segment(image)
    assert_valid(regions, image.shape)
    assert regions[0].kind == "masthead"
    column_width = image.shape[1] / 7
    line = 15  # pixels: about one line of body text at this size
    text = [r for r in regions if r.kind == "text" and r.bbox[3] - r.bbox[1] > 3 * line]
    too_wide = [r.bbox for r in text if r.bbox[2] - r.bbox[0] > 1.4 * column_width]
    assert too_wide == []
    # Each of the seven columns holds tall text blocks, and columns are not cut into lines.
    tall = [r for r in text if r.bbox[3] - r.bbox[1] > 200]
    assert {int((r.bbox[0] + r.bbox[2]) / 2 // column_width) for r in tall} == set(range(7))
    assert len(regions) < 200


def test_column_touching_a_dark_scan_border_is_kept():
    # A torn page edge scanned as a dark band that the first letters of the left column's
    # lines run into: one ink shape with the band, yet that column is text, not a frame
    # (it was lost: coverage 0.81).
    page = generate_page(3, degrade=False, binarise=False)
    truth = [s.bbox for s in page.sections if s.kind in TEXT_KINDS]
    image = page.image.copy()
    image[:, : min(b[0] for b in truth) + 6] = 40
    assert coverage(boxes(SEGMENTER.segment(image)), truth, image.shape) >= 0.97


def test_text_boxes_mostly_on_another_are_taken_into_it():
    from eulereye.segment.classical.segmenter import absorb_overlapping

    column = ((100, 100, 400, 900), "text")
    piece = ((80, 120, 180, 600), "text")  # 80% on the column: its words would be read twice
    beside = ((420, 100, 700, 900), "text")
    picture = ((150, 300, 350, 500), "illustration")
    merged = absorb_overlapping([piece, column, beside, picture])
    assert sorted(merged) == sorted([((80, 100, 400, 900), "text"), beside, picture])


def test_a_first_line_with_wide_word_spaces_stays_with_its_paragraph():
    # A justified line of a few long words under white paper (a first line below a headline)
    # has word spaces wider than the smearing bridges; left in pieces, each piece was a
    # section of its own, read after the rest of the column (Beaver County News 1916).
    page, lines = column_page([(0, [])] + paragraph(6)[1:])
    x0, y0, x1, _ = lines[0]
    image = Image.fromarray(page)
    draw, face = ImageDraw.Draw(image), font(SERIF, 28)
    words = ["harbourmaster", "agreed", "unanimously", "monday"]
    gap = (x1 - x0 - sum(face.getlength(w) for w in words)) / (len(words) - 1)
    size = body_size(ink_mask(page))
    assert WORD_GAP * size < gap < SPACED_WORD_GAP * size  # wider than the smearing bridges
    for i, word in enumerate(words):
        draw.text((x0 + sum(face.getlength(w) for w in words[:i]) + i * gap, y0), word, font=face, fill=0)
    texts = [r.bbox for r in SEGMENTER.segment(np.asarray(image)) if r.kind == "text"]
    assert len(texts) == 1 and texts[0][1] <= y0 + 10


def two_columns_torn_below_their_rule(rule_end):
    """Two columns with a rule between them that ends at ``rule_end``; below it the paper
    was torn and the right column's lines slid left to 8 px from the left column's."""
    lines = [(0, WORDS[i : i + 8]) for i in range(12)]
    left, boxes_ = column_page(lines, x0=100, x1=520)
    right, _ = column_page(lines, x0=540, x1=960)
    slid, _ = column_page(lines, x0=528, x1=948)
    page = np.minimum(left, np.where(np.arange(left.shape[0])[:, None] < rule_end, right, slid))
    page[190:rule_end, 530:533] = 0
    return page, boxes_


def test_a_torn_off_column_rule_still_parts_the_columns_below_it():
    page, lines = two_columns_torn_below_their_rule(lines_end := 200 + 8 * 36 - 10)
    assert lines[8][1] > lines_end
    texts = [r.bbox for r in SEGMENTER.segment(page) if r.kind == "text"]
    assert texts and not [b for b in texts if b[0] < 500 and b[2] > 560]


def leaning_rule_page(lean, lines=40, height=1800):
    """Two columns with a rule between them that leans ``lean`` px over its length, the left
    column's lines following it (a page bent on the film), their ends 12 px from the rule.
    Returns the page and the right end of the left column's first line."""
    rows = [(0, (WORDS * 9)[i : i + 8]) for i in range(lines)]
    page, _ = column_page(rows, x0=590, x1=1000, height=height)
    pitch = round(1.3 * 28)
    for i, row in enumerate(rows):
        x1 = 540 - round(lean * i / lines)
        line, _ = column_page([row], x0=x1 - 420, x1=x1, top=200 + i * pitch, height=height)
        page = np.minimum(page, line)
    page = page.copy()
    cv2.line(page, (552, 190), (552 - lean, 190 + lines * pitch), 0, 2)
    first_line_end = int(np.flatnonzero((page[200:228, :545] < 128).any(axis=0)).max()) + 1
    return page, first_line_end


def test_lines_beside_a_leaning_rule_keep_their_last_letters():
    # The rule's box is wider than a rule and takes in the ends of the lines beside it; the
    # whole box was masked as rule, and the section's box cut off their last letters (Beaver
    # County News 1916: 'theatr', 'Manage', 'popula').
    page, line_end = leaning_rule_page(24)
    texts = sorted(r.bbox for r in SEGMENTER.segment(page) if r.kind == "text")
    assert len(texts) == 2
    assert line_end <= texts[0][2] < 552  # the letters in, the rule out
