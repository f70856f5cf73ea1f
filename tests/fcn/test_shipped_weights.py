"""The weights shipped in eulereye/weights load and segment a generated page sensibly."""

from __future__ import annotations

import json
from pathlib import Path

from eulereye.evaluation.scores import detection_scores
from eulereye.segment import get_segmenter
from eulereye.segment.base import AUTO_CHOICE
from eulereye.segment.fcn import DEFAULT_WEIGHTS, FcnSegmenter, absorb_nested, masks_to_regions
from eulereye.synth import generate_page

BENCH_RESULTS = Path(__file__).resolve().parents[2] / "bench" / "RESULTS.md"
TEST_SEED = 8_000_001  # no training run uses this seed


def test_shipped_weights_come_with_their_record():
    record = json.loads(DEFAULT_WEIGHTS.with_suffix(".json").read_text())
    assert record["command"].startswith("eulereye train")
    assert record["data"]["train_pages"] > 0 and "region_f1" in record["validation"]
    assert DEFAULT_WEIGHTS.stat().st_size < 20 * 1024 * 1024


def test_shipped_weights_segment_a_generated_page_of_the_kind_they_were_trained_on():
    """Measured as training validates: the mask's regions against the generator's sections
    (whole columns of articles; ``segment`` goes on to cut them into paragraphs)."""
    record = json.loads(DEFAULT_WEIGHTS.with_suffix(".json").read_text())["settings"]
    page = generate_page(TEST_SEED, width=record["page_width"], height=record["page_height"], style=record["style"])
    segmenter = get_segmenter("fcn")
    assert isinstance(segmenter, FcnSegmenter)
    classes = segmenter.predict_classes(page.image)
    regions = absorb_nested(masks_to_regions(classes, page.image.shape, segmenter.config.input_long_side))
    truth = [s.bbox for s in page.sections if s.kind != "illustration"]
    predicted = [r.bbox for r in regions if r.kind not in ("illustration", "rule")]
    assert detection_scores(predicted, truth).f1 > 0.7
    read = [r for r in segmenter.segment(page.image) if r.kind == "text"]
    assert len(read) >= sum(s.kind == "text" for s in page.sections)  # columns, cut into paragraphs


def test_auto_is_the_measured_default():
    # bench/RESULTS.md (Segmentation) measured which segmenter is the default; AUTO_CHOICE records it.
    assert "**Default (`--segmenter auto`): " + AUTO_CHOICE + ".**" in BENCH_RESULTS.read_text()
    assert get_segmenter("auto").name == AUTO_CHOICE
