"""Image intake: bytes of a PNG, JPEG, TIFF or JPEG 2000 file -> 8-bit grayscale frames.

Minimal first version; hardened in its own change (formats, EXIF, bombs, multi-frame).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np
from PIL import Image

from eulereye.errors import BadImageError, UnsupportedFormatError

SUPPORTED_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".jp2", ".j2k", ".jpx"})


@dataclass
class Frame:
    gray: np.ndarray  # HxW uint8, after EXIF orientation: "the original image" for coordinates
    index: int  # 0-based frame number within the file
    count: int  # frames in the file


def load_frames(data: bytes, filename: str, *, max_pixels: int) -> Iterator[Frame]:
    if PurePosixPath(filename).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(f"{filename}: not a supported image type")
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:
        raise BadImageError(f"{filename}: cannot read image: {exc}") from exc
    yield Frame(np.asarray(image.convert("L")), 0, 1)
