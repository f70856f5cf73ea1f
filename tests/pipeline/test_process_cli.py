"""`eulereye process` end to end with real Tesseract on small pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, save_png, text_page

LINES = ["The Highland Recorder reports a fine harvest", "in the county this year with corn and wheat"]
CONTRACT = ["ocr_plain_text/{}.txt", "ocr_coords/{}.txt", "ocr_coords/{}.json", "sections/{}.json",
            "alto/{}.xml", "manifest/{}.json"]


def eulereye(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "EULEREYE_LOG_FORMAT": "json"}
    return subprocess.run([sys.executable, "-m", "eulereye", *args], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    save_png(text_page(LINES), root / "1890" / "03" / "p.001.png")
    save_png(text_page(LINES[:1]), root / "odd names" / "Zeitung ü+1.png")
    (root / "notes.txt").write_text("archive notes are not pages")
    return root


def test_folder_writes_the_whole_contract_for_every_page(pages, tmp_path, alto_schema):
    out = tmp_path / "out"
    result = eulereye("process", str(pages), "--out", str(out), "--segmenter", "classical", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    for name in ("1890/03/p.001", "odd names/Zeitung ü+1"):
        for pattern in CONTRACT:
            assert (out / pattern.format(name)).is_file(), pattern.format(name)
        alto_schema.validate(str(out / f"alto/{name}.xml"))
    text = (out / "ocr_plain_text/1890/03/p.001.txt").read_text()
    assert "Highland Recorder" in text and "corn and wheat" in text
    manifest = json.loads((out / "manifest/1890/03/p.001.json").read_text())
    assert manifest["status"] == "ok" and manifest["counts"]["words"] >= 14
    assert set(manifest["timings"]) >= {"deskew", "segment", "ocr", "write"}
    assert not (out / "errors").exists()
    assert not list(out.rglob(".tmp-*")), "temporary files left behind"


def test_unchanged_inputs_are_skipped_and_changed_ones_redone(tmp_path):
    page = save_png(text_page(LINES), tmp_path / "in" / "p.png")
    out = tmp_path / "out"
    assert eulereye("process", str(page), "--out", str(out)).returncode == 0
    first = (out / "manifest/p.json").read_text()
    again = eulereye("process", str(page), "--out", str(out))
    assert again.returncode == 0 and "1 found, 0 done, 1 unchanged (skipped), 0 failed" in again.stdout
    assert (out / "manifest/p.json").read_text() == first
    save_png(text_page(LINES[:1]), page)
    assert "1 found, 1 done" in eulereye("process", str(page), "--out", str(out)).stdout
    assert "Highland" in (out / "ocr_plain_text/p.txt").read_text()
    assert "corn" not in (out / "ocr_plain_text/p.txt").read_text()


def test_a_bad_page_fails_alone_and_its_error_is_cleared_once_fixed(tmp_path):
    good = save_png(text_page(LINES), tmp_path / "in" / "good.png")
    bad = tmp_path / "in" / "bad.png"
    bad.write_bytes(b"this is not an image")
    out = tmp_path / "out"
    result = eulereye("process", str(tmp_path / "in"), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    error = json.loads((out / "errors/bad.json").read_text())
    assert error["error"] == "BadImageError" and error["input"]["key"] == "bad.png"
    assert (out / "manifest/good.json").is_file()
    save_png(text_page(LINES), bad)
    assert eulereye("process", str(tmp_path / "in"), "--out", str(out)).returncode == 0
    assert not (out / "errors/bad.json").exists()
    assert good.exists()


def test_same_stem_different_format_do_not_collide(tmp_path):
    save_png(text_page(LINES), tmp_path / "in" / "scan.png")
    (tmp_path / "in" / "scan.tif").write_bytes((tmp_path / "in" / "scan.png").read_bytes())
    out = tmp_path / "out"
    eulereye("process", str(tmp_path / "in"), "--out", str(out))
    assert (out / "ocr_plain_text/scan.png.txt").is_file()
    assert (out / "manifest/scan.png.json").is_file() and (out / "errors/scan.tif.json").is_file() \
        or (out / "manifest/scan.tif.json").is_file()


@pytest.mark.parametrize("args, message", [
    (["process", "/no/such/folder", "--out", "x"], "no such file or folder"),
    (["process", "--out", "x"], "required"),
    (["process", ".", "--out", "x", "--jobs", "-1"], "--jobs"),
    (["process", str(REPO / "pyproject.toml"), "--out", "x", "--lang", "klingon"], "klingon"),
])
def test_bad_usage_exits_2_without_traceback(args, message, tmp_path):
    result = eulereye(*args)
    assert result.returncode == 2, result
    assert message in result.stderr and "Traceback" not in result.stderr


def test_pictures_are_not_read_as_text(tmp_path):
    from eulereye.model import Region
    from eulereye.outputs.store import LocalStore
    from eulereye.pipeline import Options, Pipeline

    class WholePagePicture:  # a segmenter that also calls the whole page a picture
        name = "stub"

        def segment(self, gray):
            h, w = gray.shape
            return [Region((0, 0, w, h), "illustration"), Region((0, 0, w, h // 2), "text")]

    page = save_png(text_page(LINES), tmp_path / "p.png")
    with Pipeline(Options(), LocalStore(tmp_path / "out")) as pipeline:
        pipeline.segmenter = WholePagePicture()
        pipeline.process_file(page.read_bytes(), "p.png")
    sections = json.loads((tmp_path / "out/sections/p.json").read_text())
    assert sections[0]["kind"] == "illustration" and sections[0]["lines"] == []
    assert (tmp_path / "out/ocr_plain_text/p.txt").read_text().count("Highland") == 1
