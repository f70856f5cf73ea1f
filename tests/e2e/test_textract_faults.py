"""Issue 11 with engine = textract on the local platform (real root module on moto, real scaler
and workers), Textract's answers injected at the boundary (the fault proxy): first the task
role is denied DetectDocumentText, then the fleet is throttled.

AccessDenied: every worker stops taking work and exits non-zero within a minute with one clear
log line, its messages untouched and no errors/ record for the pages. Throttling: the pages are
retried and finished, none lost or done twice, no page's Textract answer paid for twice, and
every throttled page call counted by the metric the textract-throttled-workers alarm watches."""

from __future__ import annotations

import hashlib
import re
import time

import pytest

from e2e.faultproxy import FaultPlan
from e2e.scenarios import run_scenario, tiny_page, upload
from eulereye.selfcheck import SELF_CHECK_DOCUMENT
from tests.e2e.test_local_cloud import assert_dead_letter_queue_empty, assert_nothing_lost

pytestmark = pytest.mark.xdist_group("e2e-textract")

PAGES = 6
EXIT_WITHIN_S = 60
# The first call a task makes is its self-check: it passes, the task takes a page, and that
# page's call is the first refused; every task started later fails its self-check.
DENIED = FaultPlan(textract_deny_from=2)
# Every document's first call is throttled (the self-check's too), and a fraction after that.
THROTTLED = FaultPlan(textract_throttle=0.3, textract_throttle_first=1, seed=11)
STOP_LINES = ("configuration fault", "self-check failed")  # what a stopping worker logs
# Requests that would change a message: none while the permission is missing.
MESSAGE_CHANGES = (("sqs", "DeleteMessage"), ("sqs", "DeleteMessageBatch"),
                   ("sqs", "ChangeMessageVisibility"), ("sqs", "ChangeMessageVisibilityBatch"))


def alarm_metric_events(cloud, metric: str) -> tuple[str, ...]:
    """The log events the deployed metric filter for ``metric`` counts (its pattern's
    ``$.event = "..."`` terms)."""
    filters = cloud.aws("logs").describe_metric_filters()["metricFilters"]
    pattern = next(f["filterPattern"] for f in filters
                   if f["metricTransformations"][0]["metricName"] == metric)
    return tuple(re.findall(r'\$\.event\s*=\s*"([^"]+)"', pattern))


def deny_then_throttle(outcome: dict):
    """``send`` of run_scenario: upload with Textract denied; wait until two workers stopped
    (one mid-run, one at its self-check); then lift the denial and throttle instead."""
    def send(cloud, local_dir, folder) -> dict:
        workers_before = {id(w) for w in cloud.runner.all_workers()}
        sent = upload(cloud, local_dir, folder)
        deadline = time.monotonic() + 2 * EXIT_WITHIN_S
        while time.monotonic() < deadline:
            stopped = [w for w in cloud.runner.all_workers()
                       if id(w) not in workers_before and w.ended_at is not None]
            if len(stopped) >= 2:
                break
            time.sleep(0.5)
        outcome["stopped"] = stopped
        outcome["requests"] = dict(cloud.proxy.requests)
        outcome["errors"] = cloud.aws("s3").list_objects_v2(
            Bucket=cloud.bucket, Prefix=f"{cloud.output_prefix}errors/{folder}/").get("KeyCount", 0)
        cloud.inject(THROTTLED)
        return sent
    return send


def test_j_textract_access_denied_then_throttling(textract_cloud, record, tmp_path):
    cloud = textract_cloud
    for i in range(PAGES):
        tiny_page(i, tmp_path / "j" / f"p{i}.png")
    denied: dict = {}
    run = run_scenario(cloud, "j: Textract AccessDenied, then throttling", tmp_path / "j",
                       timeout_s=300, faults=DENIED, send=deny_then_throttle(denied))

    calls = cloud.proxy.textract_calls
    self_check = hashlib.sha256(SELF_CHECK_DOCUMENT).hexdigest()
    pages_answered = {d: n for (d, answer), n in calls.items() if answer == "answered" and d != self_check}
    throttled_pages = sum(n for (d, answer), n in calls.items()
                          if answer == "ThrottlingException" and d != self_check)
    counted = sum(w.events[event] for w in cloud.runner.all_workers()
                  for event in alarm_metric_events(cloud, "TextractThrottled"))
    stopped = denied["stopped"]
    run.row.notes = (f"AccessDenied: {len(stopped)} workers exited "
                     f"{sorted({w.process.returncode for w in stopped})} after "
                     f"{', '.join(f'{w.ended_at - w.started_at:.1f}' for w in stopped)} s "
                     f"({', '.join(next(line for line in STOP_LINES if w.events[line]) for w in stopped)}); "
                     f"messages changed {sum(denied['requests'].get(op, 0) for op in MESSAGE_CHANGES)}, "
                     f"errors/ {denied['errors']}; throttling: {throttled_pages} page calls throttled, "
                     f"{counted} counted in TextractThrottled; Textract answers per page "
                     f"{sorted(set(pages_answered.values()))}")
    record(run.row)

    # AccessDenied: each worker stopped at once with one line, nothing recorded or deleted.
    assert len(stopped) >= 2, "fewer than two workers stopped while Textract was denied"
    for worker in stopped:
        assert worker.process.returncode == 3 and worker.ended_at - worker.started_at < EXIT_WITHIN_S
        assert sum(worker.events[line] for line in STOP_LINES) == 1, worker.events
        assert worker.events["page finished"] == 0
    assert {line for w in stopped for line in STOP_LINES if w.events[line]} == set(STOP_LINES)
    assert not any(denied["requests"].get(op) for op in MESSAGE_CHANGES), denied["requests"]
    assert denied["errors"] == 0
    # Throttling: every page done once, each Textract answer paid for once, throttling counted.
    assert_nothing_lost(run)
    assert run.ledger.done == {f"j/p{i}" for i in range(PAGES)} and not run.ledger.failed
    assert len(pages_answered) == PAGES and set(pages_answered.values()) == {1}, pages_answered
    assert throttled_pages >= PAGES and counted == throttled_pages
    assert_dead_letter_queue_empty(cloud)
