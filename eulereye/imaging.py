"""Image intake: the bytes of a PNG, JPEG, TIFF or JPEG 2000 file -> 8-bit grayscale frames.

What a frame's pixels are:

* one ``Frame`` per page; a multi-page TIFF gives one per full-resolution page (reduced-resolution
  thumbnails that scanners append are skipped), decoded one at a time as the caller iterates;
* EXIF / TIFF orientation is applied: the upright image is "the original image" whose pixels all
  output coordinates refer to;
* 8-bit gray, whatever came in: palette, 1-bit, 16-bit (scaled to 8 bits, never clipped), RGB,
  CMYK; transparent parts (LA, RGBA, palette transparency) are composited onto white paper.

What is refused, each with a one-line message saying what was found:

* ``ImageTooLargeError``: width x height from the header exceeds ``max_pixels``
  (``EULEREYE_MAX_PIXELS``); checked before a single pixel is decoded (decompression bombs);
* ``UnsupportedFormatError``: an unknown file suffix, or a readable image of another format
  (GIF, BMP, WebP, ...). The format is decided by the content, not by the suffix;
* ``BadImageError``: empty, truncated or corrupt files, and files that are not images at all.
  Truncated images are never padded (Pillow's ``LOAD_TRUNCATED_IMAGES`` stays off).
"""

from __future__ import annotations

import io
import json
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image, UnidentifiedImageError

from eulereye.errors import BadImageError, ImageTooLargeError, UnsupportedFormatError
from eulereye.logs import get_logger
from eulereye.truncation import missing_part

# The one list of page suffixes, shared with Terraform (the upload rule routes exactly these).
_SUFFIXES = json.loads((Path(__file__).parent / "page_suffixes.json").read_text())
# File suffix -> the format a file with it should hold (the content decides what is decoded).
_SUFFIX_FORMATS: dict[str, str] = _SUFFIXES["supported"]
SUPPORTED_SUFFIXES = frozenset(_SUFFIX_FORMATS)
# Image types we recognise but do not take: inside a folder they are reported as failed pages
# rather than silently passed over. Other files there (METS, notes, checksums) are ignored.
OTHER_IMAGE_SUFFIXES = frozenset(_SUFFIXES["unsupported"])
PAGE_SUFFIXES = SUPPORTED_SUFFIXES | OTHER_IMAGE_SUFFIXES  # what counts as a page to process

# Pillow's format names we decode. MPO is what Pillow calls a JPEG carrying extra camera
# pictures (multi-picture format); its first picture is the page.
_SUPPORTED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "TIFF": "TIFF",
                      "JPEG2000": "JPEG 2000"}
_SUPPORTED_NAMES = ", ".join(dict.fromkeys(_SUPPORTED_FORMATS.values()))

# Leading bytes of the formats we take, to say "a corrupt PNG" rather than "not an image".
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"II+\x00": "TIFF",  # BigTIFF
    b"MM\x00+": "TIFF",
    b"\x00\x00\x00\x0cjP  \r\n\x87\n": "JPEG 2000",
    b"\xff\x4f\xff\x51": "JPEG 2000",  # bare codestream (.j2k)
}

# EXIF orientation value -> how the stored pixels turn upright (what Pillow's
# ImageOps.exif_transpose does, applied to the one gray channel).
_UPRIGHT: dict[int, Callable[[np.ndarray], np.ndarray]] = {
    2: np.fliplr,
    3: partial(np.rot90, k=2),
    4: np.flipud,
    5: np.transpose,
    6: partial(np.rot90, k=-1),
    7: lambda gray: np.rot90(gray, 2).T,
    8: partial(np.rot90, k=1),
}
_ORIENTATION_TAG = 0x0112
_NEW_SUBFILE_TYPE_TAG = 254  # bit 0 set: a reduced-resolution copy of another page
_ALPHA_MODES = {"LA", "La", "PA", "RGBA", "RGBa"}
_BAND_ROWS = 512
_RESCAN = "copy or scan it again"  # what to do about a damaged file, at the end of its message


