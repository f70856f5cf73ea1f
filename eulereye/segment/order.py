"""Reading order for newspaper regions, shared by every segmenter.

``order_regions`` takes regions found anywhere on a page (by the classical segmenter, or from
the masks of a learned one) and returns them as a reader would take them:

1. mastheads first (top to bottom);
2. then the page band by band: a horizontal rule that runs across (most of) a group of regions,
   with no region crossing it, ends a band (e.g. the rule under the date line, or above the
   adverts); a rule with a column going on beside it (regions beyond its ends, above and
   below it) ends an article in its own columns only, so the column beside stays in the band;
   a headline alone on top of a group and spanning half of it heads the whole group;
3. within a band, columns left to right: a vertical line that no region crosses splits the
   band into columns (a recursive XY-cut that prefers vertical cuts), so an article's
   columns are read one after the other;
4. where no vertical cut exists (a headline or picture spans the columns below it), the group
   is cut horizontally above and below the spanning regions into rows read top to bottom, so
   the spanning headline comes before the columns it spans, and each row is ordered again by
   the same rules (rows that stand in columns together stay one row: see
   ``_rows_between_spanning_regions``).

Regions that overlap so that neither cut separates them are taken top to bottom, then left to
right. The function is pure: no image needed, input regions are not modified.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from eulereye.model import BBox, Region, area

BAND_RULE_SPAN = 0.6  # a horizontal rule ends a band when it spans this share of the group
CUT_SLACK = 0.01  # boxes may overlap a cut by this share of the page (slightly crooked scans)
MAX_SLACK_SHARE = 0.25  # ... but never by more than this share of their own size
RULE_DRIFT = 0.6  # pieces of one broken rule lie within this share of the vertical slack
HEADLINE_SPAN = 0.5  # a headline alone on top of a group this wide heads all of it
SLIGHTLY_BLOCKED = 0.05  # a column line this little blocked splits before any row cut
MAX_BLOCKED = 0.2  # a column line blocked by regions over at most this share of the height ...
MIN_SIDE = 0.1  # ... with regions this share of its height tall on either side still splits a group
SOFT_EDGE = 0.2  # ... where a text region blocks it only this far (share of a column) inside ...
MIN_CORE = 0.2  # ... though always over this middle share of its own width
HEADED_GAP = 2.0  # text starting within this many headline heights below a headline is headed by it


def order_regions(
    regions: Sequence[Region],
    page_width: int,
    page_height: int,
    separators: Sequence[BBox] = (),
) -> list[Region]:
    """Return ``regions`` in reading order.

    ``regions``: boxes in page pixels of any kind in ``model.REGION_KINDS``. Regions of kind
    ``rule`` are used as separators and are not returned.
    ``page_width``/``page_height``: the page's size, which scales the tolerances.
    ``separators``: further rule boxes (column rules, horizontal rules) a segmenter detected
    but does not return as regions. Horizontal rules decide where bands end; vertical rules
    need no special handling because regions do not cross them.
    """
    rules = [r.bbox for r in regions if r.kind == "rule"] + list(separators)
    content = [r for r in regions if r.kind != "rule"]
    mastheads = sorted((r for r in content if r.kind == "masthead"), key=_top_left)
    rest = [r for r in content if r.kind != "masthead"]
    slack = (CUT_SLACK * page_width, CUT_SLACK * page_height)
    horizontal_rules = _joined_rules([b for b in rules if b[2] - b[0] > b[3] - b[1]], slack)
    return mastheads + _xy_cut(rest, horizontal_rules, slack)


def _joined_rules(rules: list[BBox], slack: tuple[float, float]) -> list[BBox]:
    """Horizontal rules with the pieces of a broken one joined: on one height (within
    ``RULE_DRIFT`` of the slack) and less than the horizontal slack apart. A printed rule of an
    old scan comes out in pieces (worn type, a crease), each too short to end a band."""
    joined: list[list[int]] = []
    for x0, y0, x1, y1 in sorted(rules, key=lambda b: (b[0])):
        middle = (y0 + y1) / 2
        line = next((j for j in joined if abs((j[1] + j[3]) / 2 - middle) <= RULE_DRIFT * slack[1]
                     and x0 - j[2] <= slack[0]), None)
        if line is None:
            joined.append([x0, y0, x1, y1])
        else:
            line[:] = [min(line[0], x0), min(line[1], y0), max(line[2], x1), max(line[3], y1)]
    return [tuple(box) for box in joined]


def _top_left(region: Region) -> tuple[int, int]:
    return region.bbox[1], region.bbox[0]


def _xy_cut(
    regions: list[Region], horizontal_rules: list[BBox], slack: tuple[float, float]
) -> list[Region]:
    if len(regions) <= 1:
        return list(regions)
    splits = (  # tried in turn; the first that divides the group wins
        lambda: _split_at_band_rules(regions, horizontal_rules, slack),
        lambda: _leading_headline(regions, slack[1]),
        lambda: _split_at_gaps(regions, axis=0, slack=slack[0]),
        lambda: _least_blocked_cut(regions, SLIGHTLY_BLOCKED),
        lambda: _shifted_columns(regions, slack),
        lambda: _rows_between_spanning_regions(regions, slack),
        lambda: _least_blocked_cut(regions, MAX_BLOCKED, soft=True),
    )
    for split in splits:
        groups = split()
        if len(groups) > 1:
            return [r for group in groups for r in _xy_cut(group, horizontal_rules, slack)]
    return sorted(regions, key=_top_left)


def _core_interval(box: BBox, axis: int, slack: float) -> tuple[float, float]:
    """The box's extent along ``axis`` (0: x, 1: y), shrunk by the cut slack."""
    lo, hi = box[axis], box[axis + 2]
    shrink = min(slack, MAX_SLACK_SHARE * (hi - lo))
    return lo + shrink, hi - shrink


