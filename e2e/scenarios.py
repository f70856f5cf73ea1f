"""Pages, uploads and the bookkeeping of one scenario run against a ``LocalCloud``."""

from __future__ import annotations

import json
import struct
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from e2e.accounting import Ledger, Row, duplicates, ledger, manifests_written
from e2e.faultproxy import FaultPlan
from e2e.localcloud import LocalCloud
from e2e.runner import KillPlan
from eulereye.synth.render import font

LOG_CATCH_UP_S = 0.5
WORDS = ("archive river council harbour morning evening market railway letter station "
         "weather theatre printer factory meeting garden bridge school church mill").split()


def tiny_page(index: int, path: Path) -> str:
    """A 300x200 page with one line of three words; returns its text."""
    text = " ".join(WORDS[(index * 7 + k * 3) % len(WORDS)] for k in range(3))
    image = Image.new("L", (300, 200), 255)
    ImageDraw.Draw(image).text((12, 80), text, fill=0, font=font("DejaVuSerif.ttf", 24))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return text


def synthetic_page(seed: int, path: Path) -> str:
    """A generated newspaper page, mildly degraded as in tests/accuracy; returns its known text."""
    from eulereye.synth import generate_page

    page = generate_page(seed, degrade=0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(page.image).save(path)
    return page.text


def synthetic_pages(folder: Path, seeds) -> dict[str, str]:
    """``synthetic_page`` for each seed, as ``<folder>/pageNN.png``; page name -> known text."""
    return {f"{folder.name}/page{seed:02d}": synthetic_page(seed, folder / f"page{seed:02d}.png")
            for seed in seeds}


@dataclass
class Run:
    row: Row
    ledger: Ledger
    written: Counter  # per page, manifests written during the run
    skipped: Counter  # per page, deliveries skipped as already done
    uploaded: dict  # what `eulereye upload` reported (uploaded, skipped)
    status: dict  # what `eulereye status --json` reported afterwards


def upload(cloud: LocalCloud, local_dir: Path, folder: str) -> dict:
    """``eulereye upload`` of ``local_dir`` to ``input/<folder>/``; returns its counts."""
    done = cloud.eulereye("upload", str(local_dir), "--bucket", cloud.bucket,
                          "--prefix", f"{cloud.input_prefix}{folder}/")
    if done.returncode:
        raise RuntimeError(f"eulereye upload failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return next(e for e in map(_json_or_none, reversed(done.stderr.splitlines()))
                if e and e.get("event") == "uploaded")


def status(cloud: LocalCloud) -> dict:
    """``eulereye status --json``: per folder inputs/done/failed, and the queues."""
    done = cloud.eulereye("status", "--bucket", cloud.bucket, "--queue-url",
                          cloud.outputs["queue_url"], "--json")
    if done.returncode:
        raise RuntimeError(f"eulereye status failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def _json_or_none(line: str):
    try:
        return json.loads(line)
    except ValueError:
        return None


def put_objects(cloud: LocalCloud, local_dir: Path, folder: str) -> dict:
    """Plain PUTs of every file, as ``aws s3 cp`` or another tool would (no skip check)."""
    s3 = client_of(cloud)
    files = [p for p in local_dir.rglob("*") if p.is_file()]
    for path in files:
        s3.put_object(Bucket=cloud.bucket, Body=path.read_bytes(),
                      Key=f"{cloud.input_prefix}{folder}/{path.relative_to(local_dir).as_posix()}")
    return {"uploaded": len(files)}


def client_of(cloud: LocalCloud):
    """An S3 client as a user has it: through the fault proxy."""
    import boto3

    env = cloud.client_env()
    return boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name=env["AWS_REGION"],
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])


def run_scenario(cloud: LocalCloud, figure: str, local_dir: Path, timeout_s: float,
                 faults: FaultPlan = FaultPlan(), kills: KillPlan = KillPlan(),
                 send=upload) -> Run:
    """Sends ``local_dir`` to ``input/<its name>/`` (by default with ``eulereye upload``) and
    waits until every page has complete outputs or an errors/ record and the queue is empty
    (or the time is up)."""
    cloud.proxy.reset_counts()
    cloud.inject(faults, kills)
    workers_before = {id(w) for w in cloud.runner.all_workers()}
    skipped_before = cloud.runner.page_events("skipped")
    start = time.perf_counter()
    uploaded = send(cloud, local_dir, local_dir.name)
    keys = sorted(f"{cloud.input_prefix}{local_dir.name}/{p.relative_to(local_dir).as_posix()}"
                  for p in local_dir.rglob("*") if p.is_file())
    s3 = cloud.aws("s3")
    deadline = start + timeout_s
    while True:
        book = ledger(s3, cloud.bucket, keys, cloud.input_prefix, cloud.output_prefix)
        if (book.settled() and not cloud.backlog(cloud.outputs["queue_url"])) \
                or time.perf_counter() > deadline:
            break
        time.sleep(1)
    wall_s = time.perf_counter() - start
    # A worker logs "skipped" before it deletes the message, so the line is in the pipe once
    # the queue is empty; the runner's reader thread may not have read it yet.
    time.sleep(LOG_CATCH_UP_S)
    cloud.inject()  # faults off: the checks that follow see a healthy platform
    workers = [w for w in cloud.runner.all_workers() if id(w) not in workers_before]
    written = manifests_written(cloud.proxy.stored, cloud.bucket, cloud.output_prefix, book.names)
    skipped = cloud.runner.page_events("skipped") - skipped_before
    row = Row(figure=figure, pages=len(keys), done=len(book.done), failed=len(book.failed),
              lost=len(book.lost), duplicates=duplicates(written, book.names),
              run_task_calls=cloud.proxy.requests[("ecs", "RunTask")],
              throttled=cloud.proxy.injected[("ecs", "RunTask")],
              s3_slowdowns=cloud.proxy.injected[("s3", "PUT object")],
              workers=len(workers), killed=sum(w.killed for w in workers), wall_s=wall_s)
    return Run(row, book, written, skipped, uploaded, status(cloud))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def decompression_bomb(side: int = 25_000) -> bytes:
    """A valid PNG of side x side bilevel pixels (625 Mpx, above the 400 Mpx limit) in 0.1 MB."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)  # filter byte + one all-black row
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b""))


def bad_inputs(directory: Path, good_page: Path) -> dict[str, str]:
    """Writes the kinds of bad file an archive upload contains; returns file name -> what it is."""
    directory.mkdir(parents=True, exist_ok=True)
    good = good_page.read_bytes()
    files = {"empty.png": (b"", "zero bytes"),
             "truncated.png": (good[: len(good) // 3], "truncated PNG"),
             "notes.png": (b"Scanned by the county archive, box 14.\n" * 20, "text named .png"),
             "bomb.png": (decompression_bomb(), "decompression bomb")}
    for name, (data, _) in files.items():
        (directory / name).write_bytes(data)
    return {name: what for name, (_, what) in files.items()}
