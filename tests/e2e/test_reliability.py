"""Issue 11's failure modes on the local platform (real root module on moto, real scaler and
workers), faults injected at the boundaries: nothing lost, nothing done twice, every failed
page with its reason in errors/, and a misconfigured worker stopped with its messages left."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from e2e.accounting import Row
from e2e.faultproxy import FaultPlan
from e2e.runner import KillPlan
from e2e.scenarios import put_objects, run_scenario, synthetic_page, tiny_page
from tests.e2e.test_local_cloud import assert_dead_letter_queue_empty, assert_nothing_lost

pytestmark = pytest.mark.xdist_group("e2e")

# Upload events of the bulk scenario, sent as EventBridge's SQS target sends them: batches of
# ten, several at once (e2e/moto_server.py keeps moto's SQS linear at this size).
BULK_EVENTS = 10_000
SENDERS = 4
MISCONFIGURED_EXIT_S = 60


def errors_record(cloud, name: str) -> dict:
    key = f"{cloud.output_prefix}errors/{name}.json"
    return json.loads(cloud.aws("s3").get_object(Bucket=cloud.bucket, Key=key)["Body"].read())


def drain_dead_letters(cloud) -> int:
    """Take the scenario's expected dead letters out, so later scenarios start clean."""
    sqs, url = cloud.aws("sqs"), cloud.outputs["dead_letter_queue_url"]
    taken = 0
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages"):
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            taken += 1
    return taken


def three_frame_tiff(path: Path) -> None:
    frames = []
    for i in range(3):
        png = path.with_name(f"frame{i}.png")
        tiny_page(i, png)
        with Image.open(png) as image:
            frames.append(image.copy())
        png.unlink()
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:])


def test_e_three_frame_tiff_with_an_s3_fault_on_frame_2(local_cloud, record, tmp_path):
    three_frame_tiff(tmp_path / "e" / "scan.tif")
    fault = FaultPlan(s3_put_fail_keys=(f"{local_cloud.output_prefix}alto/e/scan_f0002.xml",))
    run = run_scenario(local_cloud, "e: 3-frame TIFF, S3 503 on frame 2", tmp_path / "e",
                       timeout_s=120, faults=fault)
    frames = {f"e/scan_f000{i}": local_cloud.proxy.stored[
        f"{local_cloud.bucket}/{local_cloud.output_prefix}manifest/e/scan_f000{i}.json"] for i in (1, 2, 3)}
    run.row.notes = f"frame manifests written {list(frames.values())}"
    record(run.row)
    assert run.ledger.done == {"e/scan"} and not run.ledger.lost
    assert run.row.s3_slowdowns == 1  # the fault did happen
    assert frames == {name: 1 for name in frames}  # the retry wrote exactly the missing frames
    assert_dead_letter_queue_empty(local_cloud)


def test_f_a_page_that_kills_its_process_among_50_good_ones(local_cloud, record, tmp_path):
    for i in range(50):
        tiny_page(i, tmp_path / "f" / f"p{i:02d}.png")
    synthetic_page(3, tmp_path / "f" / "poison.png")
    run = run_scenario(local_cloud, "f: a page killing its process, among 50", tmp_path / "f",
                       timeout_s=300, kills=KillPlan(poison_keys=("f/poison.png",)))
    poisoned = sum(w.poisoned for w in local_cloud.runner.all_workers())
    dead_letters = drain_dead_letters(local_cloud)
    run.row.notes = f"page processes killed by the poison page: {poisoned}; DLQ: {dead_letters}"
    record(run.row)
    assert_nothing_lost(run)
    assert run.ledger.done == {f"f/p{i:02d}" for i in range(50)}
    assert run.ledger.failed == {"f/poison"}
    record_ = errors_record(local_cloud, "f/poison")
    assert record_["error"] == "PageCrashedError" and "SIGKILL" in record_["message"], record_
    assert dead_letters == 1 and poisoned >= 2
    # The operator's view: `eulereye status --failures` lists the poison page with its reason.
    listed = local_cloud.eulereye("status", "--bucket", local_cloud.bucket, "--failures", "--json")
    assert "f/poison" in json.loads(listed.stdout)["PageCrashedError"]["pages"], listed.stdout


def test_g_worker_with_a_missing_model_stops_at_once_and_leaves_its_messages(local_cloud, record, tmp_path):
    scaler = local_cloud.aws("lambda").get_function_configuration(
        FunctionName=local_cloud.scaler_function())["Environment"]["Variables"]
    started = time.perf_counter()
    task = local_cloud.aws("ecs").run_task(  # as the scaler starts a worker, one setting wrong
        cluster=local_cloud.outputs["cluster_name"], taskDefinition=local_cloud.outputs["task_definition_arn"],
        count=1, launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {"subnets": scaler["EULEREYE_SUBNETS"].split(","),
                                                      "securityGroups": scaler["EULEREYE_SECURITY_GROUPS"].split(",")}},
        overrides={"containerOverrides": [{"name": scaler["EULEREYE_CONTAINER_NAME"], "environment": [
            {"name": "EULEREYE_LANG", "value": "nosuchlang"}]}]})["tasks"][0]
    for i in range(3):
        tiny_page(i, tmp_path / "g" / f"p{i}.png")
    run = run_scenario(local_cloud, "g: a worker with a missing model", tmp_path / "g", timeout_s=180,
                       send=put_objects)
    worker = next(w for w in local_cloud.runner.all_workers() if w.task_arn == task["taskArn"])
    deadline = started + MISCONFIGURED_EXIT_S
    while not worker.finished() and time.perf_counter() < deadline:
        time.sleep(0.5)
    exit_s = time.perf_counter() - started
    run.row.notes = f"misconfigured worker exited {worker.process.returncode} after {exit_s:.1f} s"
    record(run.row)
    assert worker.process.returncode == 3 and exit_s < MISCONFIGURED_EXIT_S
    assert worker.events["self-check failed"] == 1 and worker.events["received"] == 0  # untouched
    assert_nothing_lost(run)
    assert run.ledger.done == {f"g/p{i}" for i in range(3)}  # a healthy worker took them later