def _split_at_gaps(regions: list[Region], axis: int, slack: float) -> list[list[Region]]:
    """Groups of regions separated by empty gaps along ``axis``, in increasing order."""
    spans = sorted(
        ((*_core_interval(r.bbox, axis, slack), i) for i, r in enumerate(regions)),
        key=lambda s: s[0],
    )
    groups: list[list[Region]] = []
    reach = float("-inf")
    for lo, hi, index in spans:
        if lo >= reach:
            groups.append([])
        groups[-1].append(regions[index])
        reach = max(reach, hi)
    return groups


def _leading_headline(regions: list[Region], slack: float) -> list[list[Region]]:
    """The group's first row apart when it is one headline spanning much of the group: it
    heads all the columns below, also those beyond its ends (a centred banner headline)."""
    rows = _split_at_gaps(regions, axis=1, slack=slack)
    top = rows[0]
    x0 = min(r.bbox[0] for r in regions)
    x1 = max(r.bbox[2] for r in regions)
    if len(rows) > 1 and len(top) == 1 and top[0].kind == "headline" \
            and top[0].bbox[2] - top[0].bbox[0] >= HEADLINE_SPAN * (x1 - x0):
        return [top, [r for row in rows[1:] for r in row]]
    return [regions]


def _rows_between_spanning_regions(regions: list[Region], slack: tuple[float, float]) -> list[list[Region]]:
    """Rows split by horizontal gaps, where consecutive rows that together still stand in
    columns are kept as one group.

    Only a region spanning the columns (a headline, a picture) needs a horizontal cut. Cutting
    at every gap would read aligned columns row by row across the page whenever their lines or
    blocks happen to end at the same height.
    """
    groups: list[list[Region]] = []
    for row in _split_at_gaps(regions, axis=1, slack=slack[1]):
        if groups and _in_columns(groups[-1] + row, slack[0]):
            groups[-1] += row
        else:
            groups.append(row)
    return groups


def _shifted_columns(regions: list[Region], slack: tuple[float, float]) -> list[list[Region]]:
    """Columns that shift sideways part-way down the group (a torn page pasted back a little
    askew, or two strips of film joined), each read top to bottom across the shift.

    The group falls into an upper and a lower part (``_rows_between_spanning_regions``), each
    standing in columns, but with no one straight line between the columns of both. Where a
    column line of the upper part has one of the lower part within ``SOFT_EDGE`` of a column
    beside it, the two are taken as one bent line: the upper part's regions go left or right
    of its upper piece, the lower part's of its lower piece. A headline on top of the upper
    part that runs across such a line (with the headlines beside it over the same columns)
    comes first: it heads those columns; any other goes with its column."""
    rows = _rows_between_spanning_regions(regions, slack)
    if len(rows) < 2:
        return [regions]
    upper, lower, *later = rows
    heads, body = _headline_rows(upper, slack[1])
    widths = [r.bbox[2] - r.bbox[0] for r in regions if r.kind == "text"]
    reach = SOFT_EDGE * float(np.median(widths)) if widths else 0.0
    lines = _paired_lines(_column_lines(body), _column_lines(lower), reach)
    if not lines:
        return [regions]
    across = [r for r in heads if any(r.bbox[0] < top < r.bbox[2] for top, _ in lines)]
    if across:  # with the headline rows beside them over the same columns
        x0, x1 = min(r.bbox[0] for r in across), max(r.bbox[2] for r in across)
        across = [r for r in heads if x0 <= _centre(r) <= x1]
    bounds = [(-np.inf, -np.inf), *lines, (np.inf, np.inf)]
    columns = [
        [r for r in upper if r not in across and left[0] <= _centre(r) < right[0]]
        + [r for r in lower if left[1] <= _centre(r) < right[1]]
        for left, right in zip(bounds, bounds[1:])
    ]
    return [group for group in [across, *columns, *later] if group]


