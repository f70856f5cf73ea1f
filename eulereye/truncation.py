"""How much of a truncated image file is missing, in words a person can act on.

Only called once decoding has failed. Each format tells its full size its own way: a TIFF's strip
table gives the bytes its pixels need; a PNG's header gives the rows its compressed data must
inflate to; a baseline JPEG decoded as far as it goes leaves the rows it never reached grey; a
JPEG 2000 codestream states the length of each tile-part (and a .jp2 file that of the box holding
the codestream). A file cut inside its header (a JPEG's marker segments, a PNG's IHDR chunk, a
TIFF's page directory, the boxes before a .jp2's codestream) has none of its picture.
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
_TIFF_ENTRY_BYTES = 12  # one page-directory entry
_JPEG_START_OF_SCAN = 0xDA  # the marker after which the picture's data begins
_JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K_START_OF_TILE = 0xFF90  # SOT: a tile-part's marker, followed by its length (Psot)
_J2K_SIZE = 0xFF51  # SIZ: the image and tile sizes
_J2K_END_MARKER_BYTES = 2  # EOC, after the last tile-part


def missing_part(data: bytes, fmt: str) -> str | None:
    """``"about 40% of the image missing (320 of 800 rows)"`` style text for a truncated ``fmt`` file, or None when the
    file does not look truncated (or its format does not say how long it should be)."""
    measure = {"TIFF": _tiff_missing, "PNG": _png_missing, "JPEG": _jpeg_missing,
               "JPEG 2000": _jpeg2000_missing}.get(fmt)
    try:
        return measure(data) if measure else None
    except Exception:  # a file too broken to measure: the caller's message stands alone
        return None


def _share(missing: float) -> str:
    return f"about {max(1, round(missing * 100))}% of the image"


def _in_header(size: int, needed: int) -> str:
    """The text for a file cut before any of its picture: ``needed`` bytes of header at least."""
    return (f"the file ends after {size:,} bytes, inside its header (at least {needed - size:,} bytes "
            "missing there): all of the image missing")


def _tiff_missing(data: bytes) -> str | None:
    order = "<" if data[:2] == b"II" else ">"
    if len(data) < 8:
        return _in_header(len(data), 8)
    (first_directory,) = struct.unpack(order + "I", data[4:8])
    if first_directory >= len(data):
        return (f"its page directory starts at byte {first_directory:,}, past the end of the file "
                f"({len(data):,} bytes): at least {first_directory - len(data):,} bytes missing")
    directory_end = _tiff_directory_end(data, order, first_directory)
    if directory_end > len(data):
        return _in_header(len(data), directory_end)
    with Image.open(io.BytesIO(data)) as image:
        tags = image.tag_v2
        offsets = tags.get(273) or tags.get(324) or ()
        counts = tags.get(279) or tags.get(325) or ()
        needed = max((o + c for o, c in zip(offsets, counts)), default=0)
    if needed <= len(data):
        return None
    return f"{needed - len(data):,} of {needed:,} bytes missing ({_share(1 - len(data) / needed)})"


def _tiff_directory_end(data: bytes, order: str, start: int) -> int:
    """Where the page directory at ``start`` ends: its entry count, entries and next-directory
    offset (only the count's two bytes when the file ends before them)."""
    if start + 2 > len(data):
        return start + 2
    (entries,) = struct.unpack(order + "H", data[start:start + 2])
    return start + 2 + entries * _TIFF_ENTRY_BYTES + 4


def _png_missing(data: bytes) -> str | None:
    if len(data) < _PNG_HEADER_BYTES:
        return _in_header(len(data), _PNG_HEADER_BYTES)
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
    header_end = _jpeg_header_end(data)
    if header_end > len(data):
        return _in_header(len(data), header_end)
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


def _jpeg_header_end(data: bytes) -> int:
    """Where a JPEG's header ends: the end of its start-of-scan segment, found by walking the
    marker segments from the start-of-image marker (each states its length)."""
    position = 2
    while position + 4 <= len(data):
        marker, length = struct.unpack(">BH", data[position + 1:position + 4])
        position += 2 + length
        if marker == _JPEG_START_OF_SCAN:
            return position
    return position + 4  # a segment's marker and length are not there


def _jpeg2000_missing(data: bytes) -> str | None:
    if not data.startswith(_JP2_SIGNATURE):
        return _codestream_missing(data, None)  # a bare codestream (.j2k)
    position = 0
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        header = 8
        if length == 1:  # the length follows as 8 bytes
            (length,) = struct.unpack(">Q", data[position + 8:position + 16])
            header = 16
        if kind == b"jp2c":  # the codestream; a length of 0: up to the end of the file
            return _codestream_missing(data[position + header:], length - header if length else None,
                                       position + header)
        if not length:
            return None  # some other box up to the end: not a cut, a file without a picture
        position += length
    return _in_header(len(data), max(position, len(data)) + 8)


def _codestream_missing(stream: bytes, declared: int | None, offset: int = 0) -> str | None:
    """What a JPEG 2000 codestream lacks, from its tile-parts' lengths (and ``declared``, the
    length of the .jp2 box holding it, when the box states one). ``offset``: where the stream
    starts in the file."""
    parts = list(_j2k_tile_parts(stream))
    if not parts:
        return _in_header(offset + len(stream), offset + _j2k_header_end(stream))
    if parts[-1][2] is None and not declared:  # the last tile-part runs up to the end marker
        return None if stream.endswith(b"\xff\xd9") else (
            f"the codestream ends after {len(stream):,} bytes without its end marker: part of the image is missing")
    expected = declared or parts[-1][2] + _J2K_END_MARKER_BYTES
    missing = expected - len(stream)
    tiles = _j2k_tile_count(stream)
    complete = {tile for tile, _, end in parts if end and end <= len(stream)}
    complete -= {tile for tile, _, end in parts if not end or end > len(stream)}  # a tile with a cut part
    if missing <= 0 and len(complete) >= tiles:
        return None
    if tiles == 1 or len(complete) >= tiles:  # what is missing is detail, not a part of the page
        share = max(1, round(100 * missing / expected))
        return f"{missing:,} of {expected:,} bytes of the compressed picture missing (about {share}%)"
    # Without the box's length, the tiles not there have no stated size: the tiles tell how much.
    size = f", {missing:,} of {expected:,} bytes missing" if declared else ""
    return (f"{tiles - len(complete)} of its {tiles} tiles missing or cut short "
            f"({_share(1 - len(complete) / tiles)}){size}")


def _j2k_tile_count(stream: bytes) -> int:
    """Tiles in the image, from the SIZ segment after the start marker (1 when it is cut off)."""
    if len(stream) < 40 or struct.unpack(">H", stream[2:4])[0] != _J2K_SIZE:
        return 1
    width, height, _, _, tile_width, tile_height, tile_left, tile_top = struct.unpack(">8I", stream[8:40])
    across = -(-(width - tile_left) // tile_width)
    down = -(-(height - tile_top) // tile_height)
    return max(1, across * down)


def _j2k_header_end(stream: bytes) -> int:
    """Where the main header ends (the first tile-part starts): its marker segments walked
    from the start marker, each stating its length."""
    position = 2
    while position + 4 <= len(stream):
        marker, length = struct.unpack(">HH", stream[position:position + 4])
        if marker == _J2K_START_OF_TILE:
            return position
        position += 2 + length
    return position + 4


def _j2k_tile_parts(stream: bytes):
    """(tile index, start, end) of each tile-part whose header the stream holds; end is None for
    a tile-part that runs up to the end marker (a length of 0)."""
    position = _j2k_header_end(stream)
    while position + 10 <= len(stream):
        marker, _, tile, length = struct.unpack(">HHHI", stream[position:position + 10])
        if marker != _J2K_START_OF_TILE:
            return
        yield tile, position, position + length if length else None
        if not length:
            return
        position += length