def send_upload_events(cloud, count: int) -> None:
    """What EventBridge delivers to the nudge queue for ``count`` uploads under input/h/."""
    from concurrent.futures import ThreadPoolExecutor

    sqs, url = cloud.aws("sqs"), cloud.outputs["nudge_queue_url"]

    def event(i: int) -> str:
        return json.dumps({"detail-type": "Object Created", "source": "aws.s3",
                           "detail": {"bucket": {"name": cloud.bucket}, "object": {"key": f"input/h/p{i:05d}.png"}}})

    def send_batch(start: int) -> None:
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": event(start + i)} for i in range(min(10, count - start))])

    with ThreadPoolExecutor(SENDERS) as senders:
        list(senders.map(send_batch, range(0, count, 10)))


def test_h_bulk_upload_cannot_flood_the_scalers_failure_queue(local_cloud, record):
    runner = local_cloud.runner
    failures_url = local_cloud.outputs["scaler_failure_queue_url"]
    before, taken_before = Counter(runner.invocations), runner.nudges_taken
    started = time.perf_counter()
    send_upload_events(local_cloud, BULK_EVENTS)
    sent_s = time.perf_counter() - started
    deadline = started + 600
    while runner.nudges_taken - taken_before < BULK_EVENTS and time.perf_counter() < deadline:
        time.sleep(0.5)
    wall_s = time.perf_counter() - started
    invoked = runner.invocations - before
    failed = local_cloud.backlog(failures_url)
    record(Row(figure=f"h: bulk upload, {BULK_EVENTS:,} upload events", pages=0, done=0, failed=0,
               lost=0, duplicates=0, run_task_calls=0, throttled=0, s3_slowdowns=0, workers=0,
               killed=0, wall_s=wall_s,
               notes=f"sent in {sent_s:.1f} s (SendMessageBatch of 10, {SENDERS} senders); scaler "
                     f"invocations: {invoked['nudges']} for the nudges, {invoked['schedule']} scheduled, "
                     f"{invoked['failed']} failed for good; failure queue depth {failed}"))
    assert runner.nudges_taken - taken_before == BULK_EVENTS
    assert local_cloud.backlog(local_cloud.outputs["nudge_queue_url"]) == 0
    assert failed == 0 and invoked["failed"] == 0
    assert invoked["nudges"] * 100 <= BULK_EVENTS  # batches of nudges, not one invocation per object


def lose_events_then_reconcile(cloud, local_dir: Path, folder: str) -> dict:
    """The uploads' events are lost (the bucket's EventBridge notifications are off while they
    land); `eulereye reconcile` then finds the pages and queues them."""
    s3 = cloud.aws("s3")
    notifications = {k: v for k, v in s3.get_bucket_notification_configuration(Bucket=cloud.bucket).items()
                     if k != "ResponseMetadata"}
    s3.put_bucket_notification_configuration(Bucket=cloud.bucket, NotificationConfiguration={})
    try:
        sent = put_objects(cloud, local_dir, folder)
    finally:
        s3.put_bucket_notification_configuration(Bucket=cloud.bucket, NotificationConfiguration=notifications)
    assert cloud.backlog(cloud.outputs["queue_url"]) == 0  # nothing reached the queue
    done = cloud.eulereye("reconcile", "--bucket", cloud.bucket, "--queue-url", cloud.outputs["queue_url"])
    if done.returncode:
        raise RuntimeError(f"eulereye reconcile failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return {**sent, "reconciled": json.loads(done.stdout)}


def test_i_lost_events_are_repaired_by_reconcile(local_cloud, record, tmp_path):
    for i in range(5):
        tiny_page(i, tmp_path / "i" / f"p{i}.png")
    run = run_scenario(local_cloud, "i: 5 uploads whose events were lost, reconciled", tmp_path / "i",
                       timeout_s=180, send=lose_events_then_reconcile)
    run.row.notes = f"reconcile queued {run.uploaded['reconciled']['queued']}"
    record(run.row)
    assert run.uploaded["reconciled"]["queued"] == 5
    assert_nothing_lost(run)
    assert run.ledger.done == {f"i/p{i}" for i in range(5)}
    again = local_cloud.eulereye("reconcile", "--bucket", local_cloud.bucket,
                                 "--queue-url", local_cloud.outputs["queue_url"])
    assert json.loads(again.stdout)["unsettled"] == 0  # safe to run again: nothing to do
    assert_dead_letter_queue_empty(local_cloud)
