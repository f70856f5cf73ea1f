"""What became of every uploaded page, read from the bucket, and the results table."""

from __future__ import annotations

import json
import os
import platform
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from eulereye.outputs.naming import frame_name, output_path, page_name

# Every file a successfully processed page has (DESIGN.md output contract), manifest last.
PAGE_FILES = (("ocr_plain_text", None), ("ocr_coords", None), ("ocr_coords", ".json"),
              ("sections", None), ("alto", None), ("manifest", None))


@dataclass
class Ledger:
    """Per page name: complete outputs, an errors/ record, or neither (lost)."""

    names: list[str]
    done: set[str]
    failed: set[str]

    @property
    def lost(self) -> set[str]:
        return set(self.names) - self.done - self.failed

    def settled(self) -> bool:
        return not self.lost


def output_keys(s3, bucket: str, prefix: str) -> set[str]:
    keys = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.update(obj["Key"] for obj in page.get("Contents", []))
    return keys


def _complete(keys: set[str], output_prefix: str, name: str) -> bool:
    return all(output_prefix + output_path(kind, name, suffix) in keys for kind, suffix in PAGE_FILES)


def _all_frames_complete(s3, bucket: str, keys: set[str], output_prefix: str, name: str) -> bool:
    """A multi-page input: every frame its first frame's manifest counts is complete."""
    first = frame_name(name, 0, 2)
    if output_prefix + output_path("manifest", first) not in keys:
        return False
    body = s3.get_object(Bucket=bucket, Key=output_prefix + output_path("manifest", first))["Body"].read()
    frames = json.loads(body)["image"]["frames"]
    return all(_complete(keys, output_prefix, frame_name(name, i, frames)) for i in range(frames))


def ledger(s3, bucket: str, input_keys: list[str], input_prefix: str, output_prefix: str) -> Ledger:
    names = [page_name(key[len(input_prefix):]) for key in input_keys]
    # Only the output folders these pages can have (a scenario polls this every second; the
    # whole output/ tree holds every earlier scenario's thousands of files).
    folders = {name.rpartition("/")[0] + "/" if "/" in name else "" for name in names}
    keys = set().union(*(output_keys(s3, bucket, f"{output_prefix}{kind}/{folder}")
                         for kind in {k for k, _ in PAGE_FILES} | {"errors"} for folder in folders))
    done = {n for n in names if _complete(keys, output_prefix, n)
            or _all_frames_complete(s3, bucket, keys, output_prefix, n)}
    failed = {n for n in names if output_prefix + output_path("errors", n) in keys}
    return Ledger(names, done, failed)


def manifests_written(stored: Counter, bucket: str, output_prefix: str, names: list[str]) -> Counter:
    """Per page name, how often S3 accepted its manifest (``stored``: "bucket/key" -> PUTs)."""
    return Counter({name: stored[f"{bucket}/{output_prefix}{output_path('manifest', name)}"]
                    for name in names})


def duplicates(written: Counter, names: list[str]) -> int:
    """Extra completions: pages whose manifest was written more than once."""
    return sum(written[name] - 1 for name in set(names) if written[name] > 1)


@dataclass
class Row:
    figure: str
    pages: int
    done: int
    failed: int
    lost: int
    duplicates: int
    run_task_calls: int
    throttled: int  # RunTask calls answered ThrottlingException
    s3_slowdowns: int  # S3 PUTs answered 503 SlowDown
    workers: int  # worker processes (Fargate tasks) that ran
    killed: int  # of them, killed with SIGKILL mid-page
    wall_s: float
    notes: str = ""  # what else the scenario measured

    @property
    def pages_per_min(self) -> float:
        return self.pages / self.wall_s * 60 if self.wall_s else 0.0


HEADER = ("figure", "pages", "done", "failed", "lost", "duplicates", "RunTask calls",
          "faults: throttled / killed / S3 503", "workers", "wall time", "pages/min", "notes")


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows:
        cells = (r.figure, r.pages, r.done, r.failed, r.lost, r.duplicates, r.run_task_calls,
                 f"{r.throttled} / {r.killed} / {r.s3_slowdowns}", r.workers,
                 f"{r.wall_s:.1f} s", f"{r.pages_per_min:.0f}", r.notes)
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}"


def write_results(rows: list[Row], path: Path, notes: str) -> str:
    text = (f"# Local end-to-end results\n\n"
            f"`make e2e` on {machine()}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.\n\n"
            f"{table(rows)}\n{notes}")
    path.write_text(text)
    return text
