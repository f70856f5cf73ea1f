"""Operator tasks against a deployed bucket and queue: upload, status, retry.

Used by the ``upload``, ``status`` and ``retry`` verbs; plain functions over boto3 clients.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import BotoCoreError, ClientError

from eulereye.inputs import find_inputs
from eulereye.logs import get_logger
from eulereye.outputs.localtree import failure_reason, folder_counts, page_figures, status_report
from eulereye.outputs.s3store import is_missing
from eulereye.outputs.naming import page_name

log = get_logger()

SHA256_METADATA = "sha256"  # x-amz-meta-sha256: what `upload` compares to skip a file


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def already_there(s3, bucket: str, key: str, size: int, checksum: str) -> bool:
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if is_missing(exc):
            return False
        raise
    return head["ContentLength"] == size and head.get("Metadata", {}).get(SHA256_METADATA) == checksum


def upload(s3, folder: str, bucket: str, prefix: str = "input/", threads: int = 8, progress=None,
           inputs: list[tuple[Path, str]] | None = None) -> Counter:
    """Upload every page image under ``folder`` (``inputs``: those already found there) to
    ``prefix`` (multipart for large files, ``threads`` files at once). A file already there
    with the same size and SHA-256 is skipped, so an interrupted upload resumes where it
    stopped. Returns how many were uploaded, skipped and failed."""
    from boto3.s3.transfer import TransferConfig

    transfer = TransferConfig(multipart_threshold=16 << 20, multipart_chunksize=16 << 20, max_concurrency=4)

    def one(item: tuple[Path, str]) -> str:
        path, rel = item
        key, size, checksum = prefix + rel, path.stat().st_size, sha256_of(path)
        try:
            if already_there(s3, bucket, key, size, checksum):
                status = "skipped"
            else:
                s3.upload_file(str(path), bucket, key, Config=transfer,
                               ExtraArgs={"Metadata": {SHA256_METADATA: checksum}})
                status = "uploaded"
        except (BotoCoreError, ClientError, S3UploadFailedError) as exc:
            # One file that still fails after the client's retries must not stop the others;
            # running the upload again picks it up (finished files are skipped).
            log.warning("upload failed", file=rel, key=key, error=str(exc))
            status = "failed"
        if progress:
            progress(size)
        return status

    with ThreadPoolExecutor(threads) as pool:
        return Counter(pool.map(one, find_inputs([folder]) if inputs is None else inputs))


def _keys(s3, bucket: str, prefix: str):
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            yield obj


def dead_letter_queue_url(sqs, queue_url: str) -> str | None:
    # SQS leaves out "Attributes" altogether when the queue has none of those asked for.
    attrs = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"]).get("Attributes", {})
    if "RedrivePolicy" not in attrs:
        return None
    arn = json.loads(attrs["RedrivePolicy"])["deadLetterTargetArn"]
    account, name = arn.split(":")[4], arn.split(":")[5]
    return sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]


def queue_counts(sqs, queue_url: str) -> dict:
    attrs = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return {"queued": int(attrs["ApproximateNumberOfMessages"]),
            "in_flight": int(attrs["ApproximateNumberOfMessagesNotVisible"])}


def status(s3, sqs, bucket: str, queue_url: str | None, input_prefix="input/", output_prefix="output/",
           threads: int = 16, counts_only: bool = False) -> dict:
    """Per top-level folder: inputs, done (manifests), failed (errors) and flagged pages, with
    why each flagged page needs a look and each failed one's reason: the shape of
    ``eulereye status --out``. Reads every manifest and errors record (``threads`` at once);
    ``counts_only``: none, only the listings (no flagged pages, no reasons). And the queues."""
    inputs = _names(s3, bucket, input_prefix)
    if counts_only:
        report = {"folders": folder_counts({"inputs": inputs, "done": _names(s3, bucket, output_prefix + "manifest/"),
                                            "failed": _names(s3, bucket, output_prefix + "errors/")})}
    else:
        manifests = read_records(s3, bucket, output_prefix + "manifest/", threads)
        failures = {name: failure_reason(name, record)
                    for name, record in read_records(s3, bucket, output_prefix + "errors/", threads).items()}
        figures = {name: page_figures(manifest) for name, manifest in manifests.items()}
        report = status_report({"inputs": inputs, "done": figures, "failed": failures}, figures, failures)
    report["queues"] = {}
    if queue_url:
        report["queues"] = queue_counts(sqs, queue_url)
        dlq = dead_letter_queue_url(sqs, queue_url)
        report["queues"]["dead_letter"] = queue_counts(sqs, dlq)["queued"] if dlq else 0
    return report


def _names(s3, bucket: str, prefix: str) -> list[str]:
    return [page_name(obj["Key"][len(prefix):]) for obj in _keys(s3, bucket, prefix)]


def read_records(s3, bucket: str, prefix: str, threads: int = 16) -> dict[str, dict]:
    """Page name -> the JSON record under ``prefix`` (manifests, errors), ``threads`` read at once."""
    keys = [obj["Key"] for obj in _keys(s3, bucket, prefix) if obj["Key"].endswith(".json")]

    def read(key: str) -> dict:
        return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())

    with ThreadPoolExecutor(threads) as pool:
        return {page_name(key[len(prefix):]): record for key, record in zip(keys, pool.map(read, keys))}


def page_event(bucket: str, key: str) -> str:
    """The EventBridge "Object Created" message the worker takes, for re-queuing a page."""
    return json.dumps({"version": "0", "detail-type": "Object Created", "source": "eulereye.retry",
                       "detail": {"bucket": {"name": bucket}, "object": {"key": key}}})


def redrive(sqs, queue_url: str) -> int:
    """Move every message from the dead-letter queue back to the work queue."""
    dlq = dead_letter_queue_url(sqs, queue_url)
    moved = 0
    while dlq:
        messages = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            break
        for message in messages:
            sqs.send_message(QueueUrl=queue_url, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dlq, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return moved


def requeue_errors(s3, sqs, bucket: str, queue_url: str, output_prefix="output/", every=False) -> int:
    """Queue again each failed page whose input was replaced after it failed (or every failed
    page with ``every``, e.g. after a fix in the software)."""
    queued = 0
    for obj in _keys(s3, bucket, output_prefix + "errors/"):
        record = json.loads(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
        key = record.get("input", {}).get("key")
        if not key:
            continue
        try:
            replaced = s3.head_object(Bucket=bucket, Key=key)["LastModified"] > obj["LastModified"]
        except ClientError as exc:
            if not is_missing(exc):
                raise
            continue  # the input is gone: nothing to retry
        if every or replaced:
            sqs.send_message(QueueUrl=queue_url, MessageBody=page_event(bucket, key))
            queued += 1
    return queued


def failures(s3, bucket: str, output_prefix="output/") -> dict:
    """The ``errors/`` records grouped by error class, largest group first: for each class its
    count, the failed pages' names and one message as an example."""
    groups: dict[str, dict] = {}
    for name, record in read_records(s3, bucket, output_prefix + "errors/").items():
        group = groups.setdefault(record.get("error") or "unknown",
                                  {"count": 0, "pages": [], "example": record.get("message", "")})
        group["count"] += 1
        group["pages"].append(name)
    return dict(sorted(groups.items(), key=lambda item: -item[1]["count"]))
