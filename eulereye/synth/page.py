"""``generate_page``: layout -> render -> label -> scan, with exact ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from eulereye.model import BBox
from eulereye.synth import degrade as scanner
from eulereye.synth.layout import GUTTER, make_layout
from eulereye.synth.render import BODY_SIZE, Drawing, Drawn, render, tight

# Label classes of the per-pixel mask.
BACKGROUND, BODY, HEADLINE, RULE, GRAPHIC = 0, 1, 2, 3, 4
LABEL_OF_KIND = {"text": BODY, "headline": HEADLINE, "masthead": HEADLINE,
                 "illustration": GRAPHIC, "advert": GRAPHIC}
# Kinds whose whole box is labelled, not just their ink: a picture's paper is part of it.
FILLED_KINDS = ("illustration", "advert")
BINARISED_SHARE = 0.25  # share of degraded pages made bilevel when ``binarise`` is None


@dataclass(frozen=True)
class Style:
    """What kind of newspaper page is generated, apart from its scan damage."""

    columns: tuple[int, int]  # range of the column count, end excluded
    gutter: tuple[float, float]  # range of the column gutter, as a share of the page width
    body_size: tuple[float, float]  # body font size range in px for a 1700 px wide page
    rule_weight: int | None  # rule thickness in px; None: a share of the page width
    microfilm: bool  # scan damage of a microfilm scan rather than a flatbed's


STYLES = {
    "print": Style(columns=(3, 7), gutter=GUTTER, body_size=BODY_SIZE, rule_weight=None, microfilm=False),
    # A 19th-century broadsheet scanned from microfilm at 150 dpi (e.g. 2600x3500 px): 6-8
    # narrow columns of 7-8 pt type, gutters under a letter's height, hairline rules.
    "microfilm": Style(columns=(6, 9), gutter=(0.004, 0.009), body_size=(8, 11), rule_weight=1, microfilm=True),
}



def style_named(name: str) -> Style:
    """The style called ``name``; a ValueError naming the styles for any other."""
    if name not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}, not {name!r}")
    return STYLES[name]


Polygon = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SynthLine:
    bbox: BBox  # in the page image; the axis-aligned box around ``polygon``
    polygon: Polygon  # the line's box corners after skew
    text: str


@dataclass(frozen=True)
class SynthRule:
    bbox: BBox
    polygon: Polygon


@dataclass
class SynthSection:
    bbox: BBox
    kind: str  # one of model.REGION_KINDS (never "rule": rules are SynthPage.rules)
    order: int  # 0-based place in reading order
    text: str  # lines joined by newlines; empty for illustrations
    polygon: Polygon = ()
    lines: list[SynthLine] = field(default_factory=list)


@dataclass
class SynthPage:
    image: np.ndarray  # HxW uint8, dark ink on light paper
    labels: np.ndarray  # HxW uint8, BACKGROUND/BODY/HEADLINE/RULE/GRAPHIC
    sections: list[SynthSection]  # reading order
    text: str  # section texts in reading order, a blank line between sections
    skew: float  # degrees the content was rotated counter-clockwise; rotate by -skew to straighten
    seed: int
    rules: list[SynthRule] = field(default_factory=list)


def generate_page(seed: int, *, width: int = 1700, height: int = 2400, columns: int | None = None,
                  degrade: bool | float = True, binarise: bool | None = None,
                  style: str = "print") -> SynthPage:
    """A synthetic newspaper page, identical for identical arguments on any machine.

    ``columns``: chosen by the seed within the style's range when None (3..6 for "print",
    6..8 for "microfilm"). ``degrade``: True for random scan damage at full strength, False
    for a clean page, or a number in 0..1 scaling the damage (0.3 is mild). ``binarise``:
    None lets the seed decide (a quarter of degraded print pages; microfilm pages are grey unless asked).
    The layout and text depend only on seed, size, columns and style, not on the degradation.
    """
    strength = float(degrade)
    if not 0 <= strength <= 1:
        raise ValueError(f"degrade must be a bool or a number in 0..1, not {degrade!r}")
    look = style_named(style)
    layout_rng, render_rng, scan_rng, gutter_rng = (np.random.default_rng([seed, stream]) for stream in range(4))
    columns = columns or int(layout_rng.integers(*look.columns))
    gutter = float(gutter_rng.uniform(*look.gutter))
    layout = make_layout(layout_rng, width, height, columns, gutter, look.rule_weight)
    drawing = render(layout, render_rng, look.body_size)

    if look.microfilm:
        damage = scanner.sample_microfilm(scan_rng, strength, bool(binarise))
    else:
        if binarise is None:
            binarise = strength > 0 and bool(scan_rng.random() < BINARISED_SHARE)
        damage = scanner.sample(scan_rng, strength, binarise)
    image, labels, matrix = scanner.scan(drawing.coverage, _labels(drawing), damage, scan_rng)

    def moved(box: BBox) -> tuple[BBox, Polygon]:
        bbox, points = scanner.rotate_box(matrix, box, width, height)
        return bbox, tuple(points)

    sections = [_section(drawn, box, order, drawing.coverage, moved)
                for order, (drawn, box) in enumerate(_inked(drawing))]
    rules = [SynthRule(*moved(box)) for box in drawing.rules]
    return SynthPage(image=image, labels=labels, sections=sections,
                     text="\n\n".join(s.text for s in sections if s.text),
                     skew=damage.skew, seed=seed, rules=rules)


def _inked(drawing: Drawing) -> list[tuple[Drawn, BBox]]:
    """Drawn sections that left ink (a clipped line can leave none), each with its ink's box."""
    boxes = ((d, tight(drawing.coverage, d.cell)) for d in drawing.sections)
    return [(d, box) for d, box in boxes if box is not None]


def _labels(drawing: Drawing) -> np.ndarray:
    coverage = drawing.coverage
    labels = np.zeros_like(coverage)
    for drawn in drawing.sections:
        x0, y0, x1, y1 = drawn.cell
        cell = labels[y0:y1, x0:x1]
        if drawn.kind in FILLED_KINDS:
            cell[:] = LABEL_OF_KIND[drawn.kind]
        else:
            cell[coverage[y0:y1, x0:x1] > 127] = LABEL_OF_KIND[drawn.kind]
    for x0, y0, x1, y1 in drawing.rules:
        labels[y0:y1, x0:x1] = RULE
    return labels


def _section(drawn: Drawn, ink_box: BBox, order: int, coverage: np.ndarray, moved) -> SynthSection:
    lines = []
    for strip, line_text in drawn.lines:
        box = tight(coverage, strip)
        if box is not None:
            lines.append(SynthLine(*moved(box), line_text))
    bbox, polygon = moved(drawn.cell if drawn.kind in FILLED_KINDS else ink_box)
    return SynthSection(bbox=bbox, kind=drawn.kind, order=order,
                        text="\n".join(line.text for line in lines), polygon=polygon, lines=lines)
