"""fmt, validate, `terraform test` (mocked provider) and checkov over every configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.terraform.helpers import CONFIGURATIONS, REPO, run, tool

pytestmark = pytest.mark.xdist_group("terraform")
IDS = [str(p.relative_to(REPO)) for p in CONFIGURATIONS]


@pytest.fixture(scope="module")
def initialised(tf_env, tmp_path_factory):
    """Returns an env for a configuration whose `terraform init` ran (private data dir)."""
    envs: dict[Path, dict] = {}

    def init(config: Path) -> dict:
        if config not in envs:
            env = {**tf_env, "TF_DATA_DIR": str(tmp_path_factory.mktemp("tfdata") / ".terraform")}
            result = run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], config, env)
            assert result.returncode == 0, result.stderr
            envs[config] = env
        return envs[config]

    return init


def test_everything_is_formatted(tf_env):
    result = run(["terraform", "fmt", "-check", "-recursive", "-diff", "-no-color",
                  "modules", "terraform", "tests/terraform"], env=tf_env)
    assert result.returncode == 0, f"run `terraform fmt -recursive`:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("config", CONFIGURATIONS, ids=IDS)
def test_configuration_is_valid(config, initialised):
    result = run(["terraform", "validate", "-json", "-no-color"], config, initialised(config))
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report["diagnostics"], indent=2)


@pytest.mark.parametrize("config", CONFIGURATIONS, ids=IDS)
def test_security_assertions_hold(config, initialised):
    assert list(config.glob("tests/*.tftest.hcl")), f"{config.name} has no terraform test"
    result = run(["terraform", "test", "-no-color"], config, initialised(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout and "Success!" in result.stdout


def json_documents(text: str) -> list[dict]:
    """checkov prints one JSON document per scanned folder, one after the other."""
    decoder, documents, position = json.JSONDecoder(), [], 0
    while position < len(text.rstrip()):
        document, position = decoder.raw_decode(text, position)
        documents.append(document)
        while position < len(text) and text[position].isspace():
            position += 1
    return documents


def test_checkov_finds_nothing_and_every_skip_says_why(tf_env):
    env = {**tf_env, "BC_SKIP_MAPPING": "TRUE"}
    result = run([str(tool("checkov")), "-d", "modules", "-d", "terraform", "--framework", "terraform",
                  "--skip-download", "-o", "json"], env=env)
    reports = json_documents(result.stdout)
    assert len(reports) == 2, result.stderr[-2000:]
    failed = [f"{c['check_id']} {c['resource']} ({c['file_path']})"
              for report in reports for c in report["results"]["failed_checks"]]
    assert not failed, "checkov failures:\n" + "\n".join(failed)
    skipped = [c for report in reports for c in report["results"]["skipped_checks"]]
    assert skipped, "expected the documented skips to be reported"
    unexplained = [c["check_id"] for c in skipped if len((c.get("check_result") or {}).get("suppress_comment", "")) < 20]
    assert not unexplained, f"skips without a reason: {unexplained}"
    assert all(report["summary"]["passed"] > 0 for report in reports)


def test_module_readmes_list_current_inputs_and_outputs():
    from tools.module_readme import main

    assert main(["--check"]) == 0
