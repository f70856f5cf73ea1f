"""Reading order of regions, independent of any image."""

from eulereye.model import Region
from eulereye.segment.order import order_regions

W, H = 1000, 1400


def kinds_and_boxes(regions):
    return [(r.kind, r.bbox) for r in regions]


def test_masthead_then_columns_left_to_right_and_spanning_headline_first():
    masthead = Region((50, 20, 950, 120), "masthead")
    headline = Region((50, 150, 640, 200), "headline")  # spans columns 1 and 2
    col1 = Region((50, 210, 330, 1300), "text")
    col2 = Region((360, 210, 640, 1300), "text")
    col3 = Region((670, 150, 950, 1300), "text")
    shuffled = [col3, col2, headline, col1, masthead]
    assert order_regions(shuffled, W, H) == [masthead, headline, col1, col2, col3]


def test_horizontal_rule_ends_a_band_even_when_columns_line_up():
    # Two bands of two columns each; the gaps line up, so only the rule says "band first".
    top_left, top_right = Region((50, 50, 480, 600), "text"), Region((520, 50, 950, 600), "text")
    low_left, low_right = Region((50, 650, 480, 1300), "text"), Region((520, 650, 950, 1300), "text")
    rule = (40, 620, 960, 626)
    regions = [low_right, top_right, low_left, top_left]
    assert order_regions(regions, W, H, separators=[rule]) == [top_left, top_right, low_left, low_right]
    # Without the rule it reads column by column: a left column runs down the page.
    assert order_regions(regions, W, H) == [top_left, low_left, top_right, low_right]


def test_rule_regions_are_used_and_not_returned():
    top, bottom = Region((50, 50, 950, 300), "text"), Region((50, 350, 950, 600), "text")
    rule = Region((40, 320, 960, 324), "rule")
    assert order_regions([bottom, rule, top], W, H) == [top, bottom]


def test_blocks_within_a_column_top_to_bottom_and_slight_overlap_tolerated():
    # Boxes of neighbouring columns overlap by a few pixels (crooked scan): still columns.
    a1, a2 = Region((50, 50, 505, 400), "text"), Region((50, 420, 505, 900), "text")
    b1 = Region((498, 50, 950, 900), "text")
    assert order_regions([b1, a2, a1], W, H) == [a1, a2, b1]


def test_overlapping_regions_fall_back_to_top_then_left():
    a, b = Region((100, 100, 600, 600), "illustration"), Region((300, 300, 900, 900), "text")
    assert order_regions([b, a], W, H) == [a, b]


def test_empty_and_single():
    assert order_regions([], W, H) == []
    only = Region((0, 0, 10, 10), "text")
    assert order_regions([only], W, H) == [only]


def test_columns_whose_lines_align_are_still_read_column_by_column():
    # A spanning headline blocks the vertical cut; below it, three columns whose blocks end at
    # the same heights (uniform leading) must not be read row by row across the page.
    headline = Region((100, 0, 900, 50), "headline")
    columns = [Region((x, y, x + 280, y + 100), "text") for x in (0, 310, 620) for y in (80, 190)]
    ordered = order_regions([*columns[::-1], headline], 1000, 400)
    assert ordered[0] == headline
    assert ordered[1:] == columns


def test_columns_shifted_at_a_tear_are_read_down_across_it():
    # A torn page pasted back askew: below y=700 every column sits 60 px (a fifth of a
    # column) further left, so no straight line parts the columns of both halves. Each
    # column is still read top to bottom, its lower piece right after its upper one.
    upper = [Region((x, 100, x + 280, 680), "text") for x in (60, 370, 680)]
    lower = [Region((x - 60, 720, x - 60 + 280, 1300), "text") for x in (60, 370, 680)]
    ordered = order_regions([*lower, *upper][::-1], W, H)
    assert ordered == [upper[0], lower[0], upper[1], lower[1], upper[2], lower[2]]


def test_headline_over_two_shifted_columns_comes_before_both():
    headline = Region((70, 20, 640, 80), "headline")
    upper = [Region((x, 100, x + 280, 680), "text") for x in (60, 370, 680)]
    lower = [Region((x - 60, 720, x - 60 + 280, 1300), "text") for x in (60, 370, 680)]
    ordered = order_regions([*upper, headline, *lower], W, H)
    assert ordered == [headline, upper[0], lower[0], upper[1], lower[1], upper[2], lower[2]]


def test_a_short_line_at_a_column_edge_does_not_move_the_gutter():
    # Two columns shifted at a tear; a short right-aligned line ends the upper left column.
    # It belongs to that column, not to the column right of the gutter.
    upper_left, upper_right = Region((60, 100, 480, 600), "text"), Region((520, 100, 940, 600), "text")
    short = Region((380, 610, 480, 640), "text")
    lower_left, lower_right = Region((0, 680, 420, 1300), "text"), Region((460, 680, 880, 1300), "text")
    ordered = order_regions([lower_right, short, upper_right, lower_left, upper_left], W, H)
    assert ordered == [upper_left, short, lower_left, upper_right, lower_right]


def test_a_title_line_across_a_column_line_above_the_columns_is_read_before_them():
    # A table's title runs across the line between its columns, a little below a running
    # head that starts right of that line (a 1761 book page). The line is blocked only by
    # the title's height, but the title heads the columns: no column cut goes through it.
    running_head = Region((676, 209, 1083, 271), "text")
    title = Region((386, 360, 1383, 414), "text")
    left = [Region((254, 470, 671, 976), "text"), Region((243, 1032, 676, 1535), "text")]
    right = Region((700, 470, 1380, 1535), "text")
    ordered = order_regions([right, *left, title, running_head], 1600, 2200)
    assert ordered == [running_head, title, *left, right]
