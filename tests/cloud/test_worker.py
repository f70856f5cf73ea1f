"""The worker against moto (S3 + SQS) with the real pipeline (classical segmenter, Tesseract),
pages run in a thread pool so they share moto's in-process mock."""

from __future__ import annotations

import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote_plus

import boto3
import pytest
from moto import mock_aws
from PIL import Image

from eulereye.config import Settings
from eulereye.errors import TransientError
from eulereye.outputs.s3store import S3Store
from eulereye.messages import parse_message
from eulereye.pagework import default_pipeline, init_process
from eulereye.worker import Worker
from tests.cloud.conftest import error_response
from tests.conftest import text_page

BUCKET = "archive"
KEYS = ["input/1890/03/p.001.tif", "input/with space/page 2.png", "input/plus+sign.png",
        "input/unicodé/Zeitung_Ü.png", "input/a.b.c/deep/er/p.v2.jpg"]


def eventbridge(key: str, bucket: str = BUCKET) -> str:
    return json.dumps({"version": "0", "detail-type": "Object Created", "source": "aws.s3",
                       "detail": {"bucket": {"name": bucket}, "object": {"key": key, "size": 1, "etag": "x"}}})


def classic(key: str, event: str = "ObjectCreated:Put") -> str:
    return json.dumps({"Records": [{"eventSource": "aws:s3", "eventName": event, "s3": {
        "bucket": {"name": BUCKET}, "object": {"key": quote_plus(key, safe="/"), "size": 1}}}]})


# --- messages ----------------------------------------------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_both_event_shapes_give_the_same_key(key):
    for body in (eventbridge(key), classic(key)):
        parsed = parse_message(body, bucket=BUCKET, input_prefix="input/")
        assert [(j.key, j.relpath) for j in parsed.jobs] == [(key, key[len("input/"):])]


def test_classic_plus_means_space_and_percent_2b_means_plus():
    body = classic("x").replace('"x"', '"input/a+b%2Bc.png"')
    (job,) = parse_message(body, bucket=BUCKET, input_prefix="input/").jobs
    assert job.key == "input/a b+c.png"


def test_sns_wrapped_notification_is_unwrapped():
    body = json.dumps({"Type": "Notification", "Message": classic("input/p.png")})
    assert [j.key for j in parse_message(body, bucket=BUCKET, input_prefix="input/").jobs] == ["input/p.png"]


@pytest.mark.parametrize("body", [
    eventbridge("output/alto/p.xml"), eventbridge("input/notes.txt"), eventbridge("input/p.png", "other"),
    classic("input/p.png", "ObjectRemoved:Delete"), json.dumps({"Event": "s3:TestEvent"}), "not json",
    json.dumps({"detail-type": "Object Deleted", "detail": {}}),
])
def test_other_messages_are_ignored_with_a_reason(body):
    parsed = parse_message(body, bucket=BUCKET, input_prefix="input/")
    assert not parsed.jobs and parsed.ignored


def test_unsupported_image_types_are_pages_that_will_fail():
    parsed = parse_message(eventbridge("input/p.gif"), bucket=BUCKET, input_prefix="input/")
    assert [j.relpath for j in parsed.jobs] == ["p.gif"]


# --- S3 store --------------------------------------------------------------------------------

def test_s3store_round_trip_and_5xx_is_transient():
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        store = S3Store(s3, BUCKET, "output")
        store.put("alto/p.xml", b"<alto/>", "application/xml")
        assert s3.get_object(Bucket=BUCKET, Key="output/alto/p.xml")["ContentType"] == "application/xml"
        assert store.get("alto/p.xml") == b"<alto/>" and store.get("alto/none.xml") is None
        store.delete("alto/p.xml")
        assert store.get("alto/p.xml") is None
        for code, status in (("SlowDown", 503), ("InternalError", 500)):
            s3.meta.events.register_first("before-call.s3.PutObject", lambda **_: error_response(code, status),
                                          unique_id="fault")
            with pytest.raises(TransientError):
                store.put("alto/p.xml", b"x")
            s3.meta.events.unregister("before-call.s3.PutObject", unique_id="fault")
        s3.meta.events.register_first("before-call.s3.GetObject", lambda **_: error_response("AccessDenied", 403))
        with pytest.raises(Exception) as denied:
            store.get("alto/p.xml")
        assert not isinstance(denied.value, TransientError)


