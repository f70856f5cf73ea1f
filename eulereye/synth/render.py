"""Draws a layout as clean ink coverage (0 paper .. 255 full ink) and records what went where.

Text is set in the bundled DejaVu fonts with greedy line breaking and no hyphenation; body
text is justified unless that would open gaps wider than a few spaces. Every drawn line is kept
with its text so the ground truth is exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from eulereye.model import BBox
from eulereye.synth import text
from eulereye.synth.layout import Item, Layout
from eulereye.synth.vocabulary import TITLES

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
BODY_FONTS = ("DejaVuSerif.ttf", "DejaVuSerifCondensed.ttf")
HEADLINE_FONTS = ("DejaVuSerif-Bold.ttf", "DejaVuSerifCondensed-Bold.ttf", "DejaVuSansCondensed-Bold.ttf")
BODY_SIZE = (26, 31)  # body font size range in px for a 1700 px wide page
LEADING = 1.25  # line pitch / font size
MAX_GAP = 2.5  # justify only while word gaps stay below this many spaces


@lru_cache(maxsize=128)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size)


@dataclass
class Drawn:
    """A section as drawn: its kind, the cell its ink lies in, and its lines (strip, text).

    A line's strip is the band its glyphs may touch; tight boxes come from the ink later."""

    kind: str
    cell: BBox
    lines: list[tuple[BBox, str]] = field(default_factory=list)


@dataclass
class Drawing:
    coverage: np.ndarray  # HxW uint8 ink coverage
    sections: list[Drawn]  # reading order
    rules: list[BBox]


