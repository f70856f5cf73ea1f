"""What a work-queue message asks for: the page images named by the S3 event it carries
(EventBridge "Object Created", a classic S3 notification, either wrapped in SNS). The worker
reads every message it receives through ``parse_message``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote_plus

from eulereye.imaging import PAGE_SUFFIXES  # supported and unsupported images: both are pages


@dataclass(frozen=True)
class PageJob:
    key: str  # object key, e.g. input/1890/03/p 001.tif
    relpath: str  # below the input prefix: 1890/03/p 001.tif


@dataclass
class ParsedMessage:
    jobs: list[PageJob] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # why each other record was passed over


def parse_message(body: str, *, bucket: str, input_prefix: str) -> ParsedMessage:
    """The pages a queue message asks for. Accepts EventBridge "Object Created" events, classic
    S3 notifications (keys URL-encoded, ``+`` for space) and either wrapped in SNS."""
    parsed = ParsedMessage()
    try:
        event = json.loads(body)
    except (TypeError, ValueError):
        parsed.ignored.append("message is not JSON")
        return parsed
    if isinstance(event, dict) and event.get("Type") == "Notification" and "Message" in event:
        return parse_message(event["Message"], bucket=bucket, input_prefix=input_prefix)
    for record_bucket, key in _object_keys(event, parsed.ignored):
        if bucket and record_bucket and record_bucket != bucket:
            parsed.ignored.append(f"{key}: bucket {record_bucket} is not {bucket}")
        elif not key.startswith(input_prefix):
            parsed.ignored.append(f"{key}: outside {input_prefix}")
        elif PurePosixPath(key).suffix.lower() not in PAGE_SUFFIXES:
            parsed.ignored.append(f"{key}: not a page image")
        else:
            parsed.jobs.append(PageJob(key, key[len(input_prefix):]))
    return parsed


def _object_keys(event, ignored: list[str]) -> list[tuple[str, str]]:
    if not isinstance(event, dict):
        ignored.append("message is not an S3 event")
        return []
    if "detail" in event:  # EventBridge: the key is given as is
        if event.get("detail-type") != "Object Created":
            ignored.append(f"event {event.get('detail-type')!r} is not Object Created")
            return []
        detail = event["detail"]
        return [(detail.get("bucket", {}).get("name", ""), detail["object"]["key"])]
    if "Records" in event:  # classic notification: keys URL-encoded
        keys = []
        for record in event["Records"]:
            if not str(record.get("eventName", "ObjectCreated")).startswith("ObjectCreated"):
                ignored.append(f"event {record.get('eventName')!r} is not ObjectCreated")
                continue
            s3 = record["s3"]
            keys.append((s3.get("bucket", {}).get("name", ""), unquote_plus(s3["object"]["key"])))
        return keys
    ignored.append(f"not an S3 event: {event.get('Event') or sorted(event)[:3]}")
    return []
