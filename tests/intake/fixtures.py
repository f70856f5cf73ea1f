"""Bad and awkward input files, built in code (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def noisy_page(fmt: str, **options) -> bytes:
    """A small page whose data does not compress away, so that cutting it loses pixels."""
    pixels = np.random.default_rng(7).integers(0, 256, (200, 200), dtype=np.uint8)
    return encode(Image.fromarray(pixels), fmt, **options)


def truncated(fmt: str) -> bytes:
    data = noisy_page(fmt)
    return data[: len(data) // 2]


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header claiming ``width`` x ``height`` 8-bit gray, with almost no data:
    a decompression bomb's header without the bomb (no pixel is ever allocated)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + _png_chunk(b"IEND", b""))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
