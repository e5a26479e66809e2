"""Worker processes for parallel builds: they die with their run and hold none of its locks.

- A forked worker shares the run's open files, and an ``flock`` lasts as long as any copy of
  its descriptor is open: each worker closes the lock descriptors of the run as it starts
  (closing, never unlocking: an unlock would release the run's own lock).
- On Linux the kernel kills a worker when the run dies (``PR_SET_PDEATHSIG``). Elsewhere (macOS),
  and as a second guard, a watchdog thread ends the worker when its parent changes.
- Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the run decides (the
  scheduler finishes the builds in progress, ``update`` ends them). SIGTERM keeps its default
  action, so a worker can always be stopped on its own.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time

from briefing.jobs.fingerprint import start_hashing_run
from briefing.jobs.lock import close_inherited_locks
from briefing.runtime import pace_collector

#: How often the watchdog looks at the parent (seconds).
WATCH_INTERVAL = 0.25

_PR_SET_PDEATHSIG = 1


def process_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A pool of ``workers`` build processes tied to this one."""
    # fork where it is the platform's way (Linux): workers start without importing anything
    # again; spawn elsewhere (macOS), where fork is unsafe.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return cf.ProcessPoolExecutor(max_workers=workers,
                                  mp_context=multiprocessing.get_context(method),
                                  initializer=start_worker, initargs=(os.getpid(),))


def start_worker(parent: int, *, use_prctl: bool = True) -> None:
    """Run first in each worker: no inherited lock, death with the parent, signal dispositions,
    the collector's pace (a spawned worker does not inherit it)."""
    pace_collector()
    close_inherited_locks()
    start_hashing_run()  # a worker lives for one run: each input is hashed once in it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not (use_prctl and _die_with_parent(parent)):
        watch_parent(parent)


def _die_with_parent(parent: int) -> bool:
    """Ask the Linux kernel to kill this process when its parent dies; False if it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    return True


def watch_parent(parent: int, interval: float = WATCH_INTERVAL) -> threading.Thread:
    """A daemon thread that ends this process as soon as its parent is no longer ``parent``."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    thread = threading.Thread(target=watch, name="parent-watchdog", daemon=True)
    thread.start()
    return thread


def end_workers(pool: cf.ProcessPoolExecutor) -> None:
    """Stop the pool's workers now (their builds are abandoned; every write is atomic)."""
    processes = list(getattr(pool, "_processes", {}).values())  # private, but the only handle
    for process in processes:
        with contextlib.suppress(OSError, ValueError):  # already gone
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
