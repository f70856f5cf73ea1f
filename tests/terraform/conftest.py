"""Helpers for the terraform suite: real terraform, checkov and a moto server, run serially."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROOT_MODULE = REPO / "terraform"
MODULES = sorted(p for p in (REPO / "modules").iterdir() if (p / "main.tf").is_file())
CONFIGURATIONS = [ROOT_MODULE, *MODULES]


def run(cmd: list[str], cwd: Path = REPO, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def tf_env(tmp_path_factory) -> dict[str, str]:
    """Environment for terraform: offline provider mirror where the machine has one, no AWS."""
    workdir = tmp_path_factory.mktemp("tfcli")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    env["TF_IN_AUTOMATION"] = "1"
    config = run([str(REPO / "scripts" / "terraform-cli-config.sh"), str(workdir / "terraformrc")]).stdout.strip()
    if config:
        env["TF_CLI_CONFIG_FILE"] = config
    return env
