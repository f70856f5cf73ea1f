"""Deskew: known skews are measured and undone; boxes map back to the scan's pixels."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from eulereye.deskew import straighten
from tests.conftest import text_page

LINES = [f"Column {i}: the harvest in the county this year was fine, with corn and wheat"
         for i in range(16)]
MARK = (900, 1320, 960, 1380)  # x0, y0, x1, y1 of a solid block drawn on the skewed scan


@pytest.fixture(scope="module")
def upright_page() -> np.ndarray:
    return text_page(LINES, size=(1300, 1500), font_size=26)


def skewed_scan(page: np.ndarray, angle: float, paper: int = 255) -> np.ndarray:
    """``page`` turned ``angle`` degrees counter-clockwise, on a canvas that keeps it all."""
    height, width = page.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    scan = cv2.warpAffine(page, matrix, (width, height), borderValue=255)
    return np.where(scan > 250, paper, scan).astype(np.uint8)


@pytest.mark.parametrize("angle", [1.0, -1.0, 3.0, -3.0, 4.5, -4.5])
def test_known_skew_is_measured_and_undone(upright_page, angle):
    straight = straighten(skewed_scan(upright_page, angle))
    assert straight.angle == pytest.approx(-angle, abs=0.2)
    assert straighten(straight.gray).angle == pytest.approx(0.0, abs=0.2)


def test_straight_page_is_returned_as_it_is(upright_page):
    straight = straighten(upright_page)
    assert straight.angle == 0.0 and straight.gray is upright_page
    assert straight.to_original((10, 20, 30, 40)) == (10, 20, 30, 40)


@pytest.mark.parametrize("page", [np.full((900, 700), 255, np.uint8),
                                  np.pad(np.zeros((400, 300), np.uint8), 200, constant_values=255)],
                         ids=["blank", "solid picture"])
def test_pages_without_text_lines_are_left_alone(page):
    assert straighten(page).angle == 0.0


def test_rotation_keeps_every_pixel_and_fills_with_paper(upright_page):
    scan = skewed_scan(upright_page, 3.0, paper=210)
    for rows in (slice(0, 30), slice(-30, None)):
        for cols in (slice(0, 30), slice(-30, None)):
            scan[rows, cols] = 0  # a block in each corner: none may be cut off
    straight = straighten(scan)
    height, width = scan.shape
    assert straight.gray.shape[0] > height and straight.gray.shape[1] > width
    dark_blobs = cv2.connectedComponentsWithStats((straight.gray < 100).astype(np.uint8))[2]
    corner_blobs = [s for s in dark_blobs[1:] if s[cv2.CC_STAT_AREA] > 700]
    assert len(corner_blobs) == 4
    assert abs(int(straight.gray[0, 0]) - 210) <= 3  # the new corners are paper, not black


@pytest.mark.parametrize("angle", [2.0, -4.5])
def test_box_found_in_straightened_page_maps_back_to_the_scan(upright_page, angle):
    scan = skewed_scan(upright_page, angle)
    x0, y0, x1, y1 = MARK
    scan[y0:y1, x0:x1] = 0
    straight = straighten(scan)
    _, _, stats, _ = cv2.connectedComponentsWithStats((straight.gray < 128).astype(np.uint8))
    left, top, w, h, _ = stats[1:][np.argmax(stats[1:, cv2.CC_STAT_AREA])]
    back = straight.to_original((left, top, left + w, top + h))
    # The enclosing box of the turned block holds the block and grows by its turn only.
    slack = int(np.ceil((x1 - x0) * np.sin(np.radians(abs(angle))))) + 2
    assert back[0] <= x0 + 1 and back[1] <= y0 + 1 and back[2] >= x1 - 1 and back[3] >= y1 - 1
    assert back[0] >= x0 - slack and back[1] >= y0 - slack
    assert back[2] <= x1 + slack and back[3] <= y1 + slack


def test_to_original_clips_to_the_scan(upright_page):
    scan = skewed_scan(upright_page, 2.0)
    straight = straighten(scan)
    height, width = straight.gray.shape
    assert straight.to_original((0, 0, width, height)) == (0, 0, scan.shape[1], scan.shape[0])


@pytest.mark.parametrize("seed", range(12))
def test_generated_column_pages_are_levelled(seed):
    # Columns whose baselines do not line up fooled a profile-only search: seed 2 (skew 0.62)
    # was measured as -0.51 and turned the wrong way. The lines' own slope guides it now.
    from eulereye.deskew import measure_skew
    from eulereye.synth import generate_page

    page = generate_page(seed, degrade=0.3)
    assert abs(measure_skew(page.image) + page.skew) <= 0.08


def columns_with_rules(lean: float) -> tuple[np.ndarray, list[int]]:
    """Two columns of text with a hairline rule between and beside them, the rules leaning
    ``lean`` degrees (foot to the right) while the lines stay level: a sheared microfilm frame."""
    column = text_page(LINES * 3, size=(560, 2400), font_size=22)
    page = np.full((2400, 1300), 255, np.uint8)
    page[:, 40:600] = column
    page[:, 680:1240] = column
    xs = [20, 640, 1270]
    for x in xs:
        page[100:2300, x] = 90  # grey, one pixel wide
    slope = np.tan(np.radians(lean))
    shear = np.array([[1.0, slope, -slope * 1200], [0.0, 1.0, 0.0]])
    return cv2.warpAffine(page, shear, (1300, 2400), borderValue=255), xs


@pytest.mark.parametrize("lean", [0.6, -0.4])
def test_leaning_column_rules_are_sheared_upright_lines_stay_level(lean):
    scan, xs = columns_with_rules(lean)
    straight = straighten(scan)
    assert straight.shear == pytest.approx(lean, abs=0.1)
    assert straight.angle == 0.0  # the lines were level: no rotation
    rule_columns = np.flatnonzero((straight.gray[200:2200] < 200).mean(axis=0) > 0.9)
    assert len(rule_columns) >= 3  # each rule now stands in one pixel column, top to bottom
    # A box maps back onto the scan: the top of the middle rule.
    x = int(rule_columns[len(rule_columns) // 2])
    x0, _, x1, _ = straight.to_original((x, 100, x + 1, 110))
    assert x0 <= 640 + np.tan(np.radians(lean)) * (105 - 1200) + 2 and x1 >= 640 + np.tan(np.radians(lean)) * (105 - 1200) - 2


def test_upright_rules_are_not_sheared():
    scan, _ = columns_with_rules(0.0)
    assert straighten(scan).shear == 0.0
