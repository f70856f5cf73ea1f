"""Poison pages with real worker processes (a moto server, as pool processes cannot share an
in-process mock): a page that kills its process or hangs fails alone; on its last delivery it
gets an errors/ record with the reason before its message goes to the DLQ. And configuration
faults stop the worker with its messages untouched."""

from __future__ import annotations

import json
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor

import boto3
import pytest

from eulereye.isolation import death_reason, pixel_limits
from eulereye.logs import configure
from eulereye.pagework import default_pipeline, init_process, run_alone
from eulereye.worker import Worker, main
from tests.cloud.conftest import error_response
from tests.cloud.test_worker import BUCKET, eventbridge, png, settings_for
from tools.local_aws import MotoServer

MAX_RECEIVES = 2


def poisoned_pipeline(settings, store):
    """The real pipeline, except that page 'poison' kills its process and 'hang' never ends."""
    pipeline = default_pipeline(settings, store)
    process_file = pipeline.process_file

    def process(data, relpath, **kwargs):
        if relpath.startswith("poison"):
            os.kill(os.getpid(), signal.SIGKILL)
        if relpath.startswith("hang"):
            time.sleep(3600)
        if relpath.startswith("slow"):
            time.sleep(3)
        return process_file(data, relpath, **kwargs)

    pipeline.process_file = process
    return pipeline


@pytest.fixture
def server(monkeypatch, tmp_path):
    with MotoServer(log_path=tmp_path / "moto.log") as moto:
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto.endpoint_url)
        s3, sqs = boto3.client("s3"), boto3.client("sqs")
        s3.create_bucket(Bucket=BUCKET)
        dlq = sqs.create_queue(QueueName="work-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        queue = sqs.create_queue(QueueName="work", Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVES)})})["QueueUrl"]
        yield s3, sqs, queue, dlq


def upload(s3, sqs, queue, names):
    for name in names:
        s3.put_object(Bucket=BUCKET, Key=f"input/{name}.png", Body=png(f"Page {name} of the archive"))
        sqs.send_message(QueueUrl=queue, MessageBody=eventbridge(f"input/{name}.png"))


def poisoned_worker(queue, sqs, **overrides) -> Worker:
    settings = settings_for(queue, idle_seconds=4, **overrides)
    return Worker(settings, sqs, slots=2, max_wait_seconds=1, max_receives=MAX_RECEIVES,
                  executor_factory=lambda s, n: ProcessPoolExecutor(n, initializer=init_process,
                                                                    initargs=(s, poisoned_pipeline)),
                  alone_factory=lambda s, job: run_alone(s, job, poisoned_pipeline))


def error_record(s3, name) -> dict:
    return json.loads(s3.get_object(Bucket=BUCKET, Key=f"output/errors/{name}.json")["Body"].read())


def depth(sqs, queue) -> int:
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def manifests(s3) -> list[str]:
    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix="output/manifest/").get("Contents", [])
    return sorted(o["Key"].rsplit("/", 1)[-1] for o in listing)


@pytest.mark.parametrize("poison, reason", [("poison", "SIGKILL"), ("hang", "timed out after 4 s")])
def test_a_page_that_kills_or_hangs_its_process_fails_alone_with_its_reason(server, poison, reason, capsys):
    s3, sqs, queue, dlq = server
    configure("json")
    good = [f"good{i}" for i in range(3)]
    upload(s3, sqs, queue, [good[0], poison, *good[1:]])

    worker = poisoned_worker(queue, sqs, page_timeout=4)
    assert worker.run() == 0

    assert manifests(s3) == [f"{name}.json" for name in good]  # the neighbours were not lost
    record = error_record(s3, poison)
    assert record["error"] == "PageCrashedError" and reason in record["message"], record
    assert record["input"]["key"] == f"input/{poison}.png"
    # The record came on the last delivery; the message then moves to the DLQ on its next receive.
    assert sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=3).get("Messages") is None
    assert depth(sqs, dlq) == 1
    # A neighbour finished just before the pool broke is found done when it runs alone again.
    assert worker.counts["ok"] + worker.counts["skipped"] == 3 and worker.counts["crashed"] >= 2
    # Failed for good: counted by the PagesFailed metric filter (modules/monitoring/operations.tf).
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    finished = [line for line in lines if line.get("event") == "page finished" and line.get("page") == poison]
    assert [line["status"] for line in finished] == ["failed"]


def test_a_neighbour_of_a_crash_is_done_once_not_also_by_its_old_process(server):
    """The broken pool's surviving process (it ignores SIGTERM) is killed before the page it
    held runs again alone: each manifest is written once (versions count the writes)."""
    s3, sqs, queue, _ = server
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    upload(s3, sqs, queue, ["slow", "poison"])
    assert poisoned_worker(queue, sqs).run() == 0
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix="output/manifest/slow").get("Versions", [])
    assert len(versions) == 1, versions


def denied_pipeline(settings, store):
    """The real pipeline with a task role that may not read the bucket (S3 answers 403)."""
    store.client.meta.events.register_first("before-call.s3.GetObject",
                                            lambda **_: error_response("AccessDenied", 403))
    return default_pipeline(settings, store)


def test_an_access_denied_stops_the_worker_and_leaves_the_messages(server):
    s3, sqs, queue, _ = server
    upload(s3, sqs, queue, ["a", "b"])
    settings = settings_for(queue, idle_seconds=4)
    worker = Worker(settings, sqs, slots=2, max_wait_seconds=1, max_receives=MAX_RECEIVES,
                    executor_factory=lambda s, n: ProcessPoolExecutor(n, initializer=init_process,
                                                                      initargs=(s, denied_pipeline)))
    assert worker.run() == 3
    assert depth(sqs, queue) == 2  # untouched: still there for a fixed worker
    assert s3.list_objects_v2(Bucket=BUCKET, Prefix="output/").get("KeyCount", 0) == 0


def test_a_missing_language_model_fails_the_self_check_within_seconds(server):
    s3, sqs, queue, _ = server
    upload(s3, sqs, queue, ["a"])
    started = time.monotonic()
    assert main(settings_for(queue, lang="nosuchlang")) == 3
    assert time.monotonic() - started < 60
    assert depth(sqs, queue) == 1
    message = sqs.receive_message(QueueUrl=queue, MessageSystemAttributeNames=["ApproximateReceiveCount"])
    assert message["Messages"][0]["Attributes"]["ApproximateReceiveCount"] == "1"  # never taken


def test_an_unknown_bucket_fails_the_self_check(server):
    _, sqs, queue, _ = server
    assert main(settings_for(queue, bucket="no-such-bucket")) == 3


def test_death_reasons_and_pixel_limits():
    assert "SIGSEGV" in death_reason(-signal.SIGSEGV, 0)
    assert "SIGKILL" in death_reason(-signal.SIGKILL, 10**9) and "memory" in death_reason(-signal.SIGKILL, 10**9)
    assert "code 1" in death_reason(1, 0)
    shared, alone = pixel_limits(0, slots=4, memory=2 * 2**30)
    assert alone == 4 * shared and alone < 400_000_000
    assert pixel_limits(1000, slots=2, memory=8 * 2**30) == (1000, 1000)
