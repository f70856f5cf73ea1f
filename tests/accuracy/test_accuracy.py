"""Accuracy of the whole `eulereye process` pipeline with real Tesseract (order-aware CER).

Generated pages have exact text; the real book pages are held against plain Tesseract on the
whole page with the same model; the real 7-column LOC page must simply run through."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from eulereye.evaluation.layout_eval import gt_text
from eulereye.evaluation.pagexml import read_page_xml
from eulereye.outputs.store import LocalStore
from eulereye.pipeline import Options, Pipeline
from eulereye.synth import generate_page
from eulereye.textmetrics import cer
from tests.conftest import REPO
from tools.testdata import data_path, data_paths

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("accuracy")]

SAMPLES = REPO / "samples"
SAMPLE_PAGES = ["courier-3col.jpg", "gazette-4col.tif", "herald-6col.png", "1895/p.002.png"]
GENERATED_SEEDS = range(6)  # 1700x2400, degrade=0.3: a fixed range, not picked
MAX_CER = 0.02
BOOK_TOLERANCE = 0.005  # absolute CER allowed beyond plain Tesseract (rounding, not a margin)


def process(path: Path, out: Path, lang: str = "eng") -> str:
    """Run the pipeline on one file; the page's plain text."""
    with Pipeline(Options(lang=lang, ocr_processes=2, force=True), LocalStore(out)) as pipeline:
        outcome = pipeline.process_file(path.read_bytes(), path.name)
    assert outcome.status == "ok", outcome.error
    return (out / "ocr_plain_text" / f"{outcome.name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", SAMPLE_PAGES)
def test_bundled_sample_pages_reach_two_percent_cer(page, tmp_path):
    truth = json.loads((SAMPLES / "ground-truth" / page).with_suffix(".gt.json").read_text())
    text = process(SAMPLES / "pages" / page, tmp_path)
    assert cer(text, truth["text"]) <= MAX_CER


@pytest.mark.parametrize("seed", GENERATED_SEEDS)
def test_freshly_generated_pages_reach_two_percent_cer(seed, tmp_path):
    page = generate_page(seed, width=1700, height=2400, degrade=0.3)
    path = tmp_path / f"generated-{seed}.png"
    Image.fromarray(page.image).save(path)
    assert cer(process(path, tmp_path / "out"), page.text) <= MAX_CER


@pytest.mark.parametrize("image", data_paths("book-text/*.tif"), ids=lambda path: path.stem)
def test_book_page_is_no_worse_than_plain_tesseract(image, tmp_path):
    xml = image.with_suffix(".xml")
    truth = gt_text(read_page_xml(xml))
    plain = subprocess.run(["tesseract", str(image), "stdout", "-l", "Fraktur"], capture_output=True,
                           text=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
    ours = process(image, tmp_path, lang="Fraktur")
    assert cer(ours, truth) <= cer(plain, truth) + BOOK_TOLERANCE


def test_seven_column_loc_page_runs_through_with_every_output(tmp_path):
    image = data_path("loc/highland-recorder-1895-12-13-p1.jpg")
    text = process(image, tmp_path)
    name = image.stem
    for kind, suffix in [("ocr_plain_text", "txt"), ("ocr_coords", "txt"), ("ocr_coords", "json"),
                         ("sections", "json"), ("alto", "xml"), ("manifest", "json")]:
        assert (tmp_path / kind / f"{name}.{suffix}").is_file(), f"{kind}/{name}.{suffix}"
    assert len(text.split()) > 5000
