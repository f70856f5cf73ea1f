"""``eulereye worker``: drain the work queue, one page per message, exactly once in effect.

Per message: parse the S3 event (EventBridge or classic notification) -> download the page ->
pipeline (outputs written with the manifest last; an unchanged page is skipped) -> delete the
message. A page that failed for good has its ``errors/`` record and its message is deleted; a
transient failure leaves the message, so SQS redelivers it (and after N tries parks it in the
DLQ). While a page is in progress its message's visibility is extended, so a slow page is not
handed to a second worker; a worker that dies simply stops extending and the page comes back.

Pages run in a process pool sized to the task's vCPUs (each process holds its own pipeline,
models loaded once). A page runs alone (``isolation``) when it is on its last delivery, when a
pool process died while it was in flight (so one crashing page never fails its neighbours),
or when it has more pixels than a pool process's share of memory. Each page has a deadline
(``page_timeout``). A page on its last delivery that still crashes or times out gets its
``errors/`` record with the reason before SQS moves the message to the DLQ.

Failures are sorted by ``errors.classify``: bad input is recorded and its message deleted; a
configuration fault (missing model, AccessDenied, expired credentials) stops the worker with
one log line, messages untouched, exit code 3; anything else is left for redelivery. A start-up
self-check (``selfcheck``) finds most configuration faults within seconds.

SIGTERM (a Fargate Spot interruption gives 2 minutes) stops intake; pages in progress get
``stop_grace_seconds`` to finish, then their messages are released at once. The worker exits
0 after ``idle_seconds`` without work, 2 when its configuration is missing, 3 on a
configuration fault.

What a queue message asks for is ``eulereye.messages``; the work on one page, inside a pool
process or alone, is ``eulereye.pagework``.
"""

from __future__ import annotations

import signal
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from eulereye.config import Settings
from eulereye.errors import ConfigurationError, PageCrashedError
from eulereye.isolation import kill_child_processes, pixel_limits, stop_pool
from eulereye.logs import get_logger
from eulereye.messages import PageJob, parse_message
from eulereye.outputs.naming import page_name
from eulereye.pagework import NeedsWholeTaskError, init_process, output_name, run_alone, run_page, worker_slots

EXIT_MISSING_CONFIGURATION = 2
EXIT_CONFIGURATION_FAULT = 3
# A failed page comes back after 5, 10, 20 ... s (at most the visibility timeout), not after a
# whole visibility timeout: a poison page reaches its last, solitary delivery in minutes.
RETRY_BASE_SECONDS = 5

log = get_logger(role="worker")


# --- the loop ---------------------------------------------------------------------------------

@dataclass
class Attempt:
    job: PageJob
    started: float
    alone: bool
    timed_out: bool = False


@dataclass
class InFlight:
    receipt: str
    extended_at: float
    last_delivery: bool
    receives: int = 1
    running: dict[Future, Attempt] = field(default_factory=dict)
    waiting: list[PageJob] = field(default_factory=list)  # to run alone
    transient: bool = False  # some page is left for redelivery: keep the message

    def settled(self) -> bool:
        return not self.running and not self.waiting


def process_pool(settings: Settings, slots: int):
    return ProcessPoolExecutor(max_workers=slots, initializer=init_process, initargs=(settings,))


