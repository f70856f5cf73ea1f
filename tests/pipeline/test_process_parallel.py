"""`eulereye process` on many files runs pages in parallel as the worker does, and a page that
kills its process or hangs fails alone (its reason in errors/), the others done, every page
counted once."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from eulereye import localbatch
from eulereye.cli import main
from eulereye.pipeline import Pipeline
from tests.conftest import save_png, text_page

LINES = ["The Highland Recorder reports a fine harvest", "in the county this year with corn and wheat"]


class PoisonedPipeline(Pipeline):
    """The real pipeline, except that 'poison' pages kill their process and 'hang' pages never
    end. The pool's processes are forked from this test, so they build this one."""

    def process_file(self, data, relpath, **kwargs):
        if relpath.startswith("poison"):
            os.kill(os.getpid(), signal.SIGKILL)
        if relpath.startswith("hang"):
            time.sleep(3600)
        return super().process_file(data, relpath, **kwargs)


@pytest.fixture()
def pages(tmp_path):
    for name in ("a", "b", "poison", "c", "hang"):
        save_png(text_page(LINES, size=(900, 300)), tmp_path / "scans" / f"{name}.png")
    return tmp_path


def test_a_page_that_crashes_or_hangs_fails_alone_and_every_page_is_counted(pages, monkeypatch, capsys):
    monkeypatch.setattr(localbatch, "Pipeline", PoisonedPipeline)
    out = pages / "out"
    status = main(["--log-format", "json", "process", str(pages / "scans"), "--out", str(out),
                   "--jobs", "2", "--page-timeout", "20"])
    summary = capsys.readouterr().out.splitlines()
    assert status == 1
    assert "files: 5 found, 3 done, 0 unchanged (skipped), 2 failed" in summary
    assert any(line.startswith("pages: 3 written") for line in summary), summary
    for name in ("a", "b", "c"):
        assert "harvest" in (out / "ocr_plain_text" / f"{name}.txt").read_text()
    poison = json.loads((out / "errors" / "poison.json").read_text())
    assert (poison["error"], poison["message"]) == ("PageCrashedError", "poison.png: killed by signal "
                                                    "SIGKILL (out of memory is the usual cause)")
    hang = json.loads((out / "errors" / "hang.json").read_text())
    assert hang["message"] == "hang.png: timed out after 20 s"
    run = json.loads(next((out / "runs").iterdir()).read_text())
    assert (run["files"]["ok"], run["files"]["failed"], run["pages"]) == (3, 2, 3)


def test_a_single_file_is_read_here_with_its_sections_spread_over_the_processes(pages, monkeypatch, capsys):
    built = []

    class Recorded(Pipeline):
        def __init__(self, options, store):
            built.append(options.ocr_processes)  # in this process only (not in the pool's)
            super().__init__(options, store)

    monkeypatch.setattr("eulereye.pipeline.Pipeline", Recorded)
    assert main(["--log-format", "json", "process", str(pages / "scans" / "a.png"), "--out",
                 str(pages / "one"), "--jobs", "2"]) == 0
    assert main(["--log-format", "json", "process", str(pages / "scans" / "b.png"),
                 str(pages / "scans" / "c.png"), "--out", str(pages / "two"), "--jobs", "2"]) == 0
    assert built == [2, 1]
    started = [json.loads(line) for line in capsys.readouterr().err.splitlines() if "batch started" in line]
    assert [(s["processes"], s["pages_at_once"]) for s in started] == [(2, 1), (2, 2)]
