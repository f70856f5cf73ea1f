"""Running one page alone, telling why its process died, and sizing pages to the task's memory.

A page runs alone (in a process of its own, with the whole task's memory and nothing else in
flight) when it is on its last delivery, when it was in flight in a pool process that died, or
when it has more pixels than one pool process's share of memory. Alone, a crash is the page's
own: its reason (signal, out of memory, deadline) can be told and recorded.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import Executor, Future
from pathlib import Path

from eulereye.config import DEFAULT_MAX_PIXELS
from eulereye.errors import ConfigurationError, PageCrashedError, as_classified

# Peak bytes per image pixel while a page is in the pipeline: the decoded image (up to RGBA),
# the gray page, its straightened copy, ink masks and component labels (int32), OCR crops.
# An estimate with headroom; EULEREYE_MAX_PIXELS overrides what it yields.
BYTES_PER_PIXEL = 16
# The share of the task's memory pages may use; the rest is Python, models and the parent.
PAGE_MEMORY_SHARE = 0.75
CGROUP_MEMORY_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
CGROUP_OOM_EVENTS = ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control")


def task_memory_bytes() -> int:
    """The memory this task may use: its cgroup limit, else the machine's memory."""
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in CGROUP_MEMORY_LIMITS:
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            return min(int(text), physical)
    return physical


def pixel_limits(explicit: int, slots: int, memory: int | None = None) -> tuple[int, int]:
    """(per pool process, alone): the most pixels a page may have to run beside ``slots - 1``
    others, and to run at all. ``explicit`` (EULEREYE_MAX_PIXELS) caps both when set."""
    memory = task_memory_bytes() if memory is None else memory
    task_pixels = int(memory * PAGE_MEMORY_SHARE / BYTES_PER_PIXEL)
    alone = explicit or min(DEFAULT_MAX_PIXELS, task_pixels)
    return min(alone, task_pixels // max(1, slots)), alone


def image_pixels(data: bytes) -> int | None:
    """Width x height from the image header (nothing decoded); None when unreadable."""
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                return image.width * image.height
    except Exception:  # the pipeline reports what is wrong with the file
        return None


def oom_kills() -> int:
    """How often the kernel's OOM killer has struck in this task's cgroup (0 when unknown)."""
    for path in CGROUP_OOM_EVENTS:
        try:
            for line in Path(path).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            continue
    return 0


def death_reason(exitcode: int | None, oom_kills_before: int) -> str:
    """Why a page's process ended without an answer, in words."""
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        if -exitcode == signal.SIGKILL and oom_kills() > oom_kills_before:
            return f"out of memory (the kernel's OOM killer sent {name})"
        return f"killed by signal {name}" + (" (out of memory is the usual cause)"
                                              if -exitcode == signal.SIGKILL else "")
    return f"the page's process exited with code {exitcode} without an answer"


def _isolated_child(start, call, label: str, conn) -> None:
    try:
        start()
    except Exception as exc:
        conn.send(("error", ConfigurationError(f"cannot start the pipeline: {type(exc).__name__}: {exc}")))
        return
    try:
        conn.send(("ok", call()))
    except Exception as exc:
        conn.send(("error", as_classified(exc, label)))


def run_isolated(start, call, label: str) -> Future:
    """``start()`` then ``call()`` in a process of their own (forked: nothing is pickled on the
    way in). The future gets what ``call`` returns; a failure to start as ConfigurationError;
    PageCrashedError with the reason when the process dies; ``future.kill()`` ends the
    process (a deadline). ``label`` names the page in messages."""
    context = multiprocessing.get_context("fork")  # as the pool: models need no pickling
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_isolated_child, daemon=True, args=(start, call, label, send))
    before = oom_kills()
    process.start()
    send.close()
    future: Future = Future()
    future.set_running_or_notify_cancel()
    future.kill = process.kill  # type: ignore[attr-defined]

    def watch() -> None:
        try:
            kind, value = receive.recv()
        except EOFError:  # died before answering
            kind, value = "crashed", None
        process.join()
        if kind == "ok":
            future.set_result(value)
        elif kind == "error":
            future.set_exception(value)
        else:
            future.set_exception(PageCrashedError(f"{label}: {death_reason(process.exitcode, before)}"))

    threading.Thread(target=watch, name=f"alone-{process.pid}", daemon=True).start()
    return future


def kill_child_processes() -> None:
    """SIGKILL this process's children: a pool's processes ignore SIGTERM (their parent decides
    when they stop), and nothing runs alone beside a pool."""
    for child in multiprocessing.active_children():
        child.kill()


def stop_pool(pool: Executor) -> None:
    """Stop ``pool`` now, pages in flight and all, and wait until its manager thread has ended.
    Not waiting for that thread would leave it closing its wake-up pipe while Python 3.11's exit
    hook writes to the same pipe (without the pool's lock): an EBADF traceback at exit."""
    kill_child_processes()
    pool.shutdown(wait=True, cancel_futures=True)
