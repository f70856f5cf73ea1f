"""`eulereye process`, one input through the pipeline: a configuration fault stops the batch
(exit 2, nothing recorded against the page); any other crash costs that input only."""

from __future__ import annotations

import pytest

from eulereye.errors import UsageError
from eulereye.commands.process import _run_pipeline
from eulereye.errors import ConfigurationError


class RaisingPipeline:
    """Stands in for the pipeline: ``process_file`` raises ``error``; failures are kept."""

    def __init__(self, error: Exception):
        self.error = error
        self.recorded: list[tuple[str, dict, Exception]] = []

    def process_file(self, data, rel, *, name, source, on_page):
        raise self.error

    def record_failure(self, name, source, exc):
        self.recorded.append((name, source, exc))


class Progress:
    def page_done(self, index, count):
        pass


def test_a_configuration_fault_stops_the_batch_and_records_nothing():
    pipeline = RaisingPipeline(ConfigurationError("textract: AccessDeniedException"))
    with pytest.raises(UsageError, match="configuration fault, nothing recorded against a/p.png"):
        _run_pipeline(pipeline, b"", "a/p.png", "a/p", {"path": "/in/a/p.png"}, Progress())
    assert pipeline.recorded == []


def test_any_other_crash_fails_that_input_alone_with_its_source():
    crash = RuntimeError("segmenter bug")
    pipeline = RaisingPipeline(crash)
    outcome = _run_pipeline(pipeline, b"", "a/p.png", "a/p", {"path": "/in/a/p.png"}, Progress())
    assert (outcome.status, outcome.error) == ("failed", "RuntimeError: segmenter bug")
    assert pipeline.recorded == [("a/p", {"key": "a/p.png", "path": "/in/a/p.png"}, crash)]
