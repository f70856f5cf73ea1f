"""Operator commands (upload, status, retry) against moto."""

from __future__ import annotations

import json
import time

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from eulereye import ops
from eulereye.cli import main


@pytest.fixture
def cloud():
    with mock_aws():
        s3, sqs = boto3.client("s3"), boto3.client("sqs")
        s3.create_bucket(Bucket="archive")
        dlq = sqs.create_queue(QueueName="work-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        work = sqs.create_queue(QueueName="work", Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})})["QueueUrl"]
        yield s3, sqs, work, dlq


def test_upload_is_resumable_and_skips_unchanged(cloud, tmp_path):
    s3, _, _, _ = cloud
    (tmp_path / "1890" / "03").mkdir(parents=True)
    (tmp_path / "1890" / "03" / "p 001.png").write_bytes(b"a" * 100)
    (tmp_path / "p+2.tif").write_bytes(b"b" * 50)
    (tmp_path / "notes.txt").write_text("not a page")
    assert ops.upload(s3, str(tmp_path), "archive") == {"uploaded": 2}
    assert ops.upload(s3, str(tmp_path), "archive") == {"skipped": 2}
    (tmp_path / "p+2.tif").write_bytes(b"c" * 50)  # same size, new content
    assert ops.upload(s3, str(tmp_path), "archive") == {"skipped": 1, "uploaded": 1}
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="archive")["Contents"])
    assert keys == ["input/1890/03/p 001.png", "input/p+2.tif"]


def test_a_file_that_keeps_failing_is_reported_and_the_rest_uploaded(cloud, tmp_path):
    s3, _, _, _ = cloud
    for name in ("a.png", "b.png", "c.png"):
        (tmp_path / name).write_bytes(name.encode() * 10)

    def refuse_b(params, **_):
        if params["Key"] == "input/b.png":
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "injected"},
                               "ResponseMetadata": {"HTTPStatusCode": 503}}, "PutObject")

    s3.meta.events.register("provide-client-params.s3.PutObject", refuse_b)
    assert ops.upload(s3, str(tmp_path), "archive") == {"uploaded": 2, "failed": 1}
    s3.meta.events.unregister("provide-client-params.s3.PutObject", refuse_b)
    assert ops.upload(s3, str(tmp_path), "archive") == {"uploaded": 1, "skipped": 2}


def test_operator_clients_retry_patiently():
    from eulereye.awsclients import OPERATOR_MAX_ATTEMPTS, operator_client

    with mock_aws():
        config = operator_client("s3").meta.config
    # botocore counts the first try too: max_attempts retries = that many + 1 attempts in all.
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] == OPERATOR_MAX_ATTEMPTS + 1


def test_status_and_retry(cloud, capsys):
    s3, sqs, work, dlq = cloud
    for key in ("input/1890/a.png", "input/1890/b.png", "input/1891/c.png"):
        s3.put_object(Bucket="archive", Key=key, Body=b"x")
    s3.put_object(Bucket="archive", Key="output/manifest/1890/a.json", Body=b'{"counts": {"words": 200}}')
    s3.put_object(Bucket="archive", Key="output/errors/1890/b.json",
                  Body=json.dumps({"input": {"key": "input/1890/b.png"}}).encode())
    sqs.send_message(QueueUrl=dlq, MessageBody=ops.page_event("archive", "input/1891/c.png"))

    report = ops.status(s3, sqs, "archive", work)
    assert report["folders"] == {"1890": {"inputs": 2, "done": 1, "failed": 1, "flagged": 0},
                                 "1891": {"inputs": 1, "done": 0, "failed": 0, "flagged": 0}}
    assert report["failed"] == {"1890/b": "1890/b: failed"}  # a record without a message
    assert report["queues"] == {"queued": 0, "in_flight": 0, "dead_letter": 1}

    assert ops.redrive(sqs, work) == 1
    assert ops.requeue_errors(s3, sqs, "archive", work) == 0  # input unchanged since it failed
    time.sleep(1.1)  # S3 timestamps have one-second resolution
    s3.put_object(Bucket="archive", Key="input/1890/b.png", Body=b"fixed")
    assert ops.requeue_errors(s3, sqs, "archive", work) == 1
    assert ops.status(s3, sqs, "archive", work)["queues"] == {"queued": 2, "in_flight": 0, "dead_letter": 0}

    assert main(["status", "--bucket", "archive", "--queue-url", work]) == 0
    assert "1890" in capsys.readouterr().out
