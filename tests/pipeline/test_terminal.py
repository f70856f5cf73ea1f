"""`eulereye process` as a person sees it: run in a pseudo-terminal (pexpect), its output
played into a terminal emulator (pyte), and the screen read at the end of a batch of ten files
with three bad ones and a three-page TIFF."""

from __future__ import annotations

import os
import re
import sys

import pexpect
import pyte
import pytest
from PIL import Image

from tests.conftest import REPO, save_png, text_page
from tests.intake.fixtures import noisy_page

LINES = ["The Highland Recorder reports a fine harvest", "in the county this year with corn and wheat",
         "Prices at the market were steady on Tuesday", "and the mill will open again next week"]
COLUMNS, ROWS = 320, 60  # wide enough for the longest log line of the batch
BAR = re.compile(r"^pages: 100%\|.*\| 12/12 \[")


@pytest.fixture()
def batch(tmp_path):
    """Six pages (spaces and + in names), a three-page TIFF, three bad files; the output folder
    sits inside the input folder and already holds an overlay PNG."""
    pages = tmp_path / "scans"
    for number in range(6):
        save_png(text_page(LINES), pages / f"page {number}+a.png")
    frames = [Image.fromarray(text_page(LINES[i:i + 2])) for i in range(3)]
    frames[0].save(pages / "multi.tif", save_all=True, append_images=frames[1:])
    (pages / "empty.png").write_bytes(b"")
    jpeg = noisy_page("JPEG")
    (pages / "cut.jpg").write_bytes(jpeg[: len(jpeg) * 6 // 10])
    (pages / "notes.png").write_text("Minutes of the archive committee\n")
    save_png(text_page(LINES), pages / "out" / "overlay.png")
    return tmp_path


def screen_after(cwd, *args: str) -> list[str]:
    """The non-empty lines on a COLUMNS x ROWS terminal once ``eulereye args`` has exited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EULEREYE_")}
    env |= {"PYTHONPATH": str(REPO), "TERM": "xterm-256color"}
    child = pexpect.spawn(sys.executable, ["-m", "eulereye", *args], cwd=str(cwd), env=env,
                          dimensions=(ROWS, COLUMNS), timeout=300)
    screen = pyte.Screen(COLUMNS, ROWS)
    stream = pyte.ByteStream(screen)
    stream.feed(child.read())
    child.close()
    assert child.exitstatus == 1
    return [line.rstrip() for line in screen.display if line.strip()]


def test_a_batch_with_bad_files_ends_with_one_line_per_problem_and_three_summary_lines(batch):
    lines = screen_after(batch, "process", "scans", "--out", "scans/out", "--jobs", "2")
    assert len(lines) == 7, "\n".join(lines)
    assert BAR.match(lines[0]), lines[0]
    assert re.fullmatch(r"failed:  cut\.jpg: truncated JPEG image: about \d+% of the image missing "
                        r"\(\d+ of 200 rows\); copy or scan it again", lines[1]), lines[1]
    assert lines[2] == "failed:  empty.png: file is empty (0 bytes); copy or scan it again"
    assert lines[3].startswith("failed:  notes.png: not an image")
    assert lines[4] == "files: 10 found, 7 done, 0 unchanged (skipped), 3 failed"
    assert lines[5].startswith("pages: 9 written (") and "2 OCR processes" in lines[5]
    assert lines[6].startswith("next: fix or replace the 3 failed file(s) (one record each in scans/out/errors/)")
    assert not (batch / "scans/out/manifest/out").exists(), "the output folder was read as input"


def test_log_lines_go_above_the_bar_never_into_it(batch):
    lines = screen_after(batch, "process", "scans", "--out", "scans/out", "--jobs", "1", "--verbose")
    bar_rows = [i for i, line in enumerate(lines) if line.startswith("pages:") and "%|" in line]
    assert len(bar_rows) == 1, "\n".join(lines)
    assert BAR.match(lines[bar_rows[0]]) and "[info" not in lines[bar_rows[0]]
    logs = lines[:bar_rows[0]]
    assert len(logs) >= 9 * 4, "every stage of every page is logged above the bar"
    not_logs = [line for line in logs if not re.match(r"^\d{4}-\d\d-\d\dT[\d:.]+Z \[(info|warning|error) *\] ", line)]
    assert not not_logs, not_logs
    assert sum("page failed" in line for line in logs) == 3
