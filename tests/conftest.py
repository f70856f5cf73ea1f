"""Fixtures shared by every suite: the shared dev data, the ALTO schema, small text pages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the shared dev data folder is missing: {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def alto_schema(shared_dir):
    import xmlschema

    return xmlschema.XMLSchema(str(shared_dir / "schemas" / "alto-4-4.xsd"))


def text_page(lines: list[str], size=(1200, 800), font_size=28) -> np.ndarray:
    """A clean grey page with ``lines`` of dark serif text, as uint8 HxW."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, font_size)
    for i, line in enumerate(lines):
        draw.text((40, 60 + i * int(font_size * 1.6)), line, fill=0, font=font)
    return np.asarray(image)


def save_png(array: np.ndarray, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)
    return path
