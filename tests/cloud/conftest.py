"""Shared fixtures for the cloud tests: fake credentials, moto, and AWS fault injection."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from botocore.awsrequest import AWSResponse
from moto.core.models import botocore_stubber

REPO = Path(__file__).resolve().parents[2]
# lambda_src is deployed on its own (no package); tests import it as a top-level module.
sys.path.insert(0, str(REPO / "lambda_src"))


@pytest.fixture(autouse=True)
def aws_env(monkeypatch):
    """Fake credentials and a region, and no real endpoint, so nothing reaches AWS."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def error_response(code: str, status: int, message: str = "injected") -> tuple[AWSResponse, dict]:
    """What a botocore ``before-call`` hook returns to answer a call with an AWS error instead
    of sending it: the client raises ClientError exactly as for a real error response."""
    parsed = {"Error": {"Code": code, "Message": message},
              "ResponseMetadata": {"HTTPStatusCode": status}}
    return AWSResponse("https://injected.invalid", status, {}, None), parsed


def ok_response(parsed: dict) -> tuple[AWSResponse, dict]:
    parsed = {**parsed, "ResponseMetadata": {"HTTPStatusCode": 200}}
    return AWSResponse("https://injected.invalid", 200, {}, None), parsed


class Body:
    """The raw body of an injected HTTP response."""

    def __init__(self, data: bytes):
        self.data = data

    def stream(self, **_):
        yield self.data


def throttle_run_task(ecs_client, throttle) -> list[str]:
    """Answer a RunTask try with HTTP 400 ThrottlingException in place of moto (as a throttled
    ECS does: nothing started) when ``throttle(token)`` says so; returns the client token of
    every try, in order."""
    tokens = []

    def maybe_throttle(event_name, request, **kwargs):
        if event_name.endswith(".RunTask"):
            tokens.append(json.loads(request.body)["clientToken"])
            if throttle(tokens[-1]):
                body = b'{"__type":"ThrottlingException","message":"Rate exceeded"}'
                return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.1"}, Body(body))
        return botocore_stubber(event_name, request, **kwargs)

    ecs_client.meta.events.unregister("before-send", botocore_stubber)
    ecs_client.meta.events.register("before-send", maybe_throttle)
    return tokens
