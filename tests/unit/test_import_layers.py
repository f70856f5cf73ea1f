"""The import layers of pyproject.toml ([tool.importlinter]) hold: data flows image -> page
model -> sections -> words -> writers and imports follow it, the library below the command line."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import eulereye

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` over the package found first under ``root``, with its contracts."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def layer_names() -> set[str]:
    contract = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contract if c["id"] == "layers")["layers"]
    return {name.strip(" ()") for layer in layers for part in layer.split("|") for name in part.split(":")}


def test_imports_follow_the_layers():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_of_the_package_has_a_layer():
    modules = {f"eulereye.{m.name}" for m in pkgutil.iter_modules(eulereye.__path__)}
    assert modules - layer_names() == set(), "add these to a layer in pyproject.toml"


def test_an_import_that_runs_back_up_breaks_the_contract(tmp_path):
    shutil.copytree(REPO / "eulereye", tmp_path / "eulereye", ignore=shutil.ignore_patterns("weights", "__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    model = tmp_path / "eulereye" / "model.py"
    model.write_text(model.read_text() + "\nfrom eulereye.outputs.writers import plain_text  # noqa\n")

    result = lint_imports(tmp_path)

    assert result.returncode == 1
    assert "eulereye.model -> eulereye.outputs.writers" in result.stdout