def _headline_rows(regions: list[Region], slack: float) -> tuple[list[Region], list[Region]]:
    """The rows on top of the group made mostly (by area) of headlines and pictures, and the
    rest."""
    rows = _split_at_gaps(regions, axis=1, slack=slack)
    count = 0
    for row in rows[:-1]:
        text = sum(area(r.bbox) for r in row if r.kind == "text")
        if text * 2 >= sum(area(r.bbox) for r in row):
            break
        count += 1
    return [r for row in rows[:count] for r in row], [r for row in rows[count:] for r in row]


def _column_lines(regions: list[Region]) -> list[float]:
    """The group's column lines left to right, one per gutter: lines that no region blocks
    (softly, as in ``_least_blocked_cut``) with regions on both sides."""
    candidates, blocked, centres, _ = _line_blocking(regions, soft=True)
    clearance = _clearance(candidates, centres)
    gutters: list[list[int]] = []  # clear candidates with no region centre between them
    for i in np.flatnonzero(blocked == 0):
        if not (centres < candidates[i]).any() or not (centres > candidates[i]).any():
            continue
        if gutters and not ((centres > candidates[gutters[-1][-1]]) & (centres < candidates[i])).any():
            gutters[-1].append(i)
        else:
            gutters.append([i])
    return [float(candidates[max(gutter, key=lambda i: clearance[i])]) for gutter in gutters]


def _paired_lines(upper: list[float], lower: list[float], reach: float) -> list[tuple[float, float]]:
    """Upper and lower column lines paired left to right, each with the nearest line of the
    other part within ``reach``."""
    pairs: list[tuple[float, float]] = []
    for top in upper:
        near = [x for x in lower if abs(x - top) <= reach and (not pairs or x > pairs[-1][1])]
        if near:
            pairs.append((top, min(near, key=lambda x: abs(x - top))))
    return pairs


def _centre(region: Region) -> float:
    return (region.bbox[0] + region.bbox[2]) / 2


def _least_blocked_cut(
    regions: list[Region], max_blocked: float, soft: bool = False
) -> list[list[Region]]:
    """Left and right of the vertical line that the fewest text regions block, when every
    column line is blocked: a text region read across a gutter by mistake (or a torn scrap
    pasted over one) then goes with the side holding its centre, and the columns either side
    are still read one after the other instead of the group falling apart into rows across
    the page.
    With ``soft``, regions block only where ``_soft_extents`` says: columns that shift
    sideways at a tear or a fold overlap the line by their edges. Only a line blocked over at
    most ``max_blocked`` of the group's height, with regions at least ``MIN_SIDE`` of its height
    tall on either side (not a short line at a column's edge), counts."""
    candidates, blocked, centres, span = _line_blocking(regions, soft)
    tall = np.array([r.bbox[3] - r.bbox[1] for r in regions], dtype=float)
    left = (centres[None, :] < candidates[:, None]) @ tall
    side = np.minimum(left, tall.sum() - left)
    usable = np.flatnonzero((blocked <= max_blocked * span) & (side >= MIN_SIDE * span)
                            & ~_heads_a_side(regions, candidates))
    if not usable.size:
        return [regions]
    clearance = _clearance(candidates, centres)
    best = usable[np.lexsort((-clearance[usable], blocked[usable]))[0]]
    return [[r for r, c in zip(regions, centres) if c < candidates[best]],
            [r for r, c in zip(regions, centres) if c >= candidates[best]]]


def _heads_a_side(regions: list[Region], candidates: np.ndarray) -> np.ndarray:
    """For each candidate column line, whether a region across it ends above every region on
    one side of it: a heading over that side (a table's title over its columns), not a region
    read across a gutter, so no column cut goes through it."""
    boxes = np.array([r.bbox for r in regions], dtype=float)
    lines = candidates[:, None]
    across = (boxes[None, :, 0] < lines) & (lines < boxes[None, :, 2])
    left_top = np.where(boxes[None, :, 2] <= lines, boxes[None, :, 1], np.inf).min(axis=1)
    right_top = np.where(boxes[None, :, 0] >= lines, boxes[None, :, 1], np.inf).min(axis=1)
    side_top = np.maximum(left_top, right_top)  # the lower of the two sides' first regions
    side_top[np.isinf(side_top)] = -np.inf  # a side with nothing wholly on it is headed by nothing
    return (across & (boxes[None, :, 3] <= side_top[:, None])).any(axis=1)