# --- the worker --------------------------------------------------------------------------------

def png(words: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(text_page([words], size=(500, 140))).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def cloud():
    with mock_aws():
        s3, sqs = boto3.client("s3"), boto3.client("sqs")
        s3.create_bucket(Bucket=BUCKET)
        queue_url = sqs.create_queue(QueueName="work")["QueueUrl"]
        yield s3, sqs, queue_url


def settings_for(queue_url: str, **overrides) -> Settings:
    values = dict(bucket=BUCKET, queue_url=queue_url, engine="tesseract", segmenter="classical",
                  idle_seconds=1, visibility_timeout=2, stop_grace_seconds=30)
    return Settings(**{**values, **overrides})


def threads(make_pipeline=default_pipeline):
    """One pool thread: the worker still holds up to ``slots`` messages, but pages run one at a
    time, as the pipeline (one per pool process in production) is not shared between threads."""
    return lambda settings, slots: ThreadPoolExecutor(1, initializer=init_process,
                                                      initargs=(settings, make_pipeline))


def run_worker(queue_url, sqs, make_pipeline=default_pipeline, slots=2, **overrides) -> Worker:
    worker = Worker(settings_for(queue_url, **overrides), sqs, slots=slots,
                    executor_factory=threads(make_pipeline), max_wait_seconds=1)
    assert worker.run() == 0
    return worker


def keys_under(s3, prefix: str) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))


def queue_depth(sqs, queue_url) -> int:
    attrs = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def record_puts(monkeypatch) -> list[str]:
    """Every output path the workers' stores write, in order."""
    puts = []
    original = S3Store.put
    monkeypatch.setattr(S3Store, "put", lambda self, relpath, *a: (puts.append(relpath), original(self, relpath, *a))[1])
    return puts


def test_every_key_shape_processed_once_with_manifest_last(cloud, monkeypatch):
    s3, sqs, queue_url = cloud
    for key in KEYS:
        data = png("Hello archive")
        if key.endswith(".tif"):
            buffer = io.BytesIO()
            Image.open(io.BytesIO(data)).save(buffer, format="TIFF")
            data = buffer.getvalue()
        elif key.endswith(".jpg"):
            buffer = io.BytesIO()
            Image.open(io.BytesIO(data)).save(buffer, format="JPEG")
            data = buffer.getvalue()
        s3.put_object(Bucket=BUCKET, Key=key, Body=data)
        sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(key))
    sqs.send_message(QueueUrl=queue_url, MessageBody=classic(KEYS[1]))  # a duplicate event
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge("input/readme.txt"))
    puts = record_puts(monkeypatch)

    worker = run_worker(queue_url, sqs)

    names = [k[len("input/"):].rsplit(".", 1)[0] for k in KEYS]
    assert keys_under(s3, "output/manifest/") == sorted(f"output/manifest/{n}.json" for n in names)
    for name in names:
        text = s3.get_object(Bucket=BUCKET, Key=f"output/ocr_plain_text/{name}.txt")["Body"].read().decode()
        assert "archive" in text.lower()
        own = [p for p in puts if p.split("/", 1)[1].startswith(name + ".")]
        assert own[-1] == f"manifest/{name}.json" and own.count(own[-1]) == 1
    manifest = json.loads(s3.get_object(Bucket=BUCKET, Key=f"output/manifest/{names[1]}.json")["Body"].read())
    assert manifest["input"]["key"] == KEYS[1] and manifest["input"]["etag"]
    assert worker.counts["ok"] == 5 and worker.counts["skipped"] == 1 and worker.counts["ignored"] == 1
    assert queue_depth(sqs, queue_url) == 0