class Worker:
    def __init__(self, settings: Settings, sqs, *, slots: int | None = None, executor_factory=process_pool,
                 alone_factory=run_alone, clock=time.monotonic, max_wait_seconds: int = 20,
                 max_receives: int = 0):
        self.settings = settings
        self.sqs = sqs
        self.slots = slots or worker_slots(settings)
        self.executor_factory = executor_factory
        self.executor = executor_factory(settings, self.slots)
        self.alone_factory = alone_factory
        self.clock = clock
        self.max_wait = max_wait_seconds
        self.max_receives = max_receives  # the queue's maxReceiveCount (0: no DLQ)
        self.in_flight: dict[str, InFlight] = {}
        self.stopping_since: float | None = None
        self.pool_broken = False
        self.configuration_fault: ConfigurationError | None = None
        self._errors_store = None
        self.counts = {"ok": 0, "skipped": 0, "failed": 0, "gone": 0, "ignored": 0, "transient": 0,
                       "alone": 0, "crashed": 0}

    def stop(self, *_):
        if self.stopping_since is None:
            self.stopping_since = self.clock()
            log.warning("stopping", in_flight=len(self.in_flight), grace_s=self.settings.stop_grace_seconds)

    def run(self) -> int:
        last_work = self.clock()
        try:
            while self.configuration_fault is None:
                now = self.clock()
                if self.stopping_since is not None:
                    if not self.in_flight:
                        break
                    if now - self.stopping_since > self.settings.stop_grace_seconds:
                        self._release_all()
                        break
                elif len(self.in_flight) < self.slots and not self._alone_pending():
                    idle_left = self.settings.idle_seconds - (now - last_work)
                    if not self.in_flight and idle_left <= 0:
                        log.info("idle, exiting", idle_seconds=self.settings.idle_seconds, **self.counts)
                        break
                    wait_s = 1 if self.in_flight else max(1, min(self.max_wait, int(idle_left)))
                    if self._receive(self.slots - len(self.in_flight), wait_s):
                        last_work = self.clock()
                self._start_alone()
                self._collect(timeout=0.5 if self.in_flight else 0)
                if self.in_flight:
                    last_work = self.clock()
                self._enforce_deadlines()
                self._extend_visibility()
        finally:
            self._shutdown()
        if self.configuration_fault is not None:
            log.error("configuration fault", error=str(self.configuration_fault),
                      action="worker stopped, messages left untouched", **self.counts)
            return EXIT_CONFIGURATION_FAULT
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
        receives = int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1))
        last = bool(self.max_receives) and receives >= self.max_receives
        log.info("received", keys=[j.key for j in parsed.jobs], receives=receives, last_delivery=last,
                 message_id=message["MessageId"])
        item = InFlight(message["ReceiptHandle"], self.clock(), last, receives)
        if last:  # its last chance: alone, so a crash is its own and can be recorded
            item.waiting.extend(parsed.jobs)
        else:
            for job in parsed.jobs:
                item.running[self.executor.submit(run_page, job)] = Attempt(job, self.clock(), False)
        self.in_flight[message["MessageId"]] = item

    # -- pages alone ------------------------------------------------------------------------------
    def _alone_pending(self) -> bool:
        return any(item.waiting or any(a.alone for a in item.running.values())
                   for item in self.in_flight.values())

    def _start_alone(self) -> None:
        """Start the next page waiting to run alone once nothing else is in flight."""
        if any(item.running for item in self.in_flight.values()):
            return
        item = next((i for i in self.in_flight.values() if i.waiting), None)
        if item is None:
            return
        job = item.waiting.pop(0)
        log.info("page running alone", key=job.key, last_delivery=item.last_delivery)
        self.counts["alone"] += 1
        item.running[self.alone_factory(self.settings, job)] = Attempt(job, self.clock(), True)

    # -- outcomes ---------------------------------------------------------------------------------
    def _collect(self, timeout: float) -> None:
        futures = [f for item in self.in_flight.values() for f in item.running]
        if not futures:
            return
        wait(futures, timeout=timeout, return_when=FIRST_COMPLETED)
        for message_id, item in list(self.in_flight.items()):
            for future in [f for f in item.running if f.done()]:
                self._record(item, item.running.pop(future), future)
            if not item.settled() or self.configuration_fault is not None:
                continue
            del self.in_flight[message_id]
            if item.transient:
                self.counts["transient"] += 1  # left for SQS to redeliver, after a backoff
                self._retry_later(item)
            else:
                self._delete(item.receipt)
        if self.pool_broken:  # a pool process died (out of memory?): start a fresh pool
            # The broken pool's other processes ignore SIGTERM and would finish their pages
            # while those run again alone: a page done twice. They die first.
            stop_pool(self.executor)
            self.executor = self.executor_factory(self.settings, self.slots)
            self.pool_broken = False

    def _record(self, item: InFlight, attempt: Attempt, future: Future) -> None:
        """Act on one page's outcome: count it, or queue it to run alone, or keep its message."""
        try:
            outcome = future.result()
        except BrokenProcessPool as exc:
            self.pool_broken = True
            if attempt.timed_out:  # the page that overran: its next delivery tries again
                self._failed_attempt(item, attempt, exc)
            else:
                log.error("a worker process died; its pages run again alone", key=attempt.job.key)
                self._retry_alone(item, attempt)
            return
        except NeedsWholeTaskError as exc:
            log.info("page needs the whole task", key=attempt.job.key, reason=str(exc))
            self._retry_alone(item, attempt)
            return
        except ConfigurationError as exc:
            self.configuration_fault = exc
            return
        except Exception as exc:  # transient, or crashed alone: SQS/DLQ bound the retries
            self._failed_attempt(item, attempt, exc)
            return
        self.counts[outcome["status"]] = self.counts.get(outcome["status"], 0) + 1
        log.info("page finished", page=outcome["name"], status=outcome["status"],
                 seconds=outcome.get("seconds"), words=outcome.get("words"), error=outcome.get("error"))

    def _retry_alone(self, item: InFlight, attempt: Attempt) -> None:
        if attempt.alone:  # already alone: nothing more to isolate
            self._failed_attempt(item, attempt, PageCrashedError(f"{attempt.job.key}: its process died"))
        else:
            item.waiting.append(attempt.job)

    def _failed_attempt(self, item: InFlight, attempt: Attempt, exc: BaseException) -> None:
        """The message stays for redelivery; on the last delivery the page first gets its
        errors/ record with the reason, so the DLQ never holds a page without one."""
        if attempt.timed_out:
            exc = PageCrashedError(f"{attempt.job.key}: timed out after {self.settings.page_timeout} s")
        crashed = isinstance(exc, PageCrashedError)
        self.counts["crashed"] += crashed
        item.transient = True
        if item.last_delivery and attempt.alone:
            log.error("page failed on its last delivery; recorded, message goes to the DLQ",
                      key=attempt.job.key, error=f"{type(exc).__name__}: {exc}")
            self._record_last_failure(attempt.job, exc)
        else:
            log.warning("page failed; left for redelivery", key=attempt.job.key,
                        error=f"{type(exc).__name__}: {exc}")

    def _record_last_failure(self, job: PageJob, exc: BaseException) -> None:
        import boto3

        from eulereye.outputs.naming import escaped_name
        from eulereye.outputs.s3store import S3Store
        from eulereye.pipeline import write_failure

        if self._errors_store is None:
            self._errors_store = S3Store(boto3.client("s3"), self.settings.bucket, self.settings.output_prefix)
        s3 = self._errors_store.client
        try:
            name = output_name(s3, self.settings.bucket, self.settings.input_prefix, job.relpath)
        except Exception:  # noqa: BLE001 - the record matters more than the sibling rule
            name = page_name(escaped_name(job.relpath))
        try:
            write_failure(self._errors_store, name, {"key": job.key}, exc,
                          deliveries=self.max_receives, reason=str(exc))
            log.info("page finished", page=name, status="failed", error=f"{type(exc).__name__}: {exc}")
        except Exception as write_error:  # noqa: BLE001 - the DLQ still holds the message
            log.error("could not write the errors/ record", key=job.key, error=str(write_error))

    def _enforce_deadlines(self) -> None:
        """A page past its deadline is stopped: alone, its process is killed; in the pool, the
        pool's processes are (the pages beside it then run again alone)."""
        now = self.clock()
        pool_overdue = False
        for item in self.in_flight.values():
            for future, attempt in item.running.items():
                if attempt.timed_out or now - attempt.started <= self.settings.page_timeout:
                    continue
                attempt.timed_out = True
                log.error("page past its deadline; stopping it", key=attempt.job.key,
                          page_timeout=self.settings.page_timeout, alone=attempt.alone)
                if attempt.alone:
                    future.kill()
                else:
                    pool_overdue = True
        if pool_overdue:
            kill_child_processes()

    # -- the message ------------------------------------------------------------------------------
    def _extend_visibility(self) -> None:
        now = self.clock()
        for item in self.in_flight.values():
            if now - item.extended_at >= self.settings.visibility_timeout / 3:
                self.sqs.change_message_visibility(QueueUrl=self.settings.queue_url, ReceiptHandle=item.receipt,
                                                   VisibilityTimeout=self.settings.visibility_timeout)
                item.extended_at = now

    def _retry_later(self, item: InFlight) -> None:
        """Back off before the next try; after the last one (recorded), let SQS move the
        message to the DLQ at once."""
        delay = 0 if item.last_delivery else min(self.settings.visibility_timeout,
                                                 RETRY_BASE_SECONDS * 2 ** (item.receives - 1))
        self.sqs.change_message_visibility(QueueUrl=self.settings.queue_url, ReceiptHandle=item.receipt,
                                           VisibilityTimeout=delay)

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
        # Pages still running were released for another worker after the grace period.
        stop_pool(self.executor)


