"""`eulereye process`, one input through the pipeline: a configuration fault stops the batch
(nothing recorded against the page); any other crash costs that input only. Many inputs start
biggest first."""

from __future__ import annotations

from pathlib import Path

import pytest

from eulereye.errors import ConfigurationError
from eulereye.localbatch import Input, largest_first, run_input


class RaisingPipeline:
    """Stands in for the pipeline: ``process_file`` raises ``error``; failures are kept."""

    def __init__(self, error: Exception):
        self.error = error
        self.recorded: list[tuple[str, dict, Exception]] = []

    def process_file(self, data, rel, *, name, source, on_page):
        raise self.error

    def record_failure(self, name, source, exc):
        self.recorded.append((name, source, exc))


@pytest.fixture()
def page(tmp_path) -> Input:
    path = tmp_path / "a" / "p.png"
    path.parent.mkdir()
    path.write_bytes(b"")
    return Input(path, "a/p.png", "a/p")


def test_a_configuration_fault_stops_the_batch_and_records_nothing(page):
    pipeline = RaisingPipeline(ConfigurationError("textract: AccessDeniedException"))
    with pytest.raises(ConfigurationError, match="nothing recorded against a/p.png: textract: AccessDenied"):
        run_input(pipeline, page)
    assert pipeline.recorded == []


def test_any_other_crash_fails_that_input_alone_with_its_source(page):
    crash = RuntimeError("segmenter bug")
    pipeline = RaisingPipeline(crash)
    outcome = run_input(pipeline, page)
    assert (outcome.status, outcome.error) == ("failed", "RuntimeError: segmenter bug")
    assert pipeline.recorded == [("a/p", {"key": "a/p.png", "path": str(Path(page.path).absolute())}, crash)]


def test_the_biggest_files_start_first_and_a_missing_one_last(tmp_path):
    items = []
    for name, size in (("small", 10), ("big", 1000), ("middle", 100)):
        (tmp_path / name).write_bytes(b"x" * size)
        items.append(Input(tmp_path / name, name, name))
    items.append(Input(tmp_path / "gone", "gone", "gone"))
    assert [item.name for item in largest_first(items)] == ["big", "middle", "small", "gone"]
