"""`eulereye reconcile`: inputs never settled (a lost event or message) are queued again, once,
and only when it is safe."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from eulereye.reconcile import reconcile
from eulereye.messages import parse_message

BUCKET = "archive"


def manifest(frame: int = 1, frames: int = 1) -> bytes:
    return json.dumps({"status": "ok", "image": {"frame": frame, "frames": frames}}).encode()


@pytest.fixture
def bucket():
    with mock_aws():
        s3, sqs = boto3.client("s3"), boto3.client("sqs")
        s3.create_bucket(Bucket=BUCKET)
        queue = sqs.create_queue(QueueName="work")["QueueUrl"]
        for key in ("input/done.png", "input/lost.png", "input/half.tif", "input/failed.png",
                    "input/x/../evil.png", "input/notes.txt", "input/scan.tif", "input/scan.PNG"):
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"page")
        outputs = {"manifest/done.json": manifest(), "manifest/half_f0001.json": manifest(1, 3),
                   "manifest/half_f0002.json": manifest(2, 3), "errors/failed.json": b"{}",
                   "errors/x/%2E%2E/evil.json": b"{}", "manifest/scan.tif.json": manifest()}
        for key, body in outputs.items():
            s3.put_object(Bucket=BUCKET, Key=f"output/{key}", Body=body)
        yield s3, sqs, queue


def queued_keys(sqs, queue) -> list[str]:
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
    return sorted(j.key for m in messages
                  for j in parse_message(m["Body"], bucket=BUCKET, input_prefix="input/").jobs)


def test_unsettled_inputs_are_queued_once_and_nothing_while_the_queue_is_busy(bucket):
    s3, sqs, queue = bucket
    dry = reconcile(s3, sqs, BUCKET, queue, dry_run=True)
    assert dry.queued == 0
    result = reconcile(s3, sqs, BUCKET, queue)
    unsettled = ["input/half.tif", "input/lost.png", "input/scan.PNG"]  # scan.PNG: named scan.PNG
    assert sorted(result.unsettled) == unsettled == sorted(dry.unsettled)
    assert (result.inputs, result.done, result.failed, result.queued) == (7, 2, 2, 3)

    again = reconcile(s3, sqs, BUCKET, queue)  # the first pass's messages are still queued
    assert again.queue_busy == 3 and again.queued == 0
    assert queued_keys(sqs, queue) == unsettled


def test_while_busy_queues_anyway(bucket):
    s3, sqs, queue = bucket
    sqs.send_message(QueueUrl=queue, MessageBody="{}")
    assert reconcile(s3, sqs, BUCKET, queue).queued == 0
    assert reconcile(s3, sqs, BUCKET, queue, while_busy=True).queued == 3
