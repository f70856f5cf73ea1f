"""bench/segmentation.py's own parts run against the package as it is (a renamed function once
broke the benchmark only at its last step, after minutes of work)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import segmentation  # noqa: E402


def test_the_shipped_fcn_weights_load_for_the_timing_row():
    assert 0 < segmentation.fcn_load_seconds() < 60


def test_generated_microfilm_pages_are_scored_for_each_segmenter(tmp_path):
    pages = segmentation.synth_pages(1, tmp_path, "microfilm")
    assert pages[0][0] == f"synth-microfilm-{segmentation.SYNTH_SEED}"
    scores = segmentation.run_dataset(pages, {"classical": segmentation.make_segmenter("classical")}, None)
    assert 0 <= scores["classical"][0].f1 <= 1 and scores["classical"][0].coverage > 0.5
