"""Local input files through the pipeline (``eulereye process``), many at once as the worker
runs pages: one file per pool process, each process with a pipeline of its own and one OCR
process (a single file given alone is read in this process instead, its sections spread over
the OCR processes: see ``commands.process``).

One file that crashes its process (a segfault, the OOM killer) does not fail the others: when
a pool process dies, every file that was in flight in the pool runs again alone, one at a time
with nothing beside it; one that dies alone fails with the reason (signal, out of memory)
recorded in ``errors/``. A file running past ``page_timeout`` is stopped (alone: its process;
in the pool: the pool's processes, the files beside it then run again alone) and fails as
timed out. A configuration fault (a missing model, Textract AccessDenied) stops the batch.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from eulereye.errors import CONFIGURATION, BadImageError, ConfigurationError, PageCrashedError, classify
from eulereye.isolation import kill_child_processes, run_isolated, stop_pool
from eulereye.logs import get_logger
from eulereye.outputs.store import LocalStore
from eulereye.pipeline import FileOutcome, Options, Pipeline

log = get_logger()


@dataclass(frozen=True)
class Input:
    path: Path
    rel: str  # below the folder given (or the file name of a file given)
    name: str  # its output name

    @property
    def source(self) -> dict:
        return {"path": str(self.path.absolute())}


def run_input(pipeline: Pipeline, item: Input, on_page=None) -> FileOutcome:
    """One input file through ``pipeline``. A configuration fault is raised (as
    ConfigurationError); any other failure costs this input only, recorded under errors/
    (running again retries it)."""
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        error = BadImageError(f"{item.rel}: cannot read file: {exc.strerror or exc}; check that it "
                              "exists and that you may read it")
        return record_failure(pipeline, item, error)
    try:
        return pipeline.process_file(data, item.rel, name=item.name, source=item.source, on_page=on_page)
    except Exception as exc:
        if classify(exc) == CONFIGURATION:
            raise ConfigurationError(f"nothing recorded against {item.rel}: {exc}") from None
        log.exception("page crashed", page=item.name)
        return record_failure(pipeline, item, exc)


def record_failure(pipeline: Pipeline, item: Input, exc: Exception) -> FileOutcome:
    pipeline.record_failure(item.name, {"key": item.rel, **item.source}, exc)
    return FileOutcome(item.name, "failed", error=f"{type(exc).__name__}: {exc}")


def largest_first(inputs: list[Input]) -> list[Input]:
    """The biggest files first (by bytes, a cheap stand-in for pixels): a big page started last
    would keep one process busy long after the others ran out of work."""
    def size(item: Input) -> int:
        try:
            return item.path.stat().st_size
        except OSError:  # reported when the file is read
            return 0
    return sorted(inputs, key=size, reverse=True)


# --- inside a pool (or alone) process ----------------------------------------------------------

_pipeline: Pipeline | None = None


def start_pipeline(options: Options, out: str) -> None:
    """Pool initializer: the process leaves Ctrl-C to the parent and loads its pipeline."""
    global _pipeline
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _pipeline = Pipeline(options, LocalStore(out))


def run_in_process(item: Input) -> FileOutcome:
    return run_input(_pipeline, item)


# --- the parent --------------------------------------------------------------------------------

@dataclass
class Attempt:
    item: Input
    started: float
    alone: bool
    timed_out: bool = False


class ParallelInputs:
    """Runs inputs ``slots`` at a time in pool processes; ``on_start(item)`` as each starts,
    ``on_done(item, outcome)`` as each ends. ``pipeline`` (this process's) records the
    failures of files whose process died."""

    def __init__(self, pipeline: Pipeline, out: str, slots: int, page_timeout: float,
                 on_start: Callable[[Input], None], on_done: Callable[[Input, FileOutcome], None],
                 clock=time.monotonic):
        self.pipeline = pipeline
        self.initargs = (pipeline.options, out)
        self.slots = slots
        self.page_timeout = page_timeout
        self.on_start, self.on_done = on_start, on_done
        self.clock = clock
        self.running: dict[Future, Attempt] = {}
        self.alone: deque[Input] = deque()  # to run again alone
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.slots, mp_context=multiprocessing.get_context("fork"),
                                   initializer=start_pipeline, initargs=self.initargs)

    def run(self, inputs: list[Input]) -> None:
        waiting = deque(largest_first(inputs))
        try:
            while waiting or self.running or self.alone:
                while waiting and not self.alone and len(self.running) < self.slots:
                    self._start(waiting.popleft())
                self._start_alone()
                wait(list(self.running), timeout=0.5, return_when=FIRST_COMPLETED)
                self._collect()
                self._enforce_deadlines()
        finally:
            stop_pool(self.pool)  # a stopped batch leaves no process behind

    def _start(self, item: Input) -> None:
        self.on_start(item)
        self.running[self.pool.submit(run_in_process, item)] = Attempt(item, self.clock(), alone=False)

    def _start_alone(self) -> None:
        """The next file waiting to run alone, once nothing else is in flight."""
        if self.running or not self.alone:
            return
        item = self.alone.popleft()
        log.info("page running alone", page=item.name)
        future = run_isolated(partial(start_pipeline, *self.initargs), partial(run_in_process, item), item.rel)
        self.running[future] = Attempt(item, self.clock(), alone=True)

    def _collect(self) -> None:
        broken = False
        for future in [f for f in self.running if f.done()]:
            attempt = self.running.pop(future)
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken = True
                if attempt.timed_out:
                    self._failed(attempt, PageCrashedError(f"{attempt.item.rel}: {self._overran()}"))
                else:
                    log.warning("a pool process died; its files run again alone", page=attempt.item.name)
                    self.alone.append(attempt.item)
            except ConfigurationError:
                raise
            except Exception as exc:  # died alone (PageCrashedError), or overran its deadline
                self._failed(attempt, PageCrashedError(f"{attempt.item.rel}: {self._overran()}")
                             if attempt.timed_out else exc)
            else:
                self.on_done(attempt.item, outcome)
        if broken:  # its processes are gone; its manager thread is ending on its own
            self.pool.shutdown(wait=True)
            self.pool = self._new_pool()

    def _overran(self) -> str:
        return f"timed out after {self.page_timeout:g} s"

    def _failed(self, attempt: Attempt, exc: Exception) -> None:
        self.on_done(attempt.item, record_failure(self.pipeline, attempt.item, exc))

    def _enforce_deadlines(self) -> None:
        """A file past its deadline is stopped: alone, its process is killed; in the pool, the
        pool's processes are."""
        now = self.clock()
        for future, attempt in self.running.items():
            if attempt.timed_out or now - attempt.started <= self.page_timeout:
                continue
            attempt.timed_out = True
            log.error("page past its deadline; stopping it", page=attempt.item.name,
                      page_timeout=self.page_timeout, alone=attempt.alone)
            if attempt.alone:
                future.kill()
            else:
                kill_child_processes()
