"""The bundled samples are exactly what ``make samples`` regenerates from their seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from eulereye.synth.ground_truth import write_ground_truth
from eulereye.synth.page import generate_page
from eulereye.synth.samples import SAMPLES

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.suffix in (".tif", ".jpg")], ids=lambda s: s.name)
def test_sample_regenerates_byte_identically(tmp_path, sample):
    page = generate_page(sample.seed, columns=sample.columns, degrade=sample.degrade, binarise=sample.binarise)
    written = write_ground_truth(page, tmp_path / "ground-truth", sample.name,
                                 image_suffix=sample.suffix, image_directory=tmp_path / "pages")
    for path in written:
        committed = SAMPLES_DIR / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), f"{committed} differs from a fresh run"


def test_every_sample_has_its_ground_truth():
    for sample in SAMPLES:
        assert (SAMPLES_DIR / "pages" / (sample.name + sample.suffix)).is_file()
        for suffix in (".gt.json", ".xml"):
            assert (SAMPLES_DIR / "ground-truth" / (sample.name + suffix)).is_file()
