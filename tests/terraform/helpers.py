"""Paths and a command runner shared by the terraform suite."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOT_MODULE = REPO / "terraform"
MODULES = sorted(p for p in (REPO / "modules").iterdir() if (p / "main.tf").is_file())
CONFIGURATIONS = [ROOT_MODULE, *MODULES]


def run(cmd: list[str], cwd: Path = REPO, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
