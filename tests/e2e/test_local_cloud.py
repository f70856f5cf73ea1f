"""End to end on the local platform: the real root module applied to a moto server, the real
scaler and workers, pages in through `eulereye upload`, results read back from the bucket."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from e2e.faultproxy import FaultPlan
from e2e.runner import KillPlan
from e2e.scenarios import bad_inputs, put_objects, run_scenario, synthetic_pages, tiny_page
from eulereye.textmetrics import cer

pytestmark = pytest.mark.xdist_group("e2e")

# The pipeline's accuracy target (order-aware CER, see docs/accuracy.md) holds in the cloud too.
MAX_CER = 0.02
BURST_FAULTS = FaultPlan(run_task_throttle=0.10, run_task_throttle_first=2, s3_put_slowdown=0.05,
                         seed=6)
BURST_KILLS = KillPlan(fraction=0.05, minimum=2, seed=6)


def read_text(cloud, name: str) -> str:
    key = f"{cloud.output_prefix}ocr_plain_text/{name}.txt"
    return cloud.aws("s3").get_object(Bucket=cloud.bucket, Key=key)["Body"].read().decode()


def manifest(cloud, name: str) -> dict:
    key = f"{cloud.output_prefix}manifest/{name}.json"
    return json.loads(cloud.aws("s3").get_object(Bucket=cloud.bucket, Key=key)["Body"].read())


def assert_nothing_lost(run) -> None:
    assert not run.ledger.lost, f"lost pages: {sorted(run.ledger.lost)[:20]}"
    assert run.row.duplicates == 0, {p: n for p, n in run.written.items() if n > 1}


def assert_dead_letter_queue_empty(cloud) -> None:
    assert cloud.backlog(cloud.outputs["dead_letter_queue_url"]) == 0


def assert_status_agrees(run, folder: str) -> None:
    """`eulereye status` tells the operator what the bucket says."""
    counts = run.status["folders"][folder]
    assert counts.get("inputs", 0) == run.row.pages
    assert (counts.get("done", 0), counts.get("failed", 0)) == (run.row.done, run.row.failed)
    assert run.status["queues"]["dead_letter"] == 0


@pytest.fixture(scope="session")
def generated_pages(tmp_path_factory):
    """Scenario a's pages, made in another process while the platform is being applied (the
    test asks for this fixture before local_cloud): the folder and the pending texts."""
    folder = tmp_path_factory.mktemp("generated") / "a"
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield folder, pool.submit(synthetic_pages, folder, range(20))


def test_a_generated_pages(generated_pages, local_cloud, record):
    folder, pending = generated_pages
    texts = pending.result()
    run = run_scenario(local_cloud, "a: 20 generated pages", folder, timeout_s=240)
    record(run.row)
    assert_nothing_lost(run)
    assert run.ledger.done == set(texts)
    assert_status_agrees(run, "a")
    errors = {name: round(cer(read_text(local_cloud, name), text), 4) for name, text in texts.items()}
    assert max(errors.values()) <= MAX_CER, errors


def test_b_burst_with_faults(local_cloud, record, tmp_path):
    for i in range(1000):
        tiny_page(i, tmp_path / "b" / f"p{i:04d}.png")
    run = run_scenario(local_cloud, "b: 1,000-page burst, faults injected", tmp_path / "b",
                       timeout_s=540, faults=BURST_FAULTS, kills=BURST_KILLS)
    record(run.row)
    assert_nothing_lost(run)
    assert len(run.ledger.done) + len(run.ledger.failed) == 1000
    assert not run.ledger.failed, sorted(run.ledger.failed)[:20]
    assert sum(run.written.values()) == 1000  # one manifest per input, each written once
    assert_dead_letter_queue_empty(local_cloud)
    assert_status_agrees(run, "b")
    # The faults did happen: a run without them proves nothing.
    assert run.row.throttled > 0 and run.row.s3_slowdowns > 0
    assert run.row.killed >= BURST_KILLS.minimum


def test_c_bad_inputs(local_cloud, record, tmp_path):
    for i in range(10):
        tiny_page(i, tmp_path / "c" / f"good{i:02d}.png")
    bad = bad_inputs(tmp_path / "c", tmp_path / "c" / "good00.png")
    run = run_scenario(local_cloud, "c: 10 good + 4 bad inputs", tmp_path / "c", timeout_s=180)
    record(run.row)
    assert_nothing_lost(run)
    assert run.ledger.failed == {f"c/{name.removesuffix('.png')}" for name in bad}
    assert run.ledger.done == {f"c/good{i:02d}" for i in range(10)}
    assert_status_agrees(run, "c")
    assert_dead_letter_queue_empty(local_cloud)
    for name in run.ledger.failed:
        key = f"{local_cloud.output_prefix}errors/{name}.json"
        record_ = json.loads(local_cloud.aws("s3").get_object(Bucket=local_cloud.bucket, Key=key)["Body"].read())
        assert record_["error"] and record_["message"], record_


def test_d_reupload(local_cloud, record, tmp_path):
    page = tmp_path / "d" / "page.png"
    tiny_page(1, page)
    first = run_scenario(local_cloud, "d: first upload", tmp_path / "d", timeout_s=120)
    assert first.ledger.done == {"d/page"} and first.written["d/page"] == 1
    before = manifest(local_cloud, "d/page")

    again = run_scenario(local_cloud, "d: unchanged, eulereye upload", tmp_path / "d", timeout_s=120)
    record(again.row)
    assert again.uploaded.get("skipped") == 1 and again.written["d/page"] == 0

    # Another tool (aws s3 cp) sends the same bytes again: the worker skips the page.
    resent = run_scenario(local_cloud, "d: unchanged, plain PUT", tmp_path / "d", timeout_s=120,
                          send=put_objects)
    record(resent.row)
    assert resent.skipped["d/page"] == 1 and resent.written["d/page"] == 0
    assert manifest(local_cloud, "d/page") == before

    tiny_page(2, page)
    changed = run_scenario(local_cloud, "d: changed, eulereye upload", tmp_path / "d", timeout_s=120)
    record(changed.row)
    assert changed.uploaded.get("uploaded") == 1 and changed.written["d/page"] == 1
    assert manifest(local_cloud, "d/page")["input"]["etag"] != before["input"]["etag"]
    assert_dead_letter_queue_empty(local_cloud)
