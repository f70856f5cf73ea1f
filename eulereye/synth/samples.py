"""Regenerates the bundled sample pages byte for byte: ``python -m eulereye.synth.samples [ROOT]``
(``make samples``) writes ``ROOT/pages/...`` and ``ROOT/ground-truth/...`` (ROOT: ``samples``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from eulereye.synth.ground_truth import write_ground_truth
from eulereye.synth.page import generate_page


@dataclass(frozen=True)
class Sample:
    name: str  # path below pages/ without the image suffix
    suffix: str
    seed: int
    columns: int
    degrade: float
    binarise: bool


SAMPLES = (
    Sample("courier-3col", ".jpg", 1895_001, 3, 0.6, False),
    Sample("gazette-4col", ".tif", 1895_004, 4, 0.8, True),
    Sample("herald-6col", ".png", 1895_006, 6, 0.3, True),
    Sample("1895/p.002", ".png", 1895_002, 5, 0.5, True),
)


def write_samples(root: Path) -> list[Path]:
    written = []
    for sample in SAMPLES:
        page = generate_page(sample.seed, columns=sample.columns, degrade=sample.degrade,
                             binarise=sample.binarise)
        written += write_ground_truth(page, root / "ground-truth", sample.name,
                                      image_suffix=sample.suffix, image_directory=root / "pages")
    return written


if __name__ == "__main__":
    for path in write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "samples")):
        print(path)
