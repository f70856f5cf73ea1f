"""Paths and a command runner shared by the terraform suite."""

from __future__ import annotations

import fcntl
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOT_MODULE = REPO / "terraform"
MODULES = sorted(p for p in (REPO / "modules").iterdir() if (p / "main.tf").is_file())
CONFIGURATIONS = [ROOT_MODULE, *MODULES]
TOOL_VENV = REPO / ".venv-checkov"


def run(cmd: list[str], cwd: Path = REPO, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def tool(name: str) -> Path:
    """checkov or hadolint, from their own virtualenv (their pins would clash with ours). The
    first test to need it has `make tool-venv` build it; one in another xdist worker waits for
    that rather than building it at the same time (two venv builds in one folder race)."""
    with open(f"{TOOL_VENV}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (TOOL_VENV / ".installed").exists():
            result = run(["make", "-s", "tool-venv"])
            assert result.returncode == 0, result.stdout + result.stderr
    return TOOL_VENV / "bin" / name
