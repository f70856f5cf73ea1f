"""What a batch tells its archivist besides the text: quality figures in each manifest, pages
that need a look, outputs whose input is gone (and --prune), the run record and
`eulereye status --out`. Real Tesseract on small generated pages."""

from __future__ import annotations

import json

import pytest

from eulereye.cli import main
from eulereye.textquality import word_list
from tests.conftest import save_png, text_page
from tests.pipeline.test_process_cli import eulereye

LINES = ["The Highland Recorder reports a fine harvest", "in the county this year with corn and wheat",
         "Prices at the market were steady on Tuesday", "and the mill will open again next week"]
GIBBERISH = ["Xqzv plorkt mbnweq trazzul vemqor", "Bruxtel quomp zinvark dwelph orquib",
             "Fzent mulqar obrisk twenzul qarpov", "Jundle vorqix ampreth gulzon brekti"]
HAS_WORD_LIST = word_list("eng") is not None


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """Runs over scans/ into scans/out (inside it): first everything, then again after gone.png
    was deleted, then once more with --prune."""
    scans = tmp_path_factory.mktemp("batch") / "scans"
    for number in range(4):
        save_png(text_page(LINES), scans / f"p{number}.png")
    save_png(text_page(GIBBERISH), scans / "gibberish.png")
    save_png(text_page([]), scans / "blank.png")
    save_png(text_page(LINES[:2]), scans / "gone.png")
    save_png(text_page(LINES), scans / "out" / "overlay.png")  # e.g. a render saved there
    out = scans / "out"
    runs = [eulereye("process", str(scans), "--out", str(out), "--jobs", "2")]
    (scans / "gone.png").unlink()
    runs.append(eulereye("process", str(scans), "--out", str(out)))
    runs.append(eulereye("process", str(scans), "--out", str(out), "--prune"))
    return out, runs


def test_the_output_folder_inside_the_input_folder_is_not_read(tree):
    out, runs = tree
    assert "files: 7 found, 7 done" in runs[0].stdout, runs[0].stdout + runs[0].stderr
    assert not (out / "manifest/out").exists()


def test_manifest_records_confidence_words_per_kind_and_dictionary_share(tree):
    out, _ = tree
    quality = json.loads((out / "manifest/p0.json").read_text())["quality"]
    assert 80 <= quality["mean_confidence"] <= 100
    assert sum(quality["words_per_kind"].values()) == 32
    if HAS_WORD_LIST:
        assert quality["dictionary_share"] >= 0.9
        gibberish = json.loads((out / "manifest/gibberish.json").read_text())["quality"]
        assert gibberish["dictionary_share"] <= 0.3


def test_pages_far_below_the_batch_are_flagged_in_the_summary(tree):
    _, runs = tree
    flagged = [line for line in runs[0].stdout.splitlines() if line.startswith("flagged:")]
    assert any(line.startswith("flagged: blank: almost no words (0)") for line in flagged), flagged
    if HAS_WORD_LIST:
        assert any(line.startswith("flagged: gibberish: ") and "dictionary words" in line for line in flagged)
    assert not any(line.startswith("flagged: p") for line in flagged)


def test_outputs_whose_input_is_gone_are_listed_then_pruned(tree):
    out, runs = tree
    assert "no input: 1 page in" in runs[1].stdout and "(first: gone)" in runs[1].stdout
    assert "--prune removes them" in runs[1].stdout
    assert "files: 6 found, 0 done, 6 unchanged (skipped), 0 failed" in runs[1].stdout
    assert "removed (--prune)" in runs[2].stdout
    assert not list(out.rglob("gone.*")), "pruned outputs left behind"
    assert (out / "ocr_plain_text/p0.txt").is_file()


def test_each_run_leaves_a_record(tree):
    out, _ = tree
    records = [json.loads(p.read_text()) for p in sorted((out / "runs").glob("*.json"))]
    assert [r["files"]["ok"] for r in records] == [7, 0, 0]
    assert records[1]["outputs_without_input"] == ["gone"] and records[2]["pruned"] is True
    assert "blank" in records[0]["flagged"] and records[0]["processes"] == 2


def test_status_of_a_local_output_folder(tree, capsys):
    out, _ = tree
    assert main(["status", "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    expected_flags = 2 if HAS_WORD_LIST else 1
    assert report["folders"] == {".": {"done": 6, "failed": 0, "skipped": 6, "flagged": expected_flags}}
    assert "blank" in report["flagged"]
    assert main(["status", "--out", str(out)]) == 0
    screen = capsys.readouterr().out.splitlines()
    assert screen[0].split() == ["folder", "done", "failed", "skipped", "flagged"]
    assert screen[1].split() == [".", "6", "0", "6", str(expected_flags)]
    assert "flagged: blank: almost no words (0)" in screen