@dataclass
class Frame:
    gray: np.ndarray  # HxW uint8, upright: "the original image" for coordinates
    index: int  # 0-based frame number within the file
    count: int  # frames in the file
    dpi: float | None = None  # the resolution the file states, when it states a plausible one


def load_frames(data: bytes, filename: str, *, max_pixels: int) -> Iterator[Frame]:
    """Decode ``data`` (the content of ``filename``) into gray frames, one at a time.

    Raises the ``PageError`` subclasses described in the module docstring; an error in the
    header is raised by the first ``next()``, before anything is decoded.
    """
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"{filename}: unsupported file type {suffix or '(no suffix)'!r}; "
            f"expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    if not data:
        raise BadImageError(f"{filename}: file is empty (0 bytes); {_RESCAN}")
    with _open(data, filename, max_pixels) as image:
        found = _SUPPORTED_FORMATS[image.format]
        pages = _full_pages(image, filename)
    if _SUFFIX_FORMATS[suffix] != found:
        get_logger().info("image.suffix_mismatch", file=filename, found=found)
    for number, page in enumerate(pages):
        gray, dpi = _decode_page(data, page, filename, max_pixels)
        yield Frame(gray, number, len(pages), dpi)


def _open(data: bytes, filename: str, max_pixels: int) -> Image.Image:
    """Read the header only: identify the format and check the size. No pixel is decoded."""
    # Pillow's own bomb check runs inside open(); at our limit it agrees with ours (it errors
    # at twice the limit, warns above it, and our exact check below handles the warning range).
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # e.g. "Corrupt EXIF data": reported below
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        raise ImageTooLargeError(
            _too_large(filename, f"{claimed.group(1) if claimed else 'too many'} pixels", max_pixels)
        ) from exc
    except UnidentifiedImageError as exc:
        raise BadImageError(_unreadable(data, filename, "unknown format")) from exc
    except Exception as exc:
        raise BadImageError(_unreadable(data, filename, _reason(exc))) from exc
    try:
        if image.format not in _SUPPORTED_FORMATS:
            raise UnsupportedFormatError(
                f"{filename}: found a {image.format} image; supported formats: {_SUPPORTED_NAMES}"
            )
        _check_size(image, filename, max_pixels)
    except Exception:
        image.close()
        raise
    return image


def _full_pages(image: Image.Image, filename: str) -> list[int]:
    """Frame numbers of the file's pages: every TIFF page but reduced-resolution thumbnails."""
    if image.format != "TIFF":
        return [0]
    try:
        pages = []
        for number in range(image.n_frames):
            image.seek(number)
            if not int(image.tag_v2.get(_NEW_SUBFILE_TYPE_TAG, 0)) & 1:
                pages.append(number)
    except Exception as exc:
        raise BadImageError(f"{filename}: corrupt TIFF page directory: {_reason(exc)}; {_RESCAN}") from exc
    return pages or [0]


def _decode_page(data: bytes, page: int, filename: str, max_pixels: int) -> tuple[np.ndarray, float | None]:
    """One page, upright and gray, and the resolution it states. Opens the file afresh so that no decoded pixels but the
    returned array stay alive while the caller works on the frame."""
    with _open(data, filename, max_pixels) as image, _warnings_logged(filename):
        try:
            image.seek(page)
            _check_size(image, filename, max_pixels)
            image.load()
            # Read after load(): Pillow's TIFF loader already turns pages upright itself and
            # drops the tag; other formats keep it for us to apply.
            orientation = image.getexif().get(_ORIENTATION_TAG, 1)
            gray = _to_gray(image)
            dpi = _stated_dpi(image)
        except (ImageTooLargeError, MemoryError):
            raise
        except Exception as exc:
            raise BadImageError(_damaged(data, filename, _SUPPORTED_FORMATS[image.format], exc)) from exc
    if orientation in _UPRIGHT:
        gray = np.ascontiguousarray(_UPRIGHT[orientation](gray))
    return gray, dpi


