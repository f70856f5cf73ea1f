"""What operations read from a worker: the image tag in each manifest, and the JSON log lines
the monitoring module turns into pages done/failed per hour and failure classes."""

from __future__ import annotations

import json
import re

from eulereye.environment import settings_from
from eulereye.logs import configure
from tests.cloud.test_worker import BUCKET, eventbridge, png, run_worker
from tests.cloud.test_worker import cloud  # noqa: F401 - the fixture
from tests.terraform.helpers import REPO

OPERATIONS_TF = REPO / "modules" / "monitoring" / "operations.tf"


def test_the_image_tag_from_the_task_definition_is_in_every_manifest(cloud):  # noqa: F811
    s3, sqs, queue_url = cloud
    for key in ("input/a.png", "input/b.png"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=png("Tagged release"))
        sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(key))
    run_worker(queue_url, sqs, image_tag=settings_from({"EULEREYE_IMAGE_TAG": "3f2a1b0c9d8e"}).image_tag)
    for name in ("a", "b"):
        manifest = json.loads(s3.get_object(Bucket=BUCKET, Key=f"output/manifest/{name}.json")["Body"].read())
        assert manifest["versions"]["image"] == "3f2a1b0c9d8e"


def metric_filter_conditions() -> dict[str, dict[str, str]]:
    """The JSON fields each PagesX metric filter of modules/monitoring/operations.tf matches."""
    source = OPERATIONS_TF.read_text()
    pattern = re.search(r'pattern\s*=\s*"(.*)"\n', source).group(1).replace('\\"', '"')
    outcomes = dict(re.findall(r'(Pages\w+)\s*=\s*"(\w+)"', source))
    conditions = {}
    for metric, status in outcomes.items():
        filled = pattern.replace("${each.value}", status)
        conditions[metric] = dict(re.findall(r'\$\.(\w+) = "([^"]+)"', filled))
    return conditions


def matching(lines: list[dict], wanted: dict[str, str]) -> list[dict]:
    return [line for line in lines if all(line.get(k) == v for k, v in wanted.items())]


def test_worker_log_lines_feed_the_metric_filters(cloud, capsys):  # noqa: F811
    s3, sqs, queue_url = cloud
    configure("json")
    s3.put_object(Bucket=BUCKET, Key="input/good.png", Body=png("Counted page"))
    s3.put_object(Bucket=BUCKET, Key="input/broken.png", Body=b"\x89PNG not really")
    for key in ("input/good.png", "input/broken.png"):
        sqs.send_message(QueueUrl=queue_url, MessageBody=eventbridge(key))
    run_worker(queue_url, sqs)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    conditions = metric_filter_conditions()
    assert set(conditions) == {"PagesDone", "PagesFailed", "PagesSkipped"}
    assert [line["page"] for line in matching(lines, conditions["PagesDone"])] == ["good"]
    assert [line["page"] for line in matching(lines, conditions["PagesFailed"])] == ["broken"]
    # The failure-classes query groups "page failed" lines by their error field.
    (failed,) = matching(lines, {"event": "page failed"})
    assert failed["error"] == "BadImageError" and 'filter event = \\"page failed\\"' in OPERATIONS_TF.read_text()
