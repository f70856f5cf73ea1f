"""Pages, uploads and the bookkeeping of one scenario run against a ``LocalCloud``."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from e2e.accounting import Ledger, Row, duplicates, ledger
from e2e.faultproxy import FaultPlan
from e2e.localcloud import LocalCloud
from e2e.runner import KillPlan

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
WORDS = ("archive river council harbour morning evening market railway letter station "
         "weather theatre printer factory meeting garden bridge school church mill").split()


def tiny_page(index: int, path: Path) -> str:
    """A 300x200 page with one line of three words; returns its text."""
    text = " ".join(WORDS[(index * 7 + k * 3) % len(WORDS)] for k in range(3))
    image = Image.new("L", (300, 200), 255)
    ImageDraw.Draw(image).text((12, 80), text, fill=0, font=ImageFont.truetype(FONT, 24))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return text


def synthetic_page(seed: int, path: Path) -> str:
    """A small generated newspaper page; returns its known text."""
    from eulereye.synth import generate_page

    page = generate_page(seed, width=900, height=1200)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(page.image).save(path)
    return page.text


@dataclass
class Run:
    row: Row
    ledger: Ledger
    input_keys: list[str]
    written: Counter  # manifests written during the run, per page


def run_scenario(cloud: LocalCloud, figure: str, local_dir: Path, timeout_s: float,
                 faults: FaultPlan = FaultPlan(), kills: KillPlan = KillPlan()) -> Run:
    """Uploads ``local_dir`` with ``eulereye upload`` and waits until every page has complete
    outputs or an errors/ record and the queue is empty (or the time is up)."""
    cloud.proxy.reset_counts()
    cloud.inject(faults, kills)
    workers_before = {id(w) for w in cloud.runner.all_workers()}
    written_before = Counter(cloud.runner.written())
    start = time.perf_counter()
    upload = cloud.eulereye("upload", str(local_dir), "--bucket", cloud.bucket)
    if upload.returncode:
        raise RuntimeError(f"eulereye upload failed ({upload.returncode}):\n{upload.stderr[-3000:]}")
    keys = sorted(cloud.input_prefix + p.relative_to(local_dir.parent).as_posix()
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
    cloud.inject()  # faults off: the checks that follow see a healthy platform
    workers = [w for w in cloud.runner.all_workers() if id(w) not in workers_before]
    written = Counter(cloud.runner.written()) - written_before
    row = Row(figure=figure, pages=len(keys), done=len(book.done), failed=len(book.failed),
              lost=len(book.lost), duplicates=duplicates(written, book.names),
              run_task_calls=cloud.proxy.requests[("ecs", "RunTask")],
              throttled=cloud.proxy.injected[("ecs", "RunTask")],
              workers=len(workers), killed=sum(w.killed for w in workers), wall_s=wall_s)
    return Run(row, book, keys, written)
