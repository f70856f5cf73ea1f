"""Which AWS failures are worth the same call again: one answer for the S3 store and Textract."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from eulereye.errors import is_throttling, worth_retrying


def client_error(code: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}},
                       "Op")


@pytest.mark.parametrize("exc", [
    client_error("SlowDown", 503), client_error("ThrottlingException", 400),
    client_error("ProvisionedThroughputExceededException", 400), client_error("RequestTimeout", 400),
    client_error("SomethingNew", 502), EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
    ReadTimeoutError(endpoint_url="http://127.0.0.1:9"),
])
def test_throttling_passing_faults_and_lost_connections_are_worth_retrying(exc):
    assert worth_retrying(exc)


@pytest.mark.parametrize("exc", [
    client_error("AccessDenied", 403), client_error("NoSuchKey", 404),
    client_error("InvalidParameterException", 400), ValueError("not AWS"),
])
def test_refusals_and_bad_requests_are_not(exc):
    assert not worth_retrying(exc)


def test_throttling_is_told_from_other_passing_faults():
    assert is_throttling(client_error("SlowDown", 503)) and is_throttling(client_error("Throttling", 400))
    assert not is_throttling(client_error("InternalError", 500))
