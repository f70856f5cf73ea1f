"""A truncated file is reported as "truncated" with how much of it is missing, measured from
what the format says its full size is (noisy pages: bytes are spread evenly over the rows)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

from eulereye.errors import BadImageError
from eulereye.imaging import load_frames
from eulereye.truncation import missing_part
from tests.intake.fixtures import encode, noisy_page


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


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF"])
def test_a_whole_file_is_not_called_truncated(fmt):
    assert missing_part(noisy_page(fmt), fmt) is None
