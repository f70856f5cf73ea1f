"""``eulereye status`` of a bucket (moto server on 127.0.0.1, pages OCR'd by the real worker)
and of a local output folder (the same pages through ``eulereye process``) say the same: done,
failed and flagged pages per folder, why each flagged page needs a look, why each file failed."""

from __future__ import annotations

import json

import pytest

from eulereye import ops
from eulereye.cli import main
from eulereye.outputs.localtree import tree_status
from tests.cloud.test_worker import BUCKET, eventbridge, run_worker
from tests.cloud.test_worker_isolation import server  # noqa: F401  (a fixture: the moto server)
from tests.conftest import WORDS, save_png, text_page

SHARED_COLUMNS = ("done", "failed", "flagged")


@pytest.fixture
def pages(tmp_path):
    """Four pages of text in 1890/; in 1891/ a page with two words and a truncated file."""
    folder = tmp_path / "pages"
    lines = [" ".join(WORDS[i:i + 8]) for i in range(0, len(WORDS) - 8, 2)]
    for number in range(4):
        save_png(text_page(lines[number:] + lines[:number]), folder / "1890" / f"p{number}.png")
    save_png(text_page(["Errata", "overleaf"]), folder / "1891" / "blank.png")
    whole = (folder / "1890" / "p0.png").read_bytes()
    (folder / "1891" / "cut.png").write_bytes(whole[: len(whole) // 2])
    return folder


def bucket_processed(s3, sqs, queue, folder) -> None:
    """The pages uploaded as an archivist does and OCR'd by the worker, as in the cloud."""
    assert ops.upload(s3, str(folder), BUCKET) == {"uploaded": 6}
    for obj in s3.list_objects_v2(Bucket=BUCKET, Prefix="input/")["Contents"]:
        sqs.send_message(QueueUrl=queue, MessageBody=eventbridge(obj["Key"]))
    run_worker(queue, sqs)


def test_bucket_and_local_views_flag_and_fail_the_same_pages(server, pages, tmp_path, capsys):
    s3, sqs, queue, _ = server
    bucket_processed(s3, sqs, queue, pages)
    out = tmp_path / "out"
    assert main(["process", str(pages), "--out", str(out), "--segmenter", "classical", "--jobs", "1"]) == 1
    capsys.readouterr()

    bucket, local = ops.status(s3, sqs, BUCKET, queue), tree_status(out)

    assert set(bucket) - {"queues"} == set(local) == {"folders", "flagged", "failed"}
    assert list(bucket["folders"]) == list(local["folders"]) == ["1890", "1891"]
    for folder, counts in bucket["folders"].items():
        assert {c: counts[c] for c in SHARED_COLUMNS} == {c: local["folders"][folder][c] for c in SHARED_COLUMNS}
    assert bucket["folders"]["1891"] == {"inputs": 2, "done": 1, "failed": 1, "flagged": 1}
    assert bucket["folders"]["1890"] == {"inputs": 4, "done": 4, "failed": 0, "flagged": 0}
    assert list(bucket["flagged"]) == ["1891/blank"] and "almost no words" in bucket["flagged"]["1891/blank"]
    assert bucket["flagged"] == local["flagged"]
    assert list(bucket["failed"]) == list(local["failed"]) == ["1891/cut"]
    for view in (bucket, local):
        assert "1891/cut" in view["failed"]["1891/cut"] and "truncated PNG image" in view["failed"]["1891/cut"]


def test_status_bucket_prints_the_flagged_page_and_the_failed_file(server, pages, monkeypatch, capsys):
    s3, sqs, queue, _ = server
    bucket_processed(s3, sqs, queue, pages)

    assert main(["status", "--bucket", BUCKET, "--queue-url", queue]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["folder", "inputs", "done", "failed", "flagged"]
    assert lines[2].split() == ["1891", "2", "1", "1", "1"]
    assert any(line.startswith("flagged: 1891/blank: almost no words") for line in lines), lines
    assert any(line.startswith("failed: ") and "1891/cut" in line and "truncated PNG" in line for line in lines)

    monkeypatch.setenv("EULEREYE_QUEUE_URL", queue)
    assert main(["status", "--bucket", BUCKET, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report["flagged"]) == ["1891/blank"] and list(report["failed"]) == ["1891/cut"]
    assert report["queues"] == {"queued": 0, "in_flight": 0, "dead_letter": 0}

    assert main(["status", "--bucket", BUCKET, "--counts-only", "--json"]) == 0  # reads no manifest
    report = json.loads(capsys.readouterr().out)
    assert report["folders"] == {"1890": {"inputs": 4, "done": 4, "failed": 0},
                                 "1891": {"inputs": 2, "done": 1, "failed": 1}}
    assert "flagged" not in report and "failed" not in report


def test_a_queue_without_a_dead_letter_queue_has_none_to_count(server):
    _, sqs, _, _ = server
    plain = sqs.create_queue(QueueName="plain")["QueueUrl"]  # SQS answers without "Attributes"
    assert ops.dead_letter_queue_url(sqs, plain) is None