class _Painter:
    def __init__(self, layout: Layout, rng: np.random.Generator, body_size: tuple[float, float]):
        self.layout = layout
        self.rng = rng
        self.canvas = Image.new("L", (layout.width, layout.height), 0)
        self.draw = ImageDraw.Draw(self.canvas)
        self.sections: list[Drawn] = []
        self.rules: list[BBox] = list(layout.rules)
        scale = layout.width / 1700
        self.body_size = round(scale * rng.uniform(*body_size))
        self.body_font = font(BODY_FONTS[int(rng.integers(len(BODY_FONTS)))], self.body_size)
        self.headline_name = HEADLINE_FONTS[int(rng.integers(len(HEADLINE_FONTS)))]
        self.leading = round(self.body_size * LEADING)

    # -- primitives -------------------------------------------------------------------------

    def _strip(self, face: ImageFont.FreeTypeFont, x0: int, x1: int, baseline: int) -> BBox:
        ascent, descent = face.getmetrics()
        return (x0, baseline - ascent, x1, baseline + descent)

    def _centered(self, words: list[str], face: ImageFont.FreeTypeFont, x0: int, x1: int,
                  baseline: int) -> tuple[BBox, str]:
        line = " ".join(words)
        self.draw.text(((x0 + x1) / 2, baseline), line, font=face, fill=255, anchor="ms")
        return self._strip(face, x0, x1, baseline), line

    def _justified(self, words: list[str], face: ImageFont.FreeTypeFont, x0: int, x1: int,
                   baseline: int, stretch: bool) -> tuple[BBox, str]:
        lengths = [face.getlength(w) for w in words]
        space = face.getlength(" ")
        gap = space
        if stretch and len(words) > 1:
            gap = (x1 - x0 - sum(lengths)) / (len(words) - 1)
            gap = gap if gap <= MAX_GAP * space else space
        x = float(x0)
        for word, length in zip(words, lengths):
            self.draw.text((x, baseline), word, font=face, fill=255, anchor="ls")
            x += length + gap
        return self._strip(face, x0, x1, baseline), " ".join(words)

    def rule(self, box: BBox) -> None:
        self.rules.append(box)

    # -- page parts -------------------------------------------------------------------------

    def masthead(self) -> None:
        """The paper's name, a thin rule, then a strip with volume, date and number: two
        masthead sections, as the rule parts them."""
        x0, y0, x1, y1 = self.layout.masthead
        small = font(BODY_FONTS[0], round(0.8 * self.body_size))
        baseline = y1 - small.getmetrics()[1] - self.layout.rule_weight * 2
        rule_y = baseline - small.getmetrics()[0] - self.layout.gutter // 2
        rule_bottom = rule_y + max(1, self.layout.rule_weight // 2)
        self.rule((x0, rule_y, x1, rule_bottom))
        title = text.masthead_title(self.rng)
        face = _fit(HEADLINE_FONTS[int(self.rng.integers(len(HEADLINE_FONTS)))], title,
                    0.92 * (x1 - x0), round(0.75 * (rule_y - y0)))
        ascent, descent = face.getmetrics()
        name = Drawn("masthead", (x0, y0, x1, rule_y))
        name.lines.append(self._centered(title.split(), face, x0, x1, (y0 + rule_y + ascent - descent) // 2))
        volume, day, number = text.dateline(self.rng)
        self.draw.text((x0, baseline), volume, font=small, fill=255, anchor="ls")
        self.draw.text(((x0 + x1) / 2, baseline), day, font=small, fill=255, anchor="ms")
        self.draw.text((x1, baseline), number, font=small, fill=255, anchor="rs")
        strip = Drawn("masthead", (x0, rule_bottom, x1, y1))
        strip.lines.append((self._strip(small, x0, x1, baseline), f"{volume} {day} {number}"))
        self.sections += [name, strip]

    def headline(self, x0: int, x1: int, y: int, span: int, room: int) -> int:
        """Draws a headline centred over ``x0..x1`` from ``y``, at most three lines and
        ``room`` px tall; returns the y below it."""
        words = text.headline(self.rng).split()
        size = round(self.body_size * self.rng.uniform(1.3, 1.6) * (1 + 0.25 * (span - 1)))
        width = x1 - x0 - self.layout.gutter
        while True:
            face = font(self.headline_name, size)
            lines = _wrap(words, face, width)
            ascent, descent = face.getmetrics()
            pitch = ascent + descent + round(0.1 * size)
            fits = len(lines) <= 3 and len(lines) * pitch <= room
            if (fits and all(face.getlength(" ".join(line)) <= width for line in lines)) or size <= self.body_size:
                break
            size = round(size * 0.9)
        section = Drawn("headline", (x0, y, x1, y + len(lines) * pitch))
        for line in lines:
            section.lines.append(self._centered(line, face, x0, x1, y + ascent))
            y += pitch
        self.sections.append(section)
        return y + self.leading // 2

    def illustration(self, box: BBox) -> None:
        x0, y0, x1, y1 = box
        self.canvas.paste(Image.fromarray(_engraving(self.rng, x1 - x0, y1 - y0)), (x0, y0))
        self.sections.append(Drawn("illustration", box))

    def body(self, columns: tuple[tuple[int, int], ...], top: int, bottom: int) -> None:
        """Flows an article through its columns, top to bottom, then left to right. The text
        stops at the last full sentence that fits and its columns are balanced."""
        capacity = (bottom - top) // self.leading
        if capacity < 2:
            return
        width = columns[0][1] - columns[0][0]
        lines = _trim_to_sentence(_take(_lines(self.rng, self.body_font, width), capacity * len(columns)))
        per_column = -(-len(lines) // len(columns))
        for index, (x0, x1) in enumerate(columns):
            chunk = lines[index * per_column:(index + 1) * per_column]
            if not chunk:
                break
            section = Drawn("text", (x0, top, x1, top + len(chunk) * self.leading))
            baseline = top + self.body_font.getmetrics()[0]
            for words, indent, last in chunk:
                start = x0 + (self.body_size if indent else 0)
                section.lines.append(self._justified(words, self.body_font, start, x1, baseline, not last))
                baseline += self.leading
            self.sections.append(section)

    def article(self, item: Item) -> None:
        x0, y0, x1, y1 = item.box
        top = self.headline(x0, x1, y0, len(item.columns), (y1 - y0) // 3)
        if item.illustrated:
            height = min(round(0.6 * (x1 - x0)), (y1 - top) // 3)
            self.illustration((x0, top, x1, top + height))
            top += height + self.leading
        if self.layout.column_rules:
            weight = self.layout.rule_weight
            for (_, left_end), (right_start, _) in zip(item.columns, item.columns[1:]):
                gx = (left_end + right_start) // 2
                self.rule((gx - weight // 2, top, gx + (weight + 1) // 2, y1))
        self.body(item.columns, top, y1)

    def advert(self, item: Item) -> None:
        """A double-ruled box with a call to buy, the goods, the seller and an address, each
        centred and wrapped to the box."""
        x0, y0, x1, y1 = item.box
        inset = self.layout.gutter // 2
        box = (x0 + inset, y0 + inset, x1 - inset, y1 - inset)
        weight = self.layout.rule_weight
        self.draw.rectangle(box, outline=255, width=2 * weight)
        self.draw.rectangle(_shrink(box, 4 * weight), outline=255, width=weight)
        room = (box[2] - box[0]) - 16 * weight
        content = text.advert(self.rng)
        scale = 1.0
        while True:  # shrink until the wrapped lines fit the box height
            lines = []
            for index, line in enumerate(content):
                name = self.headline_name if index in (0, 2) else BODY_FONTS[0]
                face = font(name, round(self.body_size * scale * (1.6 if index == 0 else 1.0)))
                lines += [(words, face) for words in _wrap(line.split(), face, room)]
            pitch = (box[3] - box[1]) // (len(lines) + 1)
            fits = all(face.getlength(" ".join(words)) <= room for words, face in lines)
            if (fits and pitch >= 1.2 * max(face.size for _, face in lines)) or scale < 0.5:
                break
            scale *= 0.85
        section = Drawn("advert", box)
        for index, (words, face) in enumerate(lines):
            baseline = box[1] + pitch * (index + 1) + face.getmetrics()[0] // 2
            section.lines.append(self._centered(words, face, box[0], box[2], baseline))
        self.sections.append(section)


def _shrink(box: BBox, by: int) -> BBox:
    return (box[0] + by, box[1] + by, box[2] - by, box[3] - by)


def _fit(name: str, line: str, width: float, size: int) -> ImageFont.FreeTypeFont:
    """The font ``name`` at ``size`` or smaller so that ``line`` fits in ``width``."""
    face = font(name, size)
    length = face.getlength(line)
    if length > width:
        face = font(name, max(8, int(size * width / length)))
    return face


def _wrap(words: list[str], face: ImageFont.FreeTypeFont, width: float, indent: float = 0) -> list[list[str]]:
    """Greedy line breaking at spaces only (no hyphenation)."""
    space = face.getlength(" ")
    lines: list[list[str]] = [[]]
    used = indent
    for word in words:
        length = face.getlength(word)
        if lines[-1] and used + space + length > width:
            lines.append([])
            used = 0
        used += (space if lines[-1] else 0) + length
        lines[-1].append(word)
    return lines


def _lines(rng: np.random.Generator, face: ImageFont.FreeTypeFont, width: int) -> Iterator[tuple[list[str], bool, bool]]:
    """Endless body text as (words, indented, ends paragraph) lines."""
    indent = face.size
    while True:
        wrapped = _wrap(text.paragraph(rng), face, width, indent)
        for index, words in enumerate(wrapped):
            yield words, index == 0, index == len(wrapped) - 1


def _take(lines: Iterator, count: int) -> list:
    return [next(lines) for _ in range(count)]


def _ends_sentence(word: str) -> bool:
    return word.endswith(".") and word not in TITLES


def _trim_to_sentence(lines: list[tuple[list[str], bool, bool]]) -> list[tuple[list[str], bool, bool]]:
    """Drops the words after the last full stop, so an article never ends mid-sentence."""
    for index in range(len(lines) - 1, -1, -1):
        words, indented, _ = lines[index]
        ends = [i for i, w in enumerate(words) if _ends_sentence(w)]
        if ends:
            return lines[:index] + [(words[:ends[-1] + 1], indented, True)]
    return lines


def _engraving(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A stand-in for an engraving: hatching whose density follows a smooth random shading,
    a few solid shapes, and a frame. Returns ink coverage."""
    shade = cv2.resize(rng.random((6, 6)).astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, np.pi)
    period = rng.uniform(4, 8)
    phase = (xx * np.cos(angle) + yy * np.sin(angle)) % period / period
    ink = np.where(phase < np.clip(shade, 0.05, 0.95), 255, 0).astype(np.uint8)
    for _ in range(int(rng.integers(1, 4))):
        centre = (int(rng.integers(width)), int(rng.integers(height)))
        axes = (int(rng.integers(width // 10, width // 3)), int(rng.integers(height // 10, height // 3)))
        cv2.ellipse(ink, centre, axes, float(rng.uniform(0, 180)), 0, 360, 255, -1)
    cv2.rectangle(ink, (0, 0), (width - 1, height - 1), 255, max(2, width // 200))
    return ink


def render(layout: Layout, rng: np.random.Generator, body_size: tuple[float, float] = BODY_SIZE) -> Drawing:
    """``body_size``: the range the body font size is drawn from, in px for a 1700 px wide page."""
    painter = _Painter(layout, rng, body_size)
    painter.masthead()
    for item in layout.items:
        (painter.advert if item.kind == "advert" else painter.article)(item)
    for box in painter.rules:
        painter.draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=255)
    return Drawing(np.asarray(painter.canvas).copy(), painter.sections, painter.rules)


def tight(coverage: np.ndarray, box: BBox) -> BBox | None:
    """The box of the ink inside ``box`` (None when it holds none)."""
    x0, y0, x1, y1 = box
    ink = coverage[max(0, y0):y1, max(0, x0):x1] > 127
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    return (max(0, x0) + int(cols[0]), max(0, y0) + int(rows[0]),
            max(0, x0) + int(cols[-1]) + 1, max(0, y0) + int(rows[-1]) + 1)

