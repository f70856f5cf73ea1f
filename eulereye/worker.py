"""``eulereye worker``: drain the work queue, one page per message, exactly once in effect.

Per message: parse the S3 event (EventBridge or classic notification) -> download the page ->
pipeline (outputs written with the manifest last; an unchanged page is skipped) -> delete the
message. A page that failed for good has its ``errors/`` record and its message is deleted; a
transient failure leaves the message, so SQS redelivers it (and after N tries parks it in the
DLQ). While a page is in progress its message's visibility is extended, so a slow page is not
handed to a second worker; a worker that dies simply stops extending and the page comes back.

Pages run in a process pool sized to the task's vCPUs (each process holds its own pipeline,
models loaded once). SIGTERM (a Fargate Spot interruption gives 2 minutes) stops intake; pages
in progress get ``stop_grace_seconds`` to finish, then their messages are released at once.
The worker exits 0 after ``idle_seconds`` without work, 2 when its configuration is missing.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote_plus

from eulereye.config import Settings, cpu_count
from eulereye.errors import TransientError
from eulereye.imaging import PAGE_SUFFIXES  # supported and unsupported images: both are pages
from eulereye.logs import get_logger
from eulereye.outputs.naming import page_name

log = get_logger(role="worker")


@dataclass(frozen=True)
class PageJob:
    key: str  # object key, e.g. input/1890/03/p 001.tif
    relpath: str  # below the input prefix: 1890/03/p 001.tif


@dataclass
class ParsedMessage:
    jobs: list[PageJob] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # why each other record was passed over


# --- messages ----------------------------------------------------------------------------------

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


# --- one page, inside a pool process ---------------------------------------------------------

def default_pipeline(settings: Settings, store):
    from eulereye.outputs.formats import parse_formats
    from eulereye.pipeline import Options, Pipeline

    # One OCR process per page: the pool already runs one page per vCPU.
    options = Options(engine=settings.engine, segmenter=settings.segmenter, lang=settings.lang,
                      jobs=1, max_pixels=settings.max_pixels,
                      formats=parse_formats(settings.formats), alto_profile=settings.alto_profile,
                      dpi=settings.dpi or None, image_tag=settings.image_tag)
    return Pipeline(options, store)


class PageProcessor:
    """Downloads a page and runs the pipeline on it; one per pool process."""

    def __init__(self, settings: Settings, make_pipeline=default_pipeline):
        import boto3

        from eulereye.outputs.s3store import S3Store

        self.settings = settings
        self.s3 = boto3.client("s3")
        self.pipeline = make_pipeline(settings, S3Store(self.s3, settings.bucket, settings.output_prefix))

    def __call__(self, job: PageJob) -> dict:
        from botocore.exceptions import ClientError

        from eulereye.outputs.s3store import is_missing, transient_errors
        from eulereye.pipeline import FileOutcome

        log.info("page started", key=job.key)
        name = page_name(job.relpath)
        with transient_errors(f"get s3://{self.settings.bucket}/{job.key}"):
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
        source = {"key": job.key, "etag": obj["ETag"].strip('"'), "size": len(data)}
        # process_file checks again: another worker may have finished the page meanwhile.
        return asdict(self.pipeline.process_file(data, job.relpath, source=source))


_processor: PageProcessor | None = None


def init_process(settings: Settings, make_pipeline=default_pipeline) -> None:
    """Pool initializer: a pool process ignores SIGTERM/SIGINT (the parent decides when to stop)
    and loads its pipeline before the first page."""
    global _processor
    if multiprocessing.parent_process() is not None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        from eulereye.logs import configure

        configure(settings.log_format)
    _processor = PageProcessor(settings, make_pipeline)
    log.info("pipeline ready")


def run_page(job: PageJob) -> dict:
    return _processor(job)


# --- the loop ---------------------------------------------------------------------------------

@dataclass
class InFlight:
    receipt: str
    futures: list[Future]
    extended_at: float
    transient: bool = False


def process_pool(settings: Settings, slots: int):
    return ProcessPoolExecutor(max_workers=slots, initializer=init_process, initargs=(settings,))


class Worker:
    def __init__(self, settings: Settings, sqs, *, slots: int | None = None, executor_factory=process_pool,
                 clock=time.monotonic, max_wait_seconds: int = 20):
        self.settings = settings
        self.sqs = sqs
        self.slots = slots or settings.jobs or cpu_count()
        self.executor_factory = executor_factory
        self.executor = executor_factory(settings, self.slots)
        self.clock = clock
        self.max_wait = max_wait_seconds
        self.in_flight: dict[str, InFlight] = {}
        self.stopping_since: float | None = None
        self.pool_broken = False
        self.counts = {"ok": 0, "skipped": 0, "failed": 0, "gone": 0, "ignored": 0, "transient": 0}

    def stop(self, *_):
        if self.stopping_since is None:
            self.stopping_since = self.clock()
            log.warning("stopping", in_flight=len(self.in_flight), grace_s=self.settings.stop_grace_seconds)

    def run(self) -> int:
        last_work = self.clock()
        try:
            while True:
                now = self.clock()
                if self.stopping_since is not None:
                    if not self.in_flight:
                        break
                    if now - self.stopping_since > self.settings.stop_grace_seconds:
                        self._release_all()
                        break
                elif len(self.in_flight) < self.slots:
                    idle_left = self.settings.idle_seconds - (now - last_work)
                    if not self.in_flight and idle_left <= 0:
                        log.info("idle, exiting", idle_seconds=self.settings.idle_seconds, **self.counts)
                        break
                    wait_s = 1 if self.in_flight else max(1, min(self.max_wait, int(idle_left)))
                    if self._receive(self.slots - len(self.in_flight), wait_s):
                        last_work = self.clock()
                self._collect(timeout=0.5 if self.in_flight else 0)
                if self.in_flight:
                    last_work = self.clock()
                self._extend_visibility()
        finally:
            self._shutdown()
        log.info("worker done", **self.counts)
        return 0

    def _receive(self, free: int, wait_s: int) -> int:
        response = self.sqs.receive_message(
            QueueUrl=self.settings.queue_url, MaxNumberOfMessages=min(10, free),
            WaitTimeSeconds=wait_s, VisibilityTimeout=self.settings.visibility_timeout,
            MessageSystemAttributeNames=["ApproximateReceiveCount"])
        messages = response.get("Messages", [])
        for message in messages:
            self._start(message)
        return len(messages)

    def _start(self, message: dict) -> None:
        parsed = parse_message(message.get("Body", ""), bucket=self.settings.bucket,
                               input_prefix=self.settings.input_prefix)
        for reason in parsed.ignored:
            log.info("ignored", reason=reason, message_id=message["MessageId"])
            self.counts["ignored"] += 1
        if not parsed.jobs:
            self._delete(message["ReceiptHandle"])
            return
        receives = message.get("Attributes", {}).get("ApproximateReceiveCount")
        log.info("received", keys=[j.key for j in parsed.jobs], receives=receives, message_id=message["MessageId"])
        futures = [self.executor.submit(run_page, job) for job in parsed.jobs]
        self.in_flight[message["MessageId"]] = InFlight(message["ReceiptHandle"],
                                                        futures, self.clock())

    def _collect(self, timeout: float) -> None:
        futures = [f for item in self.in_flight.values() for f in item.futures]
        if not futures:
            return
        wait(futures, timeout=timeout, return_when=FIRST_COMPLETED)
        for message_id, item in list(self.in_flight.items()):
            if not all(f.done() for f in item.futures):
                continue
            del self.in_flight[message_id]
            for future in item.futures:
                item.transient |= self._record(future)
            if item.transient:
                self.counts["transient"] += 1  # left for SQS to redeliver
            else:
                self._delete(item.receipt)
        if self.pool_broken:  # a pool process died (out of memory?): start a fresh pool
            self.executor = self.executor_factory(self.settings, self.slots)
            self.pool_broken = False

    def _record(self, future: Future) -> bool:
        """Log a page's outcome; True when it must be retried later."""
        try:
            outcome = future.result()
        except BrokenProcessPool:
            log.error("worker process died; page left for redelivery")
            self.pool_broken = True
            return True
        except TransientError as exc:
            log.warning("page transient failure; left for redelivery", error=str(exc))
            return True
        except Exception as exc:  # unexpected: keep the message, SQS/DLQ bound the retries
            log.exception("page crashed; left for redelivery", error=f"{type(exc).__name__}: {exc}")
            return True
        self.counts[outcome["status"]] = self.counts.get(outcome["status"], 0) + 1
        log.info("page finished", page=outcome["name"], status=outcome["status"],
                 seconds=outcome.get("seconds"), words=outcome.get("words"), error=outcome.get("error"))
        return False

    def _extend_visibility(self) -> None:
        now = self.clock()
        for item in self.in_flight.values():
            if now - item.extended_at >= self.settings.visibility_timeout / 3:
                self.sqs.change_message_visibility(QueueUrl=self.settings.queue_url, ReceiptHandle=item.receipt,
                                                   VisibilityTimeout=self.settings.visibility_timeout)
                item.extended_at = now

    def _delete(self, receipt: str) -> None:
        self.sqs.delete_message(QueueUrl=self.settings.queue_url, ReceiptHandle=receipt)

    def _release_all(self) -> None:
        """Out of time: make unfinished pages visible again now, for another worker."""
        for item in self.in_flight.values():
            self.sqs.change_message_visibility(QueueUrl=self.settings.queue_url, ReceiptHandle=item.receipt,
                                               VisibilityTimeout=0)
        log.warning("released unfinished pages", count=len(self.in_flight))
        self.in_flight.clear()

    def _shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        for child in multiprocessing.active_children():  # pages abandoned after the grace period
            child.terminate()


def main(settings: Settings) -> int:
    """Entry point of ``eulereye worker``: exit 0 when idle or stopped, 2 when misconfigured."""
    missing = [name for name in ("bucket", "queue_url") if not getattr(settings, name)]
    if missing:
        log.error("missing configuration", variables=[f"EULEREYE_{m.upper()}" for m in missing])
        return 2
    from eulereye.outputs.formats import check_format_settings

    try:
        check_format_settings(settings.formats, settings.alto_profile)
    except ValueError as exc:
        log.error("bad configuration", error=str(exc))
        return 2
    import boto3

    worker = Worker(settings, boto3.client("sqs"))
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    log.info("worker started", slots=worker.slots, queue=settings.queue_url, engine=settings.engine,
             segmenter=settings.segmenter)
    return worker.run()
