"""Stopping a pool of page processes: nothing of it is left behind, the thread included."""

from __future__ import annotations

import multiprocessing
import signal
import time
from concurrent.futures import ProcessPoolExecutor

from eulereye.isolation import stop_pool


def _ignore_sigterm() -> None:  # as the pipeline's pool processes do
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def test_stop_pool_ends_pages_in_flight_processes_and_the_manager_thread():
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_sigterm)
    running = [pool.submit(time.sleep, 3600) for _ in range(2)]
    waiting = pool.submit(time.sleep, 3600)
    while not all(future.running() for future in running):
        time.sleep(0.01)
    manager = pool._executor_manager_thread  # shutdown forgets it; we check it has ended
    started = time.monotonic()
    stop_pool(pool)
    # The thread has ended when stop_pool returns: left closing its pipe, it races Python 3.11's
    # exit hook, which writes to that pipe without the pool's lock (an EBADF traceback at exit).
    assert not manager.is_alive()
    assert multiprocessing.active_children() == []
    assert all(future.done() for future in [*running, waiting])  # none left waiting on a result
    assert time.monotonic() - started < 30  # the hour-long pages were not waited for
