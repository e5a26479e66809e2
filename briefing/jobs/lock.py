"""One run per manifest at a time: an advisory ``flock`` on ``.briefings.toml.lock``.

The lock file sits beside the manifest and is never removed (removing it would let two runs
lock two different files). The kernel releases the lock when the last descriptor of it is
closed, so when the process dies, however it dies. Worker processes forked while a lock is held
share that descriptor: they close it as they start (``close_inherited_locks``), so a killed run
never leaves a stale lock behind in an orphaned worker. POSIX only: on Windows (no ``fcntl``)
runs are not protected from each other; the lock is then a no-op, with a warning.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import BriefingError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("briefing.jobs")

#: The descriptors of the locks this process holds.
_HELD: set[int] = set()


class LockedError(BriefingError):
    """Another run holds the manifest's lock. Exit code 75 (EX_TEMPFAIL): try again later."""

    exit_code = 75


@contextlib.contextmanager
def manifest_lock(
    lock_path: Path, *, wait: bool = False, timeout: float | None = None, what: str | None = None
) -> Iterator[None]:
    """Hold the lock for the block; without ``wait``, fail at once if another run holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        log.warning("%s: locking is not supported on this system; runs may overlap", lock_path)
        yield
        return
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise BriefingError(f"{lock_path}: cannot create the lock file ({exc.strerror})") from None
    _HELD.add(fd)
    try:
        _acquire(fd, lock_path, wait=wait, timeout=timeout, what=what)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only a courtesy for humans
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)  # closing releases the lock


def close_inherited_locks() -> None:
    """In a forked child: close the copies of the parent's lock descriptors (never unlock:
    that would release the parent's lock too)."""
    for fd in list(_HELD):
        _HELD.discard(fd)
        with contextlib.suppress(OSError):
            os.close(fd)


def _acquire(
    fd: int, lock_path: Path, *, wait: bool, timeout: float | None, what: str | None
) -> None:
    assert fcntl is not None
    if wait and timeout is None:
        log.debug("%s: waiting for the lock", lock_path)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + (timeout or 0.0)
    announced = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not wait or time.monotonic() >= deadline:
                break
            if not announced:
                log.info("%s: another run is in progress; waiting", lock_path)
                announced = True
            time.sleep(0.1)
    holder = _holder(lock_path)
    if what is not None:
        raise LockedError(f"{what}{holder}")
    manifest = lock_path.name.removeprefix(".").removesuffix(".lock")
    raise LockedError(
        f"another `briefing` run{holder} is updating {manifest}; it was left alone. "
        "Try again later, or pass --wait to wait for it"
    )


def _holder(lock_path: Path) -> str:
    try:
        pid = lock_path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