@contextmanager
def _warnings_logged(filename: str):
    """What the decoder warns about a file it still reads (e.g. Pillow's "Corrupt EXIF data"),
    logged as one line naming the file rather than printed as Python's warning text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        yield
    for warning in caught:
        get_logger().warning("image warning", file=filename, warning=str(warning.message).strip())


PLAUSIBLE_DPI = (50, 10000)  # a 1 dpi TIFF (a scanner leaving the default) states nothing


def _stated_dpi(image: Image.Image) -> float | None:
    """The horizontal resolution in the file's header (JPEG JFIF/EXIF, PNG pHYs, TIFF tags,
    JPEG 2000 resolution box), or None when it states none or an implausible one."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return round(value, 2) if PLAUSIBLE_DPI[0] <= value <= PLAUSIBLE_DPI[1] else None


def _to_gray(image: Image.Image) -> np.ndarray:
    """The decoded image as one HxW uint8 array, converted a band of rows at a time: on a
    75-megapixel page no full-size temporary is made besides the result."""
    width, height = image.size
    convert = _band_converter(image)
    gray = np.empty((height, width), np.uint8)
    for top in range(0, height, _BAND_ROWS):
        bottom = min(height, top + _BAND_ROWS)
        gray[top:bottom] = convert(image.crop((0, top, width, bottom)))
    return gray


def _band_converter(image: Image.Image) -> Callable[[Image.Image], np.ndarray]:
    """How a band of this image's mode becomes 8-bit gray."""
    if image.mode in _ALPHA_MODES or (image.mode == "P" and "transparency" in image.info):
        return _on_white
    if image.mode.startswith("I;16"):
        return lambda band: np.asarray(band) >> 8  # 16 -> 8 bits by scaling, never clipping
    if image.mode in ("I", "F"):
        # 32-bit int and float pages have no fixed white point: stretch their own range.
        low, high = image.getextrema()
        return partial(_stretch, low=float(low), high=float(high))
    if image.mode == "L":
        return np.asarray
    if image.mode in ("1", "P", "RGB", "CMYK", "YCbCr"):
        return lambda band: np.asarray(band.convert("L"))
    return lambda band: np.asarray(band.convert("RGB").convert("L"))  # LAB, HSV, ...


def _on_white(band: Image.Image) -> np.ndarray:
    """Composite onto white: gray = ink * alpha + paper * (1 - alpha)."""
    gray_alpha = np.asarray(band.convert("LA"), dtype=np.uint16)
    ink, alpha = gray_alpha[..., 0], gray_alpha[..., 1]
    return (ink * alpha + 255 * (255 - alpha) + 127) // 255


def _stretch(band: Image.Image, low: float, high: float) -> np.ndarray:
    if high <= low:
        return np.full((band.height, band.width), 255, np.uint8)
    return np.rint((np.asarray(band, dtype=np.float32) - low) * (255.0 / (high - low)))


def _check_size(image: Image.Image, filename: str, max_pixels: int) -> None:
    width, height = image.size
    if width * height > max_pixels:
        raise ImageTooLargeError(
            _too_large(filename, f"{width}x{height} = {width * height} pixels", max_pixels)
        )


def _too_large(filename: str, claimed: str, max_pixels: int) -> str:
    return (
        f"{filename}: image header claims {claimed}, more than the limit of {max_pixels} "
        f"(decompression-bomb guard; raise EULEREYE_MAX_PIXELS for genuinely larger scans)"
    )


def _unreadable(data: bytes, filename: str, reason: str) -> str:
    found = next((name for sig, name in _SIGNATURES.items() if data.startswith(sig)), None)
    missing = found and missing_part(data, found)
    if missing:
        return _truncated(filename, found, missing)
    if found:
        return f"{filename}: corrupt {found} image ({len(data)} bytes): {reason}; {_RESCAN}"
    return (f"{filename}: not an image ({len(data)} bytes starting {data[:16]!r}): {reason}; "
            "replace it with the page's scan, or move it out of the folder")


def _damaged(data: bytes, filename: str, found: str, exc: Exception) -> str:
    missing = missing_part(data, found)
    if missing:
        return _truncated(filename, found, missing)
    return f"{filename}: truncated or corrupt {found} image: {_reason(exc)}; {_RESCAN}"


def _truncated(filename: str, found: str, missing: str) -> str:
    return f"{filename}: truncated {found} image: {missing}; {_RESCAN}"


def _reason(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
