"""A truncated file is reported as "truncated" with how much of it is missing, measured from
what the format says its full size is (noisy pages: bytes are spread evenly over the rows), for
each format taken: JPEG, PNG, TIFF and JPEG 2000 (.jp2 box and bare .j2k codestream)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

from eulereye.errors import BadImageError
from eulereye.imaging import load_frames
from eulereye.truncation import missing_part
from tests.intake.fixtures import encode, noisy_page
from tools.testdata import data_path

LOC_JP2 = "news-scans/beaver-county-news_1916-05-12_seq-1.jp2"  # 24 tiles, codestream box to the end


def failure(data: bytes, filename: str) -> str:
    with pytest.raises(BadImageError) as caught:
        list(load_frames(data, filename, max_pixels=10**9))
    return str(caught.value)


@pytest.mark.parametrize("fmt, suffix", [("JPEG", ".jpg"), ("PNG", ".png"), ("TIFF", ".tif")])
@pytest.mark.parametrize("kept", [0.4, 0.8])
def test_message_says_truncated_and_how_much_is_missing(fmt, suffix, kept):
    data = noisy_page(fmt)
    message = failure(data[: int(len(data) * kept)], "cut" + suffix)
    assert message.startswith(f"cut{suffix}: truncated {fmt} image: ")
    assert "copy or scan it again" in message
    share = int(re.search(r"about (\d+)% of the image", message).group(1))
    assert abs(share - round((1 - kept) * 100)) <= 8, message


def test_tiff_whose_page_directory_is_cut_off():
    data = encode(Image.fromarray(np.full((300, 300), 200, np.uint8)), "TIFF", compression="tiff_lzw")
    message = failure(data[: len(data) // 2], "cut.tif")
    assert "truncated TIFF image" in message and "past the end of the file" in message


def test_progressive_jpeg_names_the_missing_end():
    data = noisy_page("JPEG", progressive=True)
    message = failure(data[: len(data) // 2], "cut.jpg")
    assert "truncated JPEG image" in message and "without the JPEG end marker" in message


@pytest.mark.parametrize("fmt, options", [("JPEG", {}), ("PNG", {}), ("TIFF", {}), ("JPEG2000", {}),
                                          ("JPEG2000", {"no_jp2": True}), ("JPEG2000", {"tile_size": (64, 64)})])
def test_a_whole_file_is_not_called_truncated(fmt, options):
    assert missing_part(noisy_page(fmt, **options), "JPEG 2000" if fmt == "JPEG2000" else fmt) is None


@pytest.mark.parametrize("fmt, suffix", [("JPEG", ".jpg"), ("PNG", ".png"), ("TIFF", ".tif"),
                                         ("JPEG2000", ".jp2"), ("JPEG2000", ".j2k")])
def test_a_file_cut_inside_its_header_has_none_of_the_image(fmt, suffix):
    data = noisy_page(fmt, no_jp2=True) if suffix == ".j2k" else noisy_page(fmt)
    message = failure(data[:20], "cut" + suffix)
    assert "truncated" in message and "the file ends after 20 bytes, inside its header" in message, message
    assert "all of the image missing" in message


def _codestream_start(data: bytes) -> int:
    """Where the codestream begins: after the jp2c box's header in a .jp2, 0 in a .j2k."""
    box = data.find(b"jp2c")
    return box + 4 if box >= 0 else 0


@pytest.mark.parametrize("options, suffix", [({}, ".jp2"), ({"no_jp2": True}, ".j2k")])
@pytest.mark.parametrize("kept", [0.4, 0.8])
def test_jpeg2000_says_how_many_bytes_of_its_picture_are_missing(options, suffix, kept):
    data = noisy_page("JPEG2000", **options)
    cut = int(len(data) * kept)
    message = failure(data[:cut], "cut" + suffix)
    start = _codestream_start(data)
    total, missing = len(data) - start, len(data) - cut
    assert message.startswith(f"cut{suffix}: truncated JPEG 2000 image: "), message
    assert f"{missing:,} of {total:,} bytes of the compressed picture missing" in message
    assert f"(about {round(100 * missing / total)}%)" in message and "copy or scan it again" in message


def test_tiled_jpeg2000_names_the_tiles_missing():
    data = noisy_page("JPEG2000", tile_size=(64, 64))  # 200x200: 4 x 4 tiles
    cut = len(data) // 2
    message = failure(data[:cut], "cut.jp2")
    tiles = int(re.search(r"(\d+) of its 16 tiles missing or cut short", message).group(1))
    assert 4 <= tiles <= 12, message  # the bottom and right tiles are narrower, so fewer bytes
    total = len(data) - _codestream_start(data)  # the .jp2 box states it
    assert f"{len(data) - cut:,} of {total:,} bytes missing" in message


def test_a_cut_library_of_congress_jp2_names_the_tiles_missing():
    """A real LoC page: its codestream box runs to the end of the file (no length stated), so
    the tiles tell how much is gone."""
    data = data_path(LOC_JP2).read_bytes()
    message = failure(data[: len(data) * 6 // 10], "p 2.jp2")
    assert re.fullmatch(r"p 2\.jp2: truncated JPEG 2000 image: (\d+) of its 24 tiles missing or cut short "
                        r"\(about (\d+)% of the image\); copy or scan it again", message), message
    tiles = int(re.search(r"(\d+) of its 24", message).group(1))
    assert 8 <= tiles <= 12, message  # 40% of the bytes cut: about 40% of the tiles
