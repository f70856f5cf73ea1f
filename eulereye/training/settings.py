"""Settings of an FCN training run, apart from the training code so the CLI can build its
parser without importing OpenCV or torch."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainSettings:
    out: str
    seed: int = 0
    train_pages: int = 300
    val_pages: int = 16
    steps: int = 3500  # the defaults are the shipped weights' run: about 45 minutes on 2 cores
    batch: int = 8
    crop: int = 320
    lr: float = 3e-3
    eval_every: int = 500
    threads: int = 2
    page_width: int = 2600
    page_height: int = 3500
    style: str = "microfilm"  # eulereye.synth.page.STYLES: the kind of page generated
    input_long_side: int = 2048  # the network sees the page scaled to this many px

    @classmethod
    def smoke(cls, out: str) -> TrainSettings:
        """A run that proves the whole loop in seconds (CI)."""
        return cls(out=out, train_pages=3, val_pages=1, steps=6, batch=2, crop=128,
                   eval_every=3, page_width=600, page_height=850, input_long_side=512)