def test_corrupt_page_is_recorded_and_its_message_deleted(cloud):
    s3, sqs, queue_url = cloud
    s3.put_object(Bucket=BUCKET, Key="input/broken.png", Body=b"\x89PNG not really")
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge("input/broken.png"))
    worker = run_worker(queue_url, sqs)
    error = json.loads(s3.get_object(Bucket=BUCKET, Key="output/errors/broken.json")["Body"].read())
    assert error["input"]["key"] == "input/broken.png" and error["error"] == "BadImageError"
    assert worker.counts["failed"] == 1 and queue_depth(sqs, queue_url) == 0
    assert keys_under(s3, "output/manifest/") == []


def test_s3_5xx_on_put_leaves_the_message_and_the_retry_completes(cloud):
    s3, sqs, queue_url = cloud
    s3.put_object(Bucket=BUCKET, Key="input/p.png", Body=png("Second time lucky"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge("input/p.png"))
    failures = iter([True])

    def flaky(settings, store):
        original = store.put

        def put(relpath, *args):
            if relpath.startswith("alto/") and next(failures, False):
                raise TransientError("put: 503 SlowDown (injected)")
            return original(relpath, *args)

        store.put = put
        return default_pipeline(settings, store)

    worker = run_worker(queue_url, sqs, make_pipeline=flaky, idle_seconds=4)
    assert worker.counts["transient"] == 1 and worker.counts["ok"] == 1
    assert keys_under(s3, "output/manifest/") == ["output/manifest/p.json"]
    assert queue_depth(sqs, queue_url) == 0


class Killed(BaseException):
    """The worker process dying mid-page (SIGKILL, out of memory): nothing after it runs."""


def test_worker_killed_mid_page_redelivers_and_the_page_is_done_once(cloud, monkeypatch):
    s3, sqs, queue_url = cloud
    s3.put_object(Bucket=BUCKET, Key="input/p.png", Body=png("Killed mid page"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge("input/p.png"))

    def dies_after_first_output(settings, store):
        original = store.put

        def put(relpath, *args):
            original(relpath, *args)
            raise Killed()

        store.put = put
        return default_pipeline(settings, store)

    with pytest.raises(Killed):
        run_worker(queue_url, sqs, make_pipeline=dies_after_first_output)
    assert keys_under(s3, "output/manifest/") == []  # half a page: no manifest, so not done
    assert queue_depth(sqs, queue_url) == 1  # the message is still there, invisible

    puts = record_puts(monkeypatch)
    worker = run_worker(queue_url, sqs, idle_seconds=4)  # the visibility timeout (2 s) runs out
    assert worker.counts["ok"] == 1
    assert puts.count("manifest/p.json") == 1
    assert queue_depth(sqs, queue_url) == 0


def test_slow_page_keeps_its_message_hidden(cloud):
    s3, sqs, queue_url = cloud
    s3.put_object(Bucket=BUCKET, Key="input/p.png", Body=png("Slow page"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge("input/p.png"))

    def slow(settings, store):
        pipeline = default_pipeline(settings, store)
        process_file = pipeline.process_file
        pipeline.process_file = lambda *a, **k: (time.sleep(5), process_file(*a, **k))[1]
        return pipeline

    worker = run_worker(queue_url, sqs, make_pipeline=slow, slots=2)  # 5 s page, 2 s visibility
    assert worker.counts == {**worker.counts, "ok": 1, "skipped": 0}
    assert queue_depth(sqs, queue_url) == 0


def test_sigterm_finishes_the_page_in_progress_and_takes_no_more(cloud):
    s3, sqs, queue_url = cloud
    for key in ("input/a.png", "input/b.png"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=png("Spot interruption"))
        sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(key))
    worker: Worker | None = None

    def stop_on_first_page(settings, store):
        pipeline = default_pipeline(settings, store)
        process_file = pipeline.process_file

        def process(*a, **k):
            worker.stop()  # SIGTERM arrives while this page is under way
            return process_file(*a, **k)

        pipeline.process_file = process
        return pipeline

    worker = Worker(settings_for(queue_url), sqs, slots=1, executor_factory=threads(stop_on_first_page),
                    max_wait_seconds=1)
    assert worker.run() == 0
    assert worker.counts["ok"] == 1
    assert len(keys_under(s3, "output/manifest/")) == 1
    assert queue_depth(sqs, queue_url) == 1  # the other page waits for the next worker


def test_sigterm_past_the_grace_period_releases_the_message(cloud):
    s3, sqs, queue_url = cloud
    s3.put_object(Bucket=BUCKET, Key="input/a.png", Body=png("Too slow"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge("input/a.png"))
    worker: Worker | None = None

    def stop_and_hang(settings, store):
        pipeline = default_pipeline(settings, store)
        pipeline.process_file = lambda *a, **k: (worker.stop(), time.sleep(3))
        return pipeline

    worker = Worker(settings_for(queue_url, stop_grace_seconds=0, visibility_timeout=60), sqs, slots=1,
                    executor_factory=threads(stop_and_hang), max_wait_seconds=1)
    assert worker.run() == 0
    # released at once (visibility 0), not after the 60 s visibility timeout
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages", [])
    assert len(messages) == 1


def test_missing_configuration_exits_2():
    from eulereye.worker import main

    assert main(Settings()) == 2


def test_a_page_already_done_is_skipped_without_downloading_it(cloud, monkeypatch):
    s3, sqs, queue_url = cloud
    key = "input/1890/p.001.png"
    s3.put_object(Bucket=BUCKET, Key=key, Body=png("Hello archive"))
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(key))
    run_worker(queue_url, sqs)
    downloads = []
    original = boto3.client

    def counting_client(*args, **kwargs):  # the worker's S3 client, counting GETs of the page
        client = original(*args, **kwargs)
        client.meta.events.register("before-call.s3.GetObject",
                                    lambda params, **_: downloads.append(params["url_path"]))
        return client

    monkeypatch.setattr(boto3, "client", counting_client)
    sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(key))  # a redelivered event
    worker = run_worker(queue_url, sqs)
    assert (worker.counts["skipped"], worker.counts["ok"]) == (1, 0)
    assert not [path for path in downloads if "input/" in path]


def test_one_naming_rule_in_the_cloud_and_bad_keys_refused(cloud):
    """scan.tif and scan.png beside each other keep their extension, as `eulereye process` names
    them; a key with '..' or a control character gets an errors/ record and its message goes."""
    s3, sqs, queue_url = cloud
    for key in ("input/a/scan.tif", "input/a/scan.png", "input/b/scan.png"):
        data = png("Same stem")
        if key.endswith(".tif"):
            buffer = io.BytesIO()
            Image.open(io.BytesIO(data)).save(buffer, format="TIFF")
            data = buffer.getvalue()
        s3.put_object(Bucket=BUCKET, Key=key, Body=data)
        sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(key))
    for key in ("input/x/../evil.png", "input/bell\x07.png"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=png("Refused"))
        sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(key))

    worker = run_worker(queue_url, sqs)

    assert keys_under(s3, "output/manifest/") == ["output/manifest/a/scan.png.json",
                                                  "output/manifest/a/scan.tif.json",
                                                  "output/manifest/b/scan.json"]
    assert keys_under(s3, "output/errors/") == ["output/errors/bell%07.json", "output/errors/x/%2E%2E/evil.json"]
    assert worker.counts["failed"] == 2 and queue_depth(sqs, queue_url) == 0
