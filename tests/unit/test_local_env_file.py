"""The env file of `make local-up` makes the README's next command work as written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from e2e.__main__ import env_file_text


def test_sourcing_the_env_file_finds_eulereye_and_keeps_the_values(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text(env_file_text({"EULEREYE_BUCKET": "pages-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:1"},
                                      Path(sys.executable).parent))
    # A shell whose PATH lacks the virtualenv, as a new terminal has.
    result = subprocess.run(["bash", "-c", f"source {env_file} && command -v eulereye && echo $EULEREYE_BUCKET"],
                            env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found, bucket = result.stdout.split()
    assert Path(found).parent == Path(sys.executable).parent and bucket == "pages-1"
