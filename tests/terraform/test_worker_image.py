"""The worker image without a Docker engine: hadolint, and the Dockerfile's own installs.

The test reads the build stage of image/Dockerfile, installs exactly the requirement files and
package it installs into a fresh virtualenv, and runs the image's ENTRYPOINT with --help.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terraform.helpers import REPO, run, tool

pytestmark = pytest.mark.xdist_group("image")
DOCKERFILE = REPO / "image" / "Dockerfile"
# No network here: pip takes torch's CPU build from the local wheel cache instead.
DROPPED_PIP_OPTIONS = {"--extra-index-url", "--index-url"}


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical, current = [], ""
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("#") and not current:
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            if current.strip():
                keyword, _, rest = current.strip().partition(" ")
                logical.append((keyword.upper(), rest.strip()))
            current = ""
    return logical


def stages(path: Path) -> dict[str, list[tuple[str, str]]]:
    named, name = {}, None
    for keyword, rest in instructions(path):
        if keyword == "FROM":
            name = rest.split(" AS ")[-1].strip() if " AS " in rest else rest
            named[name] = []
        elif name:
            named[name].append((keyword, rest))
    return named


def pip_installs(stage: list[tuple[str, str]]) -> list[list[str]]:
    """Arguments of every `pip install` of the stage, options needing the network dropped."""
    installs = []
    for keyword, rest in stage:
        if keyword != "RUN" or "pip install" not in rest:
            continue
        words = shlex.split(rest.split("pip install", 1)[1].split("&&")[0])
        kept, skip = [], False
        for word in words:
            if skip:
                skip = False
            elif word in DROPPED_PIP_OPTIONS:
                skip = True
            else:
                kept.append(word)
        installs.append(kept)
    return installs


def stage_copies(stage: list[tuple[str, str]], into: Path) -> dict[str, Path]:
    """Performs the stage's COPY of repository files below `into`; container path -> local path."""
    mapping = {}
    for keyword, rest in stage:
        if keyword != "COPY" or rest.startswith("--from"):
            continue
        *sources, destination = rest.split()
        into_folder = destination.endswith("/") or len(sources) > 1
        for source in sources:
            container_path = f"{destination.rstrip('/')}/{Path(source).name}" if into_folder else destination
            local = into / container_path.lstrip("/")
            local.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if (REPO / source).is_dir() else shutil.copy)(REPO / source, local)
            mapping[container_path] = local
            mapping[str(Path(container_path).parent)] = local.parent
    return mapping


def test_dockerfile_passes_hadolint():
    result = run([str(tool("hadolint")), "--no-color", str(DOCKERFILE)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_runs_as_non_root_with_the_worker_entrypoint():
    final = list(stages(DOCKERFILE).values())[-1]
    assert ("ENTRYPOINT", '["eulereye", "worker"]') in final
    users = [rest for keyword, rest in final if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert "python:" in DOCKERFILE.read_text() and "-slim" in DOCKERFILE.read_text()
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    assert ignored[1] == "*" or "*" in ignored


def test_what_the_dockerfile_installs_runs_the_entrypoint(tmp_path):
    build = stages(DOCKERFILE)["build"]
    paths = stage_copies(build, tmp_path / "ctx")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    installs = pip_installs(build)
    assert any("-r" in args for args in installs), "the Dockerfile must install requirement files"
    for args in installs:
        local = [str(paths.get(word, word)) if word.startswith("/") else word for word in args]
        result = run(pip + local, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # torch is an extra of the package (eulereye[fcn]); the image keeps it for --segmenter fcn.
    result = run([str(venv / "bin" / "python"), "-c", "import torch"])
    assert result.returncode == 0, "the worker image must install torch (requirements-fcn.txt)"
    entrypoint = json.loads(dict(list(stages(DOCKERFILE).values())[-1])["ENTRYPOINT"])
    result = run([str(venv / "bin" / entrypoint[0]), *entrypoint[1:], "--help"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "usage:" in result.stdout.lower()