def _line_blocking(
    regions: list[Region], soft: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Candidate column lines (just right of a region or of its blocking part), the height of
    the regions blocking each, the regions' centres and the group's height, for
    ``_least_blocked_cut``."""
    boxes = np.array([r.bbox for r in regions], dtype=float)
    # A headline or picture across a column line heads or fills those columns: it blocks the
    # line wherever it crosses it, and no cut goes through it.
    text = np.array([r.kind == "text" for r in regions])
    cores = _soft_extents(boxes, text) if soft else boxes[:, [0, 2]]
    span = float(boxes[:, 3].max() - boxes[:, 1].min())
    heights = np.where(text, boxes[:, 3] - boxes[:, 1], 2.0 * span)
    centres = (boxes[:, 0] + boxes[:, 2]) / 2
    candidates = np.unique(np.concatenate([cores[:, 1], boxes[:, 2]]))
    blocking = (cores[None, :, 0] < candidates[:, None]) & (candidates[:, None] < cores[None, :, 1])
    return candidates, blocking @ heights, centres, span


def _clearance(candidates: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Each candidate line's distance to the nearest region centre: of lines blocked alike,
    the one furthest from the regions either side is the gutter."""
    return np.abs(candidates[:, None] - centres[None, :]).min(axis=1)


def _soft_extents(boxes: np.ndarray, text: np.ndarray) -> np.ndarray:
    """Where each region blocks a column line softly (left and right x): a text region only
    ``SOFT_EDGE`` of a column's width (their median width) inside its box; a headline or
    picture wider than a column also over the text it heads (just below it, overlapping it
    sideways), so that a line through the edge of a column under a spanning headline does
    not part them.""" 
    widths = boxes[:, 2] - boxes[:, 0]
    column = np.median(widths[text]) if text.any() else 0.0
    edge = np.minimum(SOFT_EDGE * column, (1 - MIN_CORE) / 2 * widths)
    extents = np.stack([boxes[:, 0] + edge, boxes[:, 2] - edge], axis=1)
    for i in np.flatnonzero(~text & (widths > column)):
        x0, y0, x1, y1 = boxes[i]
        below = text & (boxes[:, 1] >= y0) & (boxes[:, 1] <= y1 + HEADED_GAP * (y1 - y0)) \
            & (boxes[:, 0] < x1) & (boxes[:, 2] > x0)
        extents[i] = [min(x0, boxes[below, 0].min(initial=x0)), max(x1, boxes[below, 2].max(initial=x1))]
    return extents


def _in_columns(regions: list[Region], slack: float) -> bool:
    """Whether ``regions`` stand in columns side by side: a vertical line runs between them,
    clear or (columns shifted sideways at a tear or a fold) touching only their edges."""
    return len(_split_at_gaps(regions, axis=0, slack=slack)) > 1 \
        or len(_least_blocked_cut(regions, 0.0, soft=True)) > 1


def _split_at_band_rules(
    regions: list[Region], horizontal_rules: list[BBox], slack: tuple[float, float]
) -> list[list[Region]]:
    """Bands of regions between horizontal rules that span the group and cross no region."""
    x0 = min(r.bbox[0] for r in regions)
    x1 = max(r.bbox[2] for r in regions)
    y_lo = min(r.bbox[1] for r in regions)
    y_hi = max(r.bbox[3] for r in regions)
    cores = [_core_interval(r.bbox, 1, slack[1]) for r in regions]
    cuts = sorted(
        (rule[1] + rule[3]) / 2
        for rule in horizontal_rules
        if min(rule[2], x1) - max(rule[0], x0) >= BAND_RULE_SPAN * (x1 - x0)
        and y_lo < (rule[1] + rule[3]) / 2 < y_hi
        and not any(lo < (rule[1] + rule[3]) / 2 < hi for lo, hi in cores)
        and not _column_goes_on_beside(rule, regions, slack[0])
    )
    if not cuts:
        return [regions]
    bands: list[list[Region]] = [[] for _ in range(len(cuts) + 1)]
    for region, (lo, hi) in zip(regions, cores):
        bands[sum(cut <= (lo + hi) / 2 for cut in cuts)].append(region)
    return [band for band in bands if band]


def _column_goes_on_beside(rule: BBox, regions: list[Region], slack: float) -> bool:
    """Whether regions beside ``rule`` (left or right of its ends) stand both above and below
    it: then the rule ends an article in its own columns only, and a column running on beside
    it belongs to the same band (the vertical cut between them comes first)."""
    y = (rule[1] + rule[3]) / 2
    for beside in (lambda box: box[2] - slack <= rule[0], lambda box: box[0] + slack >= rule[2]):
        boxes = [r.bbox for r in regions if beside(r.bbox)]
        if any(box[3] <= y for box in boxes) and any(box[1] >= y for box in boxes):
            return True
    return False
