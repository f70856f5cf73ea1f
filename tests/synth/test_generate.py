"""The synthetic page generator: determinism, labels, reading order, and a real OCR read."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import cv2
import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from eulereye.model import REGION_KINDS
from eulereye.synth import generate_page
from eulereye.synth import degrade as scanner
from eulereye.synth.page import BODY, GRAPHIC, HEADLINE, RULE

SMALL = {"width": 900, "height": 1300}


@pytest.fixture(scope="module")
def skewed_page():
    return generate_page(5, **SMALL, columns=4, degrade=0.8, binarise=False)


def test_same_seed_gives_identical_pixels_and_truth():
    first, second = generate_page(21, **SMALL), generate_page(21, **SMALL)
    assert np.array_equal(first.image, second.image)
    assert np.array_equal(first.labels, second.labels)
    assert first.sections == second.sections and first.text == second.text and first.skew == second.skew
    assert not np.array_equal(first.image, generate_page(22, **SMALL).image)


def test_layout_and_text_do_not_depend_on_degradation():
    clean = generate_page(8, **SMALL, degrade=False)
    scanned = generate_page(8, **SMALL, degrade=True)
    assert clean.text == scanned.text
    assert clean.skew == 0 and np.isin(clean.image, [255]).mean() > 0.5


def test_page_has_every_part_and_valid_kinds():
    page = generate_page(3, columns=5)
    assert page.image.shape == page.labels.shape == (2400, 1700) and page.image.dtype == np.uint8
    kinds = [s.kind for s in page.sections]
    assert set(kinds) <= set(REGION_KINDS) - {"rule"}
    assert kinds[:2] == ["masthead", "masthead"] and kinds.count("masthead") == 2  # name, dateline
    assert {"headline", "text"} <= set(kinds) and page.rules
    assert [s.order for s in page.sections] == list(range(len(page.sections)))
    assert page.text == "\n\n".join(s.text for s in page.sections if s.text)
    assert abs(page.skew) <= 3


def _inside_any(ys, xs, boxes, pad=3):
    inside = np.zeros(len(xs), dtype=bool)
    for x0, y0, x1, y1 in boxes:
        inside |= (xs >= x0 - pad) & (xs < x1 + pad) & (ys >= y0 - pad) & (ys < y1 + pad)
    return inside


@pytest.mark.parametrize("label, kinds", [(BODY, {"text"}), (HEADLINE, {"headline", "masthead"}),
                                          (GRAPHIC, {"illustration", "advert"})])
def test_labelled_pixels_lie_in_sections_of_their_kind(skewed_page, label, kinds):
    ys, xs = np.nonzero(skewed_page.labels == label)
    boxes = [s.bbox for s in skewed_page.sections if s.kind in kinds]
    if label == GRAPHIC and not boxes:
        assert ys.size == 0
        return
    assert ys.size and _inside_any(ys, xs, boxes).all()


def test_labels_follow_the_ink_after_skew(skewed_page):
    assert abs(skewed_page.skew) > 0.1
    dark = skewed_page.image < 128
    text = np.isin(skewed_page.labels, (BODY, HEADLINE, RULE))
    # Labelled ink is far darker than paper, and nearly every dark pixel is labelled.
    paper = skewed_page.labels == 0
    assert skewed_page.image[text].mean() < skewed_page.image[paper].mean() - 80
    assert cv2.dilate(text.astype(np.uint8), np.ones((3, 3), np.uint8))[dark].mean() > 0.9
    for section in skewed_page.sections:
        x0, y0, x1, y1 = section.bbox
        if section.kind == "text":
            assert (skewed_page.labels[y0:y1, x0:x1] == BODY).any()


def test_reading_order_is_masthead_then_articles_column_by_column():
    page = generate_page(12, degrade=False, columns=5)
    sections = page.sections
    for before, after in zip(sections, sections[1:]):
        if before.kind == "headline":
            # what follows a headline is its article's start: below it, overlapping it
            assert after.bbox[1] >= before.bbox[3] and after.kind in ("text", "illustration")
            assert after.bbox[0] < before.bbox[2] and after.bbox[2] > before.bbox[0]
        if before.kind == after.kind == "text":
            # text after text is the article's next column: to the right, starting level with it
            assert after.bbox[0] > before.bbox[2]
            assert abs(after.bbox[1] - before.bbox[1]) < 40


def _tesseract(image: np.ndarray) -> str:
    png = cv2.imencode(".png", image)[1].tobytes()
    result = subprocess.run(["tesseract", "-", "-", "--psm", "6", "-l", "eng"], input=png,
                            capture_output=True, check=True)
    return result.stdout.decode()


def test_tesseract_reads_a_mildly_degraded_column():
    page = generate_page(1, columns=3, degrade=0.3, binarise=False)
    column = max((s for s in page.sections if s.kind == "text"), key=lambda s: len(s.text))
    x0, y0, x1, y1 = column.bbox
    read = " ".join(_tesseract(page.image[y0 - 6:y1 + 6, x0 - 6:x1 + 6]).split())
    truth = " ".join(column.text.split())
    assert len(truth) > 300
    assert Levenshtein.distance(read, truth) / len(truth) <= 0.02


def test_everything_above_a_full_width_rule_is_read_before_anything_below_it():
    for seed in (30, 31, 32):
        page = generate_page(seed, degrade=False)
        widest = max(r.bbox[2] - r.bbox[0] for r in page.rules)
        band_rules = [r.bbox for r in page.rules if r.bbox[2] - r.bbox[0] >= 0.95 * widest]
        assert band_rules
        for _, rule_top, _, rule_bottom in band_rules:
            sides = [s.bbox[1] >= rule_bottom for s in page.sections]
            assert all(a <= b for a, b in zip(sides, sides[1:])), f"seed {seed}: order crosses the rule at y={rule_top}"
            assert all(s.bbox[3] <= rule_top for s, below in zip(page.sections, sides) if not below)


def _rule_weights(page) -> set[int]:
    """Thickness in px of the page's rules, horizontal and vertical."""
    return {min(x1 - x0, y1 - y0) for x0, y0, x1, y1 in (r.bbox for r in page.rules)}


