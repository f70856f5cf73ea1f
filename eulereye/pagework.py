"""The worker's work on one page, inside a pool process or alone (``run_alone``): download it,
check its key, skip it when its outputs are current, run the pipeline. A page with more pixels
than a pool process's share of memory is refused in the pool (``NeedsWholeTaskError``) and runs
alone. Failures are raised as the plain exception of their kind (``errors.as_classified``);
the queue loop that sorts them is ``eulereye.worker``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Future
from dataclasses import asdict
from functools import partial
from pathlib import PurePosixPath

from eulereye.config import Settings, cpu_count
from eulereye.errors import BadKeyError, TransientError, as_classified
from eulereye.imaging import PAGE_SUFFIXES  # supported and unsupported images: both are pages
from eulereye.isolation import image_pixels, pixel_limits, run_isolated
from eulereye.logs import get_logger
from eulereye.messages import PageJob
from eulereye.outputs.naming import check_relpath, name_among, page_name

log = get_logger(role="worker")


class NeedsWholeTaskError(TransientError):
    """More pixels than one pool process's share of memory: the page is to run alone."""


def default_pipeline(settings: Settings, store):
    from eulereye.pipeline import Options, Pipeline

    # One OCR process per page: the pool already runs one page per vCPU. The pipeline takes
    # pages up to the whole task's memory (such a page is run alone, see PageProcessor).
    options = Options.from_settings(
        settings, ocr_processes=1, max_pixels=pixel_limits(settings.max_pixels, worker_slots(settings))[1])
    return Pipeline(options, store)


def worker_slots(settings: Settings) -> int:
    return settings.jobs or cpu_count()


def output_name(s3, bucket: str, input_prefix: str, relpath: str) -> str:
    """The page's output name by the one naming rule (``naming.name_among``): the other page
    files in its folder with the same stem are listed from the bucket."""
    listing = s3.list_objects_v2(Bucket=bucket, Prefix=f"{input_prefix}{page_name(relpath)}.")
    keys = [o["Key"][len(input_prefix):] for o in listing.get("Contents", [])]
    return name_among(relpath, [k for k in keys if PurePosixPath(k).suffix.lower() in PAGE_SUFFIXES])


class PageProcessor:
    """Downloads a page and runs the pipeline on it; one per pool process (or alone)."""

    def __init__(self, settings: Settings, make_pipeline=default_pipeline, alone: bool = False):
        import boto3

        from eulereye.outputs.s3store import S3Store

        self.settings = settings
        self.alone = alone
        self.shared_pixels = pixel_limits(settings.max_pixels, worker_slots(settings))[0]
        self.s3 = boto3.client("s3")
        self.pipeline = make_pipeline(settings, S3Store(self.s3, settings.bucket, settings.output_prefix))

    def __call__(self, job: PageJob) -> dict:
        """The page's outcome; failures raised as the plain exception of their kind."""
        try:
            return self._process(job)
        except Exception as exc:
            raise as_classified(exc, f"page {job.key}") from None

    def _process(self, job: PageJob) -> dict:
        from botocore.exceptions import ClientError

        from eulereye.outputs.s3store import is_missing, transient_errors
        from eulereye.pipeline import FileOutcome

        log.info("page started", key=job.key, alone=self.alone, pid=os.getpid())
        try:
            check_relpath(job.relpath)
        except BadKeyError as exc:
            return asdict(self.pipeline.refuse(job.relpath, {"key": job.key}, exc))
        with transient_errors(f"get s3://{self.settings.bucket}/{job.key}"):
            name = output_name(self.s3, self.settings.bucket, self.settings.input_prefix, job.relpath)
            try:
                head = self.s3.head_object(Bucket=self.settings.bucket, Key=job.key)
                # A redelivered or duplicate event for a finished page costs no download.
                if self.pipeline.is_done(name, head["ETag"].strip('"')):
                    log.info("skipped", page=name, reason="unchanged input already processed")
                    return asdict(FileOutcome(name, "skipped"))
                obj = self.s3.get_object(Bucket=self.settings.bucket, Key=job.key)
            except ClientError as exc:
                if is_missing(exc):
                    return {"name": job.relpath, "status": "gone"}  # deleted since the event
                raise
            data = obj["Body"].read()
        pixels = image_pixels(data)
        if not self.alone and pixels and pixels > self.shared_pixels:
            raise NeedsWholeTaskError(f"{job.key}: {pixels} pixels, more than a pool process's "
                                      f"share ({self.shared_pixels}): running it alone")
        source = {"key": job.key, "etag": obj["ETag"].strip('"'), "size": len(data)}
        # process_file checks again: another worker may have finished the page meanwhile.
        return asdict(self.pipeline.process_file(data, job.relpath, name=name, source=source))


_processor: PageProcessor | None = None


def init_process(settings: Settings, make_pipeline=default_pipeline, alone: bool = False) -> None:
    """Pool initializer: a pool process ignores SIGTERM/SIGINT (the parent decides when to stop)
    and loads its pipeline before the first page."""
    global _processor
    if multiprocessing.parent_process() is not None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        from eulereye.logs import configure

        configure(settings.log_format)
    _processor = PageProcessor(settings, make_pipeline, alone)
    log.info("pipeline ready", alone=alone)


def run_page(job: PageJob) -> dict:
    return _processor(job)


def run_alone(settings, job, make_pipeline=None) -> Future:
    """The worker's page ``job`` in a process of its own (see ``run_isolated``)."""
    start = partial(init_process, settings, make_pipeline or default_pipeline, alone=True)
    return run_isolated(start, partial(run_page, job), job.key)
