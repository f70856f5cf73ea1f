"""Settings of an FCN training run, apart from the training code so the CLI can build its
parser without importing OpenCV or torch."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainSettings:
    out: str
    seed: int = 0
    train_pages: int = 400
    val_pages: int = 16
    steps: int = 8000  # the defaults are the shipped weights' run: about an hour on 2 cores
    batch: int = 8
    crop: int = 320
    lr: float = 3e-3
    eval_every: int = 500
    threads: int = 2
    page_width: int = 1700
    page_height: int = 2400

    @classmethod
    def smoke(cls, out: str) -> TrainSettings:
        """A run that proves the whole loop in seconds (CI)."""
        return cls(out=out, train_pages=3, val_pages=1, steps=6, batch=2, crop=128,
                   eval_every=3, page_width=600, page_height=850)
