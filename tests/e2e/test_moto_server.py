"""The SQS gap e2e/moto_server.py fills: a message goes to one of two consumers polling at once."""

from __future__ import annotations

import threading
import time

import boto3
import pytest
from moto import mock_aws
from moto.sqs.models import Message, SQSBackend

from e2e import moto_server  # importable: tests/e2e/conftest.py puts the repo on sys.path

CONSUMERS = 4


@pytest.fixture
def slow_marking(monkeypatch):
    """Widens moto's window between "is this message visible?" and "mark it received", the
    window two consumers polling at the same moment fall into by chance."""
    mark = Message.mark_received

    def slow(self, visibility_timeout=None):
        time.sleep(0.05)
        mark(self, visibility_timeout)

    monkeypatch.setattr(Message, "mark_received", slow)


def deliveries(queue_wait_s: int = 0) -> list[str]:
    """Bodies that CONSUMERS threads, receiving at the same moment, got of one queued message."""
    sqs = boto3.client("sqs", region_name="eu-central-1")
    url = sqs.create_queue(QueueName="pages")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="page")
    start = threading.Barrier(CONSUMERS)
    got: list[str] = []

    def consume():
        start.wait()
        response = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=queue_wait_s,
                                       VisibilityTimeout=60)
        got.extend(m["Body"] for m in response.get("Messages", []))

    threads = [threading.Thread(target=consume) for _ in range(CONSUMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return got


@mock_aws
def test_moto_alone_hands_one_message_to_several_consumers(slow_marking):
    """The gap itself: without the fill, the race is real (this is what CI hit)."""
    assert len(deliveries()) > 1


@mock_aws
@pytest.mark.parametrize("wait_s", [0, 1])
def test_one_consumer_gets_the_message(slow_marking, monkeypatch, wait_s):
    monkeypatch.setattr(SQSBackend, "receive_message", moto_server._receive_one_at_a_time)
    assert deliveries(wait_s) == ["page"]


@mock_aws
def test_long_poll_returns_a_message_sent_while_waiting(monkeypatch):
    monkeypatch.setattr(SQSBackend, "receive_message", moto_server._receive_one_at_a_time)
    sqs = boto3.client("sqs", region_name="eu-central-1")
    url = sqs.create_queue(QueueName="pages")["QueueUrl"]
    threading.Timer(0.3, sqs.send_message, kwargs={"QueueUrl": url, "MessageBody": "late"}).start()
    messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
    assert [m["Body"] for m in messages] == ["late"]
