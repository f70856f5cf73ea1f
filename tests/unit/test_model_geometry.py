"""Box geometry every segmenter shares."""

from __future__ import annotations

from eulereye.model import nested_groups


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
