"""Box geometry every segmenter shares."""

from __future__ import annotations

from eulereye.model import nested_groups, same_row


def test_boxes_inside_a_larger_one_join_it_and_it_grows_by_them():
    boxes = [(0, 0, 100, 100),     # 0: host
             (10, 10, 40, 40),     # 1: inside 0
             (15, 15, 20, 20),     # 2: inside 1, so inside 0 too
             (90, 50, 105, 60),    # 3: 2/3 inside 0 (met before 0 grows): stays apart
             (92, 10, 102, 20),    # 4: 80% inside 0: joins, and 0 grows to x1 = 102
             (95, 70, 103, 80)]    # 5: 7/8 inside 0 only once 0 has grown (by 4)
    assert nested_groups(boxes, [True] * 6) == [[0, 1, 4, 5, 2], [3]]  # largest first


def test_boxes_that_may_not_nest_neither_host_nor_join():
    boxes = [(0, 0, 100, 100), (10, 10, 90, 90), (20, 20, 30, 30)]
    # 1 (a picture, say) stays alone and hosts nothing; 2 lies inside 0 and joins it.
    assert nested_groups(boxes, [True, False, True]) == [[0, 2], [1]]


def test_boxes_share_a_row_when_they_overlap_over_half_the_shorter_height():
    line = (0, 100, 200, 120)  # 20 tall
    others = [(300, 110, 400, 130),  # 10 of the shorter 20 shared: half, a row
              (300, 111, 400, 131),  # 9: a line below
              (300, 60, 400, 140),   # a tall headline holding the line: a row
              (300, 115, 320, 119),  # a small mark (4 tall) inside the line: a row
              (300, 130, 400, 150)]  # beneath it
    assert same_row(line, others).tolist() == [True, False, True, True, False]
    assert bool(same_row(line, others[0])) and not same_row(line, others[4])  # one box