def main(settings: Settings) -> int:
    """Entry point of ``eulereye worker``: exit 0 when idle or stopped, 2 when configuration is
    missing, 3 when the self-check or a page finds a configuration fault."""
    missing = [name for name in ("bucket", "queue_url") if not getattr(settings, name)]
    if missing:
        log.error("missing configuration", variables=[f"EULEREYE_{m.upper()}" for m in missing])
        return EXIT_MISSING_CONFIGURATION
    from eulereye.outputs.formats import check_format_settings

    try:
        check_format_settings(settings.formats, settings.alto_profile)
    except ValueError as exc:
        log.error("bad configuration", error=str(exc))
        return EXIT_MISSING_CONFIGURATION
    import boto3

    from eulereye.selfcheck import self_check

    sqs = boto3.client("sqs")
    check = self_check(settings, sqs, boto3.client("s3"))
    if check.problems:
        log.error("self-check failed", problems=check.problems,
                  action="worker not started, messages left untouched")
        return EXIT_CONFIGURATION_FAULT
    worker = Worker(settings, sqs, max_receives=check.max_receives)
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    log.info("worker started", slots=worker.slots, queue=settings.queue_url, engine=settings.engine,
             segmenter=settings.segmenter, max_receives=check.max_receives,
             page_timeout=settings.page_timeout, max_pixels=pixel_limits(settings.max_pixels, worker.slots))
    return worker.run()
