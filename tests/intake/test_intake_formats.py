"""Image intake: every supported format and colour mode becomes the right 8-bit gray page."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageOps, TiffImagePlugin

from eulereye.imaging import load_frames
from tests.intake.fixtures import encode

LIMIT = 400_000_000
# Left half black ink, right half white paper: survives every lossless mode and JPEG.
INK_PAPER = np.hstack([np.zeros((40, 30), np.uint8), np.full((40, 30), 255, np.uint8)])


def only_frame(data: bytes, filename: str) -> np.ndarray:
    frames = list(load_frames(data, filename, max_pixels=LIMIT))
    assert [(f.index, f.count) for f in frames] == [(0, 1)]
    assert frames[0].gray.dtype == np.uint8 and frames[0].gray.ndim == 2
    return frames[0].gray


def assert_ink_left_paper_right(gray: np.ndarray, tolerance: int = 0) -> None:
    assert gray.shape == INK_PAPER.shape
    assert np.abs(gray.astype(int) - INK_PAPER).max() <= tolerance


@pytest.mark.parametrize("mode,fmt,filename", [
    *((mode, "PNG", "p.png") for mode in ("L", "1", "P", "RGB")),
    *((mode, "TIFF", "p.tif") for mode in ("L", "1", "P", "RGB", "CMYK")),
])
def test_lossless_colour_modes_become_gray(mode, fmt, filename):
    image = Image.fromarray(INK_PAPER).convert(mode)
    assert_ink_left_paper_right(only_frame(encode(image, fmt), filename))


def test_cmyk_jpeg():
    image = Image.fromarray(INK_PAPER).convert("CMYK")
    assert_ink_left_paper_right(only_frame(encode(image, "JPEG", quality=95), "p.jpg"), 8)


def test_one_bit_group4_tiff():
    image = Image.fromarray(INK_PAPER).convert("1")
    data = encode(image, "TIFF", compression="group4")
    assert_ink_left_paper_right(only_frame(data, "fax.tiff"))


@pytest.mark.parametrize("fmt,filename", [("PNG", "deep.png"), ("TIFF", "deep.tif")])
def test_sixteen_bit_is_scaled_not_clipped(fmt, filename):
    ramp = np.linspace(0, 65535, 64 * 4).astype(np.uint16).reshape(4, 64)
    gray = only_frame(encode(Image.fromarray(ramp), fmt), filename)
    expected = (ramp >> 8).astype(np.uint8)
    assert np.array_equal(gray, expected)
    assert gray.min() == 0 and gray.max() == 255 and len(np.unique(gray)) > 200


@pytest.mark.parametrize("mode", ["LA", "RGBA"])
def test_transparent_parts_become_white_paper(mode):
    ink = Image.fromarray(np.zeros((40, 60), np.uint8)).convert(mode)
    alpha = np.zeros((40, 60), np.uint8)
    alpha[:, :30] = 255  # opaque black ink on the left, fully transparent (black) on the right
    alpha[:, 25:30] = 128  # half-transparent black: mid gray
    ink.putalpha(Image.fromarray(alpha))
    gray = only_frame(encode(ink, "PNG"), "alpha.png")
    assert gray[:, :25].max() == 0
    assert abs(int(gray[0, 27]) - 127) <= 1
    assert gray[:, 30:].min() == 255


def test_palette_transparency_becomes_white_paper():
    image = Image.fromarray(INK_PAPER).convert("P")
    black = image.getpixel((0, 0))
    gray = only_frame(encode(image, "PNG", transparency=black), "pal.png")
    assert gray.min() == 255


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_as_pillow_does(orientation):
    # A lossless PNG carries the same EXIF orientation as a camera JPEG does.
    stored = np.arange(40 * 60, dtype=np.uint32).reshape(40, 60).astype(np.uint8)
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encode(Image.fromarray(stored), "PNG", exif=exif.tobytes())
    reference = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))))
    assert np.array_equal(only_frame(data, "cam.png"), reference)


def test_exif_rotated_jpeg_is_upright():
    stored = np.full((40, 60), 255, np.uint8)
    stored[:16, :24] = 0  # dark block top-left in storage
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display"
    data = encode(Image.fromarray(stored), "JPEG", exif=exif.tobytes(), quality=95)
    gray = only_frame(data, "camera.jpg")
    assert gray.shape == (60, 40)
    assert gray[:24, -16:].mean() < 30 and gray[30:, :20].mean() > 225  # block now top-right


def test_multi_page_tiff_gives_each_page_in_order_and_skips_thumbnails():
    pages = [Image.fromarray(np.full((30 + i, 50), 40 * i, np.uint8)) for i in range(3)]
    thumbnail = Image.fromarray(np.full((5, 8), 99, np.uint8))
    frames = load_frames(tiff_pages([*pages, thumbnail], thumbnails={3}), "issue.tif",
                         max_pixels=LIMIT)
    seen = [(f.index, f.count, f.gray.shape, int(f.gray[0, 0])) for f in frames]
    assert seen == [(0, 3, (30, 50), 0), (1, 3, (31, 50), 40), (2, 3, (32, 50), 80)]


def test_multi_page_tiff_pages_keep_their_own_orientation():
    stored = np.zeros((20, 30), np.uint8)
    stored[:5, :5] = 255
    data = tiff_pages([Image.fromarray(stored)] * 2, orientations=[1, 3])
    first, second = (f.gray for f in load_frames(data, "two.tif", max_pixels=LIMIT))
    assert np.array_equal(first, stored) and np.array_equal(second, np.rot90(stored, 2))


def tiff_pages(pages, thumbnails=frozenset(), orientations=None) -> bytes:
    """A multi-page LZW TIFF; pages in ``thumbnails`` are marked reduced-resolution
    (NewSubfileType=1) as scanners mark the previews they append."""
    buffer = io.BytesIO()
    with TiffImagePlugin.AppendingTiffWriter(buffer) as tiff:
        for number, page in enumerate(pages):
            tags = {254: int(number in thumbnails)}
            if orientations:
                tags[0x0112] = orientations[number]
            page.save(tiff, "TIFF", tiffinfo=tags, compression="tiff_lzw")
            tiff.newFrame()
    return buffer.getvalue()


@pytest.mark.parametrize("filename", ["page.jp2", "page.j2k"])
def test_jpeg_2000(filename):
    image = Image.fromarray(INK_PAPER)
    options = {"irreversible": False} | ({"no_jp2": True} if filename.endswith(".j2k") else {})
    assert_ink_left_paper_right(only_frame(encode(image, "JPEG2000", **options), filename))


def test_content_decides_over_suffix():
    """A PNG saved with a .jpg name is still read (as the PNG it is)."""
    assert_ink_left_paper_right(only_frame(encode(Image.fromarray(INK_PAPER), "PNG"), "wrong.jpg"))


def test_big_binarised_page_loads_as_one_gray_array(tmp_path):
    """A 7100x10590 1-bit newspaper scan (GBN size) loads into one 75 MB uint8 array."""
    page = np.full((10590, 7100), 255, np.uint8)
    page[1000:1040, 500:6600] = 0  # a rule
    path = tmp_path / "big.png"
    Image.fromarray(page).convert("1").save(path, optimize=False, compress_level=1)
    gray = only_frame(path.read_bytes(), "big.png")
    assert gray.shape == (10590, 7100)
    assert gray[1020, 3000] == 0 and gray[5000, 3000] == 255


def test_float_tiff_is_stretched_over_its_own_range():
    values = np.linspace(0.25, 0.75, 64, dtype=np.float32).reshape(1, 64).repeat(3, axis=0)
    gray = only_frame(encode(Image.fromarray(values, "F"), "TIFF"), "float.tif")
    assert gray.min() == 0 and gray.max() == 255 and np.all(np.diff(gray[0].astype(int)) >= 0)
