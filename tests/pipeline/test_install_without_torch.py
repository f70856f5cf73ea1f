"""`pip install eulereye` without torch, for real: a fresh virtualenv gets the package as a user
installs it (no extras), has no torch, and processes a sample page; choosing the FCN there says
to install `eulereye[fcn]` (exit 2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "samples" / "pages" / "courier-3col.jpg"
# What a source distribution of the package holds.
PACKAGE_FILES = ("pyproject.toml", "README.md", "requirements.txt", "requirements-fcn.txt", "eulereye")

# Installs as heavy as the worker image's test: never both at once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("image")]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A virtualenv with `pip install eulereye` from a copy of the package's files."""
    root = tmp_path_factory.mktemp("no-torch")
    source = root / "src"
    shutil.copytree(REPO, source, ignore=lambda folder, names: [
        n for n in names if Path(folder) == REPO and n not in PACKAGE_FILES or n == "__pycache__"])
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    result = run([str(root / "venv" / "bin" / "python"), "-m", "pip", "install", "-q",
                  "--disable-pip-version-check", str(source)])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root / "venv"


def test_the_plain_install_has_no_torch(venv):
    result = run([str(venv / "bin" / "python"), "-c", "import torch"])
    assert result.returncode != 0 and "No module named 'torch'" in result.stderr


def test_the_plain_install_processes_a_page(venv, tmp_path):
    result = run([str(venv / "bin" / "eulereye"), "process", str(PAGE), "--out", str(tmp_path)], cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = (tmp_path / "ocr_plain_text" / "courier-3col.txt").read_text()
    assert len(text.split()) > 100


def test_the_plain_install_asks_for_the_extra_when_the_fcn_is_chosen(venv, tmp_path):
    result = run([str(venv / "bin" / "eulereye"), "process", str(PAGE), "--out", str(tmp_path),
                  "--segmenter", "fcn"], cwd=tmp_path)
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stderr.strip().splitlines() == [  # one line, nothing else
        "eulereye process: error: --segmenter fcn needs PyTorch, which is not installed; "
        "install it with: pip install 'eulereye[fcn]'"], result.stderr
