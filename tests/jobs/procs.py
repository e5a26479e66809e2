"""Processes as the kernel sees them (Linux ``/proc``): children, liveness, deadlines.

The process tests kill a run and then wait, with a deadline, for its workers to go; they never
sleep a fixed time.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
    return text[text.rindex(")") + 2:].split()


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie does not count)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def stopped(pid: int) -> bool:
    """True when ``pid`` is stopped (SIGSTOP)."""
    fields = _stat(pid)
    return fields is not None and fields[0] in ("T", "t")


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == pid and fields[0] not in ("Z", "X"):
                out.append(int(entry))
    return sorted(out)


def in_session(sid: int) -> list[int]:
    """The live processes of session ``sid`` (a run started with ``start_new_session``)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[3]) == sid and fields[0] not in ("Z", "X"):
                out.append(int(entry))
    return sorted(out)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout:g} s: {what}")
        time.sleep(0.02)