def test_microfilm_style_draws_dense_narrow_columns_with_hairline_rules_in_grey_jpeg():
    """Like an NDNP microfilm scan: 6-8 columns of small type, 1 px rules, soft grey, JPEG
    blocks; the print style's pages have fewer, wider columns and heavier type."""
    size = {"width": 2600, "height": 3500}
    microfilm = generate_page(4, **size, style="microfilm", degrade=False)
    print_page = generate_page(4, **size, degrade=False)
    columns = {s.bbox[0] // 40 for s in microfilm.sections if s.kind == "text"}
    assert len(columns) >= 6
    assert max(_rule_weights(microfilm)) <= 2  # hairlines; the masthead's rule is doubled
    assert max(_rule_weights(print_page)) >= 4

    def line_height(page) -> float:
        return float(np.median([line.bbox[3] - line.bbox[1] for s in page.sections if s.kind == "text"
                                for line in s.lines]))
    assert line_height(microfilm) < 0.5 * line_height(print_page)

    scanned = generate_page(4, **size, style="microfilm")
    assert len(np.unique(scanned.image)) > 64  # grey, not bilevel
    assert scanned.text == microfilm.text  # damage never changes the layout
    assert np.array_equal(scanned.image, generate_page(4, **size, style="microfilm").image)


def test_microfilm_damage_ends_in_jpeg_compression():
    rng = np.random.default_rng(0)
    damage = scanner.sample_microfilm(rng, 1.0)
    assert 20 <= damage.jpeg_quality <= 90 and not damage.binarise
    coverage = np.zeros((64, 64), np.uint8)
    coverage[20:44, 20:44] = 255
    image, _, _ = scanner.scan(coverage, np.zeros_like(coverage), replace(damage, skew=0.0), rng)
    blocks = cv2.imdecode(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, damage.jpeg_quality])[1],
                          cv2.IMREAD_GRAYSCALE)
    assert np.abs(image.astype(int) - blocks).mean() < 2  # already JPEG at that quality: re-encoding barely moves it


def test_an_unknown_style_is_refused():
    with pytest.raises(ValueError, match="style must be one of print, microfilm"):
        generate_page(1, **SMALL, style="daguerreotype")
