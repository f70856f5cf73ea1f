"""How much of a truncated image file is missing, in words a person can act on.

Only called once decoding has failed. Each format tells its full size its own way: a TIFF's strip
table gives the bytes its pixels need; a PNG's header gives the rows its compressed data must
inflate to; a baseline JPEG decoded as far as it goes leaves the rows it never reached grey.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image, ImageFile

_JPEG_UNREAD_GREY = 128  # libjpeg's value for blocks whose data never arrived
_PNG_HEADER_BYTES = 33  # signature and IHDR chunk
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel


def missing_part(data: bytes, fmt: str) -> str | None:
    """``"about 40% of the image missing (320 of 800 rows)"`` style text for a truncated ``fmt`` file, or None when the
    file does not look truncated (or its format does not say how long it should be)."""
    measure = {"TIFF": _tiff_missing, "PNG": _png_missing, "JPEG": _jpeg_missing}.get(fmt)
    try:
        return measure(data) if measure else None
    except Exception:  # a file too broken to measure: the caller's message stands alone
        return None


def _share(missing: float) -> str:
    return f"about {max(1, round(missing * 100))}% of the image"


def _tiff_missing(data: bytes) -> str | None:
    order = "<" if data[:2] == b"II" else ">"
    (first_directory,) = struct.unpack(order + "I", data[4:8])
    if first_directory >= len(data):
        return (f"its page directory starts at byte {first_directory:,}, past the end of the file "
                f"({len(data):,} bytes): at least {first_directory - len(data):,} bytes missing")
    with Image.open(io.BytesIO(data)) as image:
        tags = image.tag_v2
        offsets = tags.get(273) or tags.get(324) or ()
        counts = tags.get(279) or tags.get(325) or ()
        needed = max((o + c for o, c in zip(offsets, counts)), default=0)
    if needed <= len(data):
        return None
    return f"{needed - len(data):,} of {needed:,} bytes missing ({_share(1 - len(data) / needed)})"


def _png_missing(data: bytes) -> str | None:
    if len(data) < _PNG_HEADER_BYTES:
        return None  # cut inside the header: nothing tells the size
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    row_bytes = 1 + (width * depth * _PNG_CHANNELS[colour] + 7) // 8
    inflated = len(zlib.decompressobj().decompress(b"".join(_png_idat(data))))
    expected = row_bytes * height
    if inflated >= expected:
        return None
    return f"{_share(1 - inflated / expected)} missing ({height - inflated // row_bytes:,} of {height:,} rows)"


def _png_idat(data: bytes):
    """The compressed pixel data of each IDAT chunk, as much of it as the file holds."""
    position = 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        if kind == b"IDAT":
            yield data[position + 8:position + 8 + length]
        position += 12 + length


def _jpeg_missing(data: bytes) -> str | None:
    if data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return None  # the end marker is there: damaged, not truncated
    rows = _jpeg_rows_unread(data)
    if rows is None:
        return f"the file ends after {len(data):,} bytes without the JPEG end marker: part of the image is missing"
    height = rows[1]
    return f"{_share(rows[0] / height)} missing ({rows[0]:,} of {height:,} rows)"


def _jpeg_rows_unread(data: bytes) -> tuple[int, int] | None:
    """(rows left grey at the bottom, height) of a baseline JPEG decoded as far as its data
    goes; None for a progressive one, whose every pass covers the whole picture. Decoded on the
    failure path only, one page at a time per process, so lifting Pillow's truncation guard
    for this call affects no other decode."""
    with Image.open(io.BytesIO(data)) as image:
        if image.info.get("progressive") or image.info.get("progression"):
            return None
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        try:
            gray = np.asarray(image.convert("L"))
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False
    grey_rows = np.all(np.abs(gray.astype(np.int16) - _JPEG_UNREAD_GREY) <= 1, axis=1)
    unread = len(grey_rows) - (np.flatnonzero(~grey_rows).max() + 1 if (~grey_rows).any() else 0)
    return (int(unread), gray.shape[0]) if unread else None
