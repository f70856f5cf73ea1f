"""``eulereye reconcile``: find inputs that were never settled (a lost S3 event, a lost or
expired message) and queue them again.

An input is settled when every frame has its manifest (newer than the input) or it has an
``errors/`` record. Names follow the one naming rule over every input of the bucket, as the
worker applies it. Safe at any time: while the work queue still holds messages, the unsettled
inputs may simply be waiting, so nothing is queued unless ``while_busy``; a page queued twice
is skipped by its second delivery (its manifest records the same ETag).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from eulereye.errors import BadKeyError
from eulereye.imaging import PAGE_SUFFIXES
from eulereye.logs import get_logger
from eulereye.ops import page_event, queue_counts
from eulereye.outputs.naming import check_relpath, escaped_name, frame_name, output_path, page_name, unique_names

log = get_logger()
SEND_BATCH = 10  # SQS SendMessageBatch takes up to ten entries


@dataclass
class Reconciliation:
    inputs: int = 0
    done: int = 0
    failed: int = 0
    unsettled: list[str] = field(default_factory=list)  # input keys
    queued: int = 0
    queue_busy: int = 0  # messages in the work queue when it ran (then nothing is queued)

    def summary(self, shown: int = 20) -> dict:
        return {"inputs": self.inputs, "done": self.done, "failed": self.failed,
                "unsettled": len(self.unsettled), "queued": self.queued,
                "queue_busy": self.queue_busy, "unsettled_keys": self.unsettled[:shown]}


def _objects(s3, bucket: str, prefix: str) -> dict[str, dict]:
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            found[obj["Key"][len(prefix):]] = obj
    return found


def _settled_name(relpath: str, name: str) -> str:
    """The name an input's outputs or errors/ record are filed under (refused keys escaped)."""
    try:
        check_relpath(relpath)
    except BadKeyError:
        return page_name(escaped_name(relpath))
    return name


def _complete(s3, bucket: str, output_prefix: str, manifests: dict, name: str, uploaded) -> bool:
    """Every frame's manifest is there and newer than the input."""
    single = manifests.get(f"{name}.json")
    if single is not None:
        return single["LastModified"] >= uploaded
    first = manifests.get(f"{frame_name(name, 0, 2)}.json")
    if first is None or first["LastModified"] < uploaded:
        return False
    key = output_prefix + output_path("manifest", frame_name(name, 0, 2))
    frames = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).get("image", {}).get("frames", 1)
    return all(f"{frame_name(name, i, frames)}.json" in manifests for i in range(1, frames))


def reconcile(s3, sqs, bucket: str, queue_url: str, *, input_prefix="input/", output_prefix="output/",
              dry_run: bool = False, while_busy: bool = False) -> Reconciliation:
    inputs = {rel: obj for rel, obj in _objects(s3, bucket, input_prefix).items()
              if PurePosixPath(rel).suffix.lower() in PAGE_SUFFIXES}
    manifests = _objects(s3, bucket, output_prefix + "manifest/")
    errors = _objects(s3, bucket, output_prefix + "errors/")
    names = unique_names(sorted(inputs))
    result = Reconciliation(inputs=len(inputs))
    for rel, obj in sorted(inputs.items()):
        name = _settled_name(rel, names[rel])
        if f"{name}.json" in errors:
            result.failed += 1
        elif _complete(s3, bucket, output_prefix, manifests, name, obj["LastModified"]):
            result.done += 1
        else:
            result.unsettled.append(input_prefix + rel)
    counts = queue_counts(sqs, queue_url)
    result.queue_busy = counts["queued"] + counts["in_flight"]
    if result.unsettled and not dry_run and (while_busy or not result.queue_busy):
        result.queued = _send(sqs, queue_url, bucket, result.unsettled)
    log.info("reconciled", **{k: v for k, v in result.summary().items() if k != "unsettled_keys"})
    return result


def _send(sqs, queue_url: str, bucket: str, keys: list[str]) -> int:
    sent = 0
    for start in range(0, len(keys), SEND_BATCH):
        batch = keys[start:start + SEND_BATCH]
        response = sqs.send_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "MessageBody": page_event(bucket, key)} for i, key in enumerate(batch)])
        for failure in response.get("Failed", []):
            log.warning("could not queue", key=batch[int(failure["Id"])], error=failure.get("Message"))
        sent += len(response.get("Successful", []))
    return sent
