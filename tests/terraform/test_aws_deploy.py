"""make deploy's preflight: the Fargate quota warning and the clear stops (unit level)."""

from __future__ import annotations

import pytest
from botocore.exceptions import NoCredentialsError

from tools import aws_deploy


class FakeQuotas:
    def __init__(self, value: float):
        self.value, self.asked = value, []

    def get_service_quota(self, ServiceCode, QuotaCode):  # noqa: N803 - boto3's names
        self.asked.append((ServiceCode, QuotaCode))
        return {"Quota": {"Value": self.value}}


class FakeSession:
    def __init__(self, quotas: FakeQuotas | None = None):
        self.quotas = quotas

    def client(self, name, region_name=None):
        if name == "sts":
            raise NoCredentialsError()
        return self.quotas


SETTINGS = {"max_tasks": 10, "task_cpu": 2048, "use_spot": False, "region": "eu-central-1"}


def test_warns_when_the_on_demand_quota_is_below_max_tasks():
    quotas = FakeQuotas(6)
    warning = aws_deploy.quota_warning(FakeSession(quotas), SETTINGS)
    assert quotas.asked == [("fargate", "L-3032A538")]
    assert "is 6 vCPUs" in warning and "need 20" in warning and "lower max_tasks" in warning


def test_spot_deployments_check_the_spot_quota_and_pass_when_it_suffices():
    quotas = FakeQuotas(64)
    assert aws_deploy.quota_warning(FakeSession(quotas), {**SETTINGS, "use_spot": True}) is None
    assert quotas.asked == [("fargate", "L-36FBB829")]


def test_missing_credentials_stop_with_a_clear_message():
    with pytest.raises(aws_deploy.PreflightError, match="no usable AWS credentials"):
        aws_deploy.check_credentials(FakeSession())


def test_a_missing_docker_engine_stops_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(aws_deploy.shutil, "which", lambda name: None)
    with pytest.raises(aws_deploy.PreflightError, match="docker command is missing"):
        aws_deploy.check_docker()
