"""Fixtures of the terraform suite: real terraform, checkov and a moto server, run serially."""

from __future__ import annotations

import os

import pytest

from tests.terraform.helpers import REPO, run


@pytest.fixture(scope="session")
def tf_env(tmp_path_factory) -> dict[str, str]:
    """Environment for terraform: offline provider mirror where the machine has one, no AWS."""
    workdir = tmp_path_factory.mktemp("tfcli")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    env["TF_IN_AUTOMATION"] = "1"
    # One copy of the (large) provider for every init of the session, linked from there.
    env["TF_PLUGIN_CACHE_DIR"] = str(tmp_path_factory.mktemp("tf-plugin-cache"))
    config = run([str(REPO / "scripts" / "terraform-cli-config.sh"), str(workdir / "terraformrc")]).stdout.strip()
    if config:
        env["TF_CLI_CONFIG_FILE"] = config
    return env
