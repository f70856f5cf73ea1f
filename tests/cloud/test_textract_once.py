"""Textract once per page and within the fleet's rate: saved responses reused on retry (keyed
by the input's ETag), configuration faults told from bad images, and the DynamoDB rate cap."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from eulereye.errors import BadImageError, ConfigurationError, TransientError
from eulereye.model import Region
from eulereye.ocr.ratelimit import FleetRateLimiter
from eulereye.outputs.store import LocalStore
from tests.cloud.test_textract import load, page_image, stubbed_engine

RESPONSE = "txr_detect_document_text_single_page_1.json"


def read(engine, etag: str):
    gray = page_image()
    engine.set_input({"etag": etag})
    return engine.read_regions(gray, [Region((0, 0, gray.shape[1], gray.shape[0]), "text")], "1890/p.001")


def test_a_retry_of_the_same_input_reuses_the_saved_response(tmp_path):
    store = LocalStore(tmp_path)
    first, stub = stubbed_engine([load(RESPONSE)], raw_store=store)
    words = read(first, "etag-1")
    stub.assert_no_pending_responses()

    retry, _ = stubbed_engine([], raw_store=store)  # any call would fail: nothing stubbed
    assert read(retry, "etag-1") == words
    assert retry.counts == {"calls": 0, "throttled": 0, "reused": 1}

    changed, stub = stubbed_engine([load(RESPONSE)], raw_store=store)  # a new version of the page
    read(changed, "etag-2")
    stub.assert_no_pending_responses()
    assert changed.counts["calls"] == 1


@pytest.mark.parametrize("code, error", [
    ("AccessDeniedException", ConfigurationError), ("UnrecognizedClientException", ConfigurationError),
    ("ExpiredTokenException", ConfigurationError), ("InvalidParameterException", BadImageError),
    ("BadDocumentException", BadImageError), ("ValidationException", TransientError),
])
def test_textract_errors_are_sorted_by_the_one_classifier(code, error):
    engine, _ = stubbed_engine([code])
    with pytest.raises(error):
        read(engine, "etag")


def test_throttling_is_counted():
    engine, _ = stubbed_engine(["ThrottlingException", "ThrottlingException", load(RESPONSE)])
    read(engine, "etag")
    assert engine.counts["throttled"] == 2 and engine.counts["calls"] == 3


class Clock:
    def __init__(self):
        self.now = 1_000_000.25
        self.slept = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_fleet_rate_cap_hands_out_at_most_n_calls_per_second():
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        dynamodb.create_table(TableName="rate", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
        clock = Clock()
        # Two processes of two tasks share the cap through the table.
        a, b = (FleetRateLimiter("rate", 3, client=dynamodb, clock=clock, sleep=clock.sleep) for _ in range(2))
        seconds = []
        for limiter in (a, b, a, b, a, b, a):
            limiter.acquire()
            seconds.append(int(clock.now))
        assert [seconds.count(s) for s in sorted(set(seconds))] == [3, 3, 1]
        assert a.waits + b.waits == 2
        item = dynamodb.get_item(TableName="rate", Key={"id": {"S": "textract#1000000"}})["Item"]
        assert item["calls"]["N"] == "3" and int(item["expires"]["N"]) > 1_000_000


def test_a_missing_rate_table_is_a_configuration_fault():
    with mock_aws():
        limiter = FleetRateLimiter("no-such-table", 3, client=boto3.client("dynamodb"))
        with pytest.raises(ConfigurationError):
            limiter.acquire()
