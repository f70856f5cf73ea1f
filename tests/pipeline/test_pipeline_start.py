"""A pipeline that cannot start (a segmenter missing its extra or its weights) closes the OCR
engine it already started: its processes left to interpreter exit could print a traceback after
the one-line error (seen once in CI: concurrent.futures writing to a closed pipe)."""

from __future__ import annotations

import pytest

import eulereye.pipeline as pipeline_module
from eulereye.errors import MissingExtraError
from eulereye.outputs.store import LocalStore
from eulereye.pipeline import Options, Pipeline


class Engine:
    closed = False

    def close(self) -> None:
        self.closed = True


def test_a_segmenter_that_cannot_load_closes_the_engine_started_before_it(monkeypatch, tmp_path):
    engine = Engine()

    def missing_extra(*_args):
        raise MissingExtraError("--segmenter fcn needs PyTorch")

    monkeypatch.setattr(pipeline_module, "get_engine", lambda *_args, **_kwargs: engine)
    monkeypatch.setattr(pipeline_module, "get_segmenter", missing_extra)
    with pytest.raises(MissingExtraError):
        Pipeline(Options(segmenter="fcn"), LocalStore(str(tmp_path)))
    assert engine.closed
