"""`eulereye process` over a folder mixing good pages with every kind of bad input: the bad
ones fail alone (exit 1, one errors/<name>.json each, no traceback), the good ones are
processed fully. Real Tesseract; every file is built in code."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from PIL import Image, ImageDraw

from eulereye.synth.render import font
from tests.conftest import SERIF, save_png, text_page
from tests.intake.fixtures import encode, png_claiming, truncated
from tests.pipeline.test_process_cli import CONTRACT, eulereye

LINES = ["The Highland Recorder reports a fine harvest", "in the county this year with corn and wheat"]
RUNNING_AS_ROOT = os.geteuid() == 0

# name -> (error class, words its message must contain)
BAD = {
    "zero": ("BadImageError", "empty"),
    "cut_png": ("BadImageError", "truncated"),
    "cut_jpeg": ("BadImageError", "truncated"),
    "notes": ("BadImageError", "not an image"),
    "bomb": ("ImageTooLargeError", "EULEREYE_MAX_PIXELS"),
    "bitmap": ("UnsupportedFormatError", "BMP"),
    "animation": ("UnsupportedFormatError", ".gif"),
    "gone": ("BadImageError", "cannot read"),  # a dangling symlink
}
if not RUNNING_AS_ROOT:  # root reads a chmod-000 file regardless; the symlink covers it then
    BAD["locked"] = ("BadImageError", "cannot read")
GOOD = ["page", "blank", "picture", "broadsheet"]


def big_page() -> np.ndarray:
    """A 7100x10590 binarised page (the size of the GBN scans) with one line of large text."""
    image = Image.new("L", (7100, 10590), 255)
    ImageDraw.Draw(image).text((600, 1200), LINES[0], fill=0, font=font(SERIF, 150))
    return np.asarray(image)


def picture_page() -> np.ndarray:
    """A page holding only a picture: a smooth dark blob, no text."""
    rows, cols = np.mgrid[0:900, 0:700]
    blob = np.hypot(rows - 450, cols - 350) / 3
    return np.clip(blob, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    pages = tmp_path_factory.mktemp("mixed")
    save_png(text_page(LINES), pages / "page.png")
    save_png(np.full((800, 600), 255, np.uint8), pages / "blank.png")
    save_png(picture_page(), pages / "picture.png")
    Image.fromarray(big_page()).convert("1").save(pages / "broadsheet.png")
    (pages / "zero.png").write_bytes(b"")
    (pages / "cut_png.png").write_bytes(truncated("PNG"))
    (pages / "cut_jpeg.jpg").write_bytes(truncated("JPEG"))
    (pages / "notes.png").write_text("Minutes of the archive committee, 13 December 1895.\n")
    (pages / "bomb.png").write_bytes(png_claiming(30000, 30000))
    (pages / "bitmap.png").write_bytes(encode(Image.new("L", (50, 50), 255), "BMP"))
    (pages / "animation.gif").write_bytes(encode(Image.new("L", (50, 50), 255), "GIF"))
    (pages / "gone.png").symlink_to(pages / "deleted-before-the-run.png")
    if "locked" in BAD:
        locked = save_png(text_page(LINES), pages / "locked.png")
        locked.chmod(0)
    out = tmp_path_factory.mktemp("out")
    result = eulereye("process", str(pages), "--out", str(out), "--segmenter", "classical",
                      "--jobs", "2")
    return result, out


def test_exit_status_and_summary(batch):
    result, _ = batch
    assert result.returncode == 1, result.stderr
    found = len(GOOD) + len(BAD)
    assert f"files: {found} found, {len(GOOD)} done, 0 unchanged (skipped), {len(BAD)} failed" in result.stdout
    failed_lines = [line for line in result.stdout.splitlines() if line.startswith("failed:")]
    assert sorted(line.split()[1].split(".")[0] for line in failed_lines) == sorted(BAD)
    assert "failed:  gone.png: cannot read file: " in result.stdout
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_input_has_its_error_record(batch, name):
    _, out = batch
    error_class, words = BAD[name]
    record = json.loads((out / f"errors/{name}.json").read_text())
    assert record["error"] == error_class
    assert record["input"]["key"].startswith(name + ".")
    assert words in record["message"] and record["input"]["key"] in record["message"]
    assert not (out / f"manifest/{name}.json").exists()


@pytest.mark.parametrize("name", GOOD)
def test_good_pages_are_processed_fully(batch, name):
    _, out = batch
    for pattern in CONTRACT:
        assert (out / pattern.format(name)).is_file(), pattern.format(name)
    assert json.loads((out / f"manifest/{name}.json").read_text())["status"] == "ok"
    assert not (out / f"errors/{name}.json").exists()


def test_text_is_read_where_there_is_text(batch):
    _, out = batch
    assert "corn and wheat" in (out / "ocr_plain_text/page.txt").read_text()
    assert "Highland Recorder" in (out / "ocr_plain_text/broadsheet.txt").read_text()
    assert (out / "ocr_plain_text/blank.txt").read_text().strip() == ""
    manifest = json.loads((out / "manifest/broadsheet.json").read_text())
    assert (manifest["image"]["width"], manifest["image"]["height"]) == (7100, 10590)
