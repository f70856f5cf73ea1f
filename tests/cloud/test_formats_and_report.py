"""The worker writes the formats EULEREYE_FORMATS asks for; `status --report` reports a bucket."""

from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image

from eulereye.cli import main as cli
from eulereye.config import Settings
from eulereye.environment import settings_from
from eulereye.textquality import dictionary_share
from eulereye.worker import main as worker_main
from tests.cloud.test_worker import BUCKET, cloud, eventbridge, keys_under, png, run_worker  # noqa: F401


def test_formats_come_from_the_environment():
    settings = settings_from({"EULEREYE_FORMATS": "txt,hocr,pdf", "EULEREYE_ALTO_PROFILE": "ndnp",
                              "EULEREYE_DPI": "400"})
    assert (settings.formats, settings.alto_profile, settings.dpi) == ("txt,hocr,pdf", "ndnp", 400)


def test_worker_with_unknown_formats_exits_2_before_polling():
    assert worker_main(Settings(bucket=BUCKET, queue_url="https://queue.invalid/q", formats="txt,docx")) == 2
    assert worker_main(Settings(bucket=BUCKET, queue_url="https://queue.invalid/q", alto_profile="mets")) == 2


def test_worker_writes_the_formats_asked_for_and_status_reports_the_bucket(cloud, tmp_path, capsys):
    s3, sqs, queue_url = cloud
    key = "input/1890/p.001.png"
    s3.put_object(Bucket=BUCKET, Key=key, Body=png("Hello archive"))
    s3.put_object(Bucket=BUCKET, Key="input/1890/broken.png", Body=b"\x89PNG\r\n\x1a\nnot really")
    for page in (key, "input/1890/broken.png"):
        sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(page))

    run_worker(queue_url, sqs, formats="txt,hocr,pdf")

    assert keys_under(s3, "output/hocr/") == ["output/hocr/1890/p.001.hocr"]
    assert keys_under(s3, "output/pdf/") == ["output/pdf/1890/p.001.pdf"]
    assert keys_under(s3, "output/alto/") == []

    assert cli(["status", "--bucket", BUCKET, "--report", str(tmp_path)]) == 0
    assert f"report: {tmp_path / 'report' / 'index.html'}" in capsys.readouterr().err
    script = (tmp_path / "report" / "pages.js").read_text()
    rows = json.loads(script[script.index("["):script.rindex("]") + 1])
    assert [(r["name"], r["status"]) for r in rows] == [("1890/broken", "failed"), ("1890/p.001", "ok")]
    # no ocr_coords/ written: the figures come from the page's plain text, with no confidences
    words = s3.get_object(Bucket=BUCKET, Key="output/ocr_plain_text/1890/p.001.txt")["Body"].read().decode().split()
    share = dictionary_share(words)
    assert (rows[1]["words"], rows[1]["confidence"]) == (len(words), None)
    assert rows[1]["dictionary"] == (None if share is None else round(share, 3))
    # the thumbnail is drawn over the page image read from the bucket, not a blank sheet
    thumb = np.asarray(Image.open(io.BytesIO((tmp_path / "report" / rows[1]["thumb"]).read_bytes())).convert("L"))
    assert (thumb < 100).mean() > 0.001
