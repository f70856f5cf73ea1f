"""torch is an extra (pip install 'eulereye[fcn]'): without it, choosing the FCN says what to
install in one line (exit 2), and the worker stops as for any configuration fault.
tests/pipeline/test_install_without_torch.py proves a real install without torch."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from eulereye.cli import main
from eulereye.errors import CONFIGURATION, MissingExtraError, classify
from eulereye.segment import get_segmenter

PAGE = Path(__file__).resolve().parents[2] / "samples" / "pages" / "courier-3col.jpg"
INSTALL_HINT = "pip install 'eulereye[fcn]'"


@pytest.fixture
def without_torch(monkeypatch):
    """``import torch`` fails as it does where torch is not installed."""
    monkeypatch.setitem(sys.modules, "torch", None)


def one_error_line(capsys) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_process_with_the_fcn_and_no_torch_says_what_to_install(without_torch, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["process", str(PAGE), "--out", str(tmp_path / "out"), "--segmenter", "fcn"])
    assert stopped.value.code == 2
    line = one_error_line(capsys)
    assert line.startswith("eulereye process: error: --segmenter fcn needs PyTorch")
    assert INSTALL_HINT in line
    assert not (tmp_path / "out" / "errors").exists()  # nothing recorded against the page


def test_train_without_torch_says_what_to_install(without_torch, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["train", "--out", str(tmp_path / "run"), "--smoke"])
    assert stopped.value.code == 2
    assert INSTALL_HINT in one_error_line(capsys)


def test_the_worker_takes_a_missing_torch_for_a_configuration_fault(without_torch):
    with pytest.raises(MissingExtraError) as missing:
        get_segmenter("fcn")
    assert classify(missing.value) == CONFIGURATION


def test_the_classical_segmenter_needs_no_torch(without_torch):
    assert get_segmenter("classical").name == "classical"
