"""make deploy's preflight: the Fargate quota warnings and the clear stops (unit level), and
`make plan` without credentials stopping with the preflight's line."""

from __future__ import annotations

import os
import re

import pytest
from botocore.exceptions import NoCredentialsError

from tests.terraform.helpers import run
from tools import aws_deploy


class FakeQuotas:
    def __init__(self, values: dict[str, float]):
        self.values, self.asked = values, []

    def get_service_quota(self, ServiceCode, QuotaCode):  # noqa: N803 - boto3's names
        self.asked.append((ServiceCode, QuotaCode))
        return {"Quota": {"Value": self.values[QuotaCode]}}


class FakeSession:
    def __init__(self, quotas: FakeQuotas | None = None):
        self.quotas = quotas

    def client(self, name, region_name=None):
        if name == "sts":
            raise NoCredentialsError()
        return self.quotas


SETTINGS = {"max_tasks": 10, "task_cpu": 2048, "use_spot": False, "region": "eu-central-1"}
ON_DEMAND, SPOT = "L-3032A538", "L-36FBB829"


def test_warns_when_the_on_demand_quota_is_below_max_tasks_and_says_what_to_request():
    quotas = FakeQuotas({ON_DEMAND: 6})
    (warning,) = aws_deploy.quota_warnings(FakeSession(quotas), SETTINGS)
    assert quotas.asked == [("fargate", ON_DEMAND)]
    assert "is 6 vCPUs" in warning and "need 20" in warning and "Lower max_tasks to 3" in warning
    assert f"--quota-code {ON_DEMAND} --desired-value 20" in warning


def test_spot_deployments_check_spot_and_the_on_demand_fallback():
    quotas = FakeQuotas({SPOT: 64, ON_DEMAND: 6})
    (warning,) = aws_deploy.quota_warnings(FakeSession(quotas), {**SETTINGS, "use_spot": True})
    assert quotas.asked == [("fargate", SPOT), ("fargate", ON_DEMAND)]
    assert "Fargate On-Demand vCPU resource count" in warning
    assert aws_deploy.quota_warnings(FakeSession(FakeQuotas({SPOT: 64, ON_DEMAND: 64})),
                                     {**SETTINGS, "use_spot": True}) == []


def test_missing_credentials_stop_with_a_clear_message():
    with pytest.raises(aws_deploy.PreflightError, match="no usable AWS credentials"):
        aws_deploy.check_credentials(FakeSession())


def test_a_missing_docker_engine_stops_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(aws_deploy.shutil, "which", lambda name: None)
    with pytest.raises(aws_deploy.PreflightError, match="docker command is missing"):
        aws_deploy.check_docker()


def without_make(env) -> dict[str, str]:
    """The environment minus what an outer `make test` passes down (its flags and level)."""
    return {k: v for k, v in env.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def test_make_plan_without_credentials_stops_with_the_preflight_line(tf_env, tmp_path):
    env = {**without_make(tf_env), "TF_DATA_DIR": str(tmp_path / ".terraform"), "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
           "PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    result = run(["make", "--no-print-directory", "plan", f"PLAN_FILE={tmp_path / 'tfplan'}"], env=env)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.strip() and not re.match(r"make(\[\d+\])?: ", line)]
    assert errors[-1].startswith("make plan: no usable AWS credentials"), result.stderr
    assert "Error:" not in result.stderr  # not Terraform's raw credentials error
    assert not (tmp_path / "tfplan").exists()


def test_the_deployment_verbs_install_their_python_packages_first(tmp_path):
    for verb in ("plan", "plan-review", "deploy", "destroy", "rollback"):
        dry = run(["make", "-n", "--no-print-directory", verb, f"VENV={tmp_path / 'venv'}", "IMAGE_TAG=abc"],
                  env=without_make(os.environ))
        assert dry.stdout.splitlines()[0] == f"python3 -m venv {tmp_path / 'venv'}", (verb, dry.stdout)
