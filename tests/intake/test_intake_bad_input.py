"""Image intake refuses bad input loudly, with the right error and a message saying what was
found. Every fixture is built in code; the bomb never allocates its pixels."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFile

from eulereye.errors import BadImageError, ImageTooLargeError, UnsupportedFormatError
from eulereye.imaging import load_frames
from tests.intake.fixtures import encode, noisy_page, png_claiming, truncated

LIMIT = 400_000_000


def refused(data: bytes, filename: str, error: type, max_pixels: int = LIMIT) -> str:
    with pytest.raises(error) as caught:
        list(load_frames(data, filename, max_pixels=max_pixels))
    message = str(caught.value)
    assert filename in message and "\n" not in message
    return message


def test_zero_bytes():
    assert "empty (0 bytes)" in refused(b"", "blank.png", BadImageError)


def test_truncated_png():
    message = refused(truncated("PNG"), "cut.png", BadImageError)
    assert "truncated" in message and "PNG" in message


def test_truncated_jpeg():
    message = refused(truncated("JPEG"), "cut.jpg", BadImageError)
    assert "truncated" in message and "JPEG" in message


def test_cut_inside_the_header():
    message = refused(noisy_page("PNG")[:30], "stub.png", BadImageError)
    assert "truncated PNG image" in message and "inside its header" in message


def test_truncation_is_never_padded():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_text_file_named_png():
    message = refused(b"Minutes of the archive committee, 1895.\n" * 20, "notes.png", BadImageError)
    assert "not an image" in message and "Minutes" in message


def test_garbage():
    garbage = np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    assert "not an image" in refused(garbage, "scan.tif", BadImageError)


def test_decompression_bomb_is_refused_from_the_header():
    """30000x30000 claims 900 Mpx, over twice the limit: Pillow's own guard fires in open()."""
    message = refused(png_claiming(30000, 30000), "bomb.png", ImageTooLargeError)
    assert "900000000 pixels" in message and str(LIMIT) in message
    assert "EULEREYE_MAX_PIXELS" in message


def test_image_just_over_the_limit_is_refused_before_decoding():
    """Between the limit and twice the limit Pillow only warns; our own check refuses."""
    message = refused(png_claiming(1000, 1001), "big.png", ImageTooLargeError,
                      max_pixels=1_000_000)
    assert "1000x1001 = 1001000 pixels" in message and "EULEREYE_MAX_PIXELS" in message


def test_image_at_the_limit_is_decoded():
    frames = list(load_frames(noisy_page("PNG"), "edge.png", max_pixels=200 * 200))
    assert frames[0].gray.shape == (200, 200)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP"])
def test_readable_image_of_another_format_under_a_supported_suffix(fmt):
    message = refused(encode(Image.new("L", (20, 20), 255), fmt), "page.png",
                      UnsupportedFormatError)
    assert f"found a {fmt} image" in message


@pytest.mark.parametrize("filename", ["page.gif", "page.pdf", "README"])
def test_unknown_suffix(filename):
    message = refused(noisy_page("PNG"), filename, UnsupportedFormatError)
    assert "unsupported file type" in message


def test_a_decoder_warning_is_one_log_line_naming_the_file():
    """A TIFF missing only its last two bytes still decodes; Pillow's warning about it is logged
    with the file's name, not printed as Python's warning text (two lines, Pillow's source path)."""
    import warnings

    from structlog.testing import capture_logs

    data = noisy_page("TIFF", compression="tiff_lzw")
    with capture_logs() as logs, warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        (frame,) = load_frames(data[:-2], "edge.tif", max_pixels=LIMIT)
    assert frame.gray.shape == (200, 200)
    assert not escaped, [str(w.message) for w in escaped]
    assert [(e["event"], e["file"]) for e in logs] == [("image warning", "edge.tif")]
    assert "Corrupt EXIF data" in logs[0]["warning"]
