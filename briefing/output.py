"""Writing the PDF: atomically, so a reader never sees a partial file and a failed build
never replaces a good one."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import OutputError
from briefing.paths import is_regular


def check_writable(path: Path) -> None:
    """Fail early, before any work, when the output cannot be written."""
    folder = path.resolve().parent
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name such as {path / 'briefing.pdf'}")
    if os.path.exists(path) and not is_regular(path):
        # The new file is renamed into place: it would replace a FIFO or a device.
        raise OutputError(f"{path}: is not a regular file (a FIFO or a device); give the name "
                          "of a file to write")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder {folder} is not writable")


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


#: A temporary file of ``write_atomic``: ``.NAME.PID.RANDOM.tmp``.
_TEMP = re.compile(r"\..+\.(\d+)\.[^.]+\.tmp")

#: Folders already swept in this run (``one_sweep_per_folder``); None outside a run.
_swept: set[Path] | None = None


@contextlib.contextmanager
def one_sweep_per_folder() -> Iterator[None]:
    """Within the block (a run writing many files), each folder is swept for stale temporary
    files once, at its first write, instead of at every write (a sweep lists the folder: at
    every write, a run's writes into one folder would cost the square of their number)."""
    global _swept
    if _swept is not None:
        yield
        return
    _swept = set()
    try:
        yield
    finally:
        _swept = None


def remove_stale_temps(path: Path) -> None:
    """Remove the temporary files that killed writers of ``path`` left behind (within
    ``one_sweep_per_folder``: of any file of its folder, once per run).

    A temporary file is named after the target and the writer's process id; it is stale when
    that process no longer runs (a ``kill -9`` or a power cut gives a writer no time to clean).
    """
    folder = path.resolve().parent
    if _swept is not None:
        if folder in _swept:
            return
        _swept.add(folder)
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                found = _TEMP.fullmatch(entry.name)
                if found is not None:
                    _remove_if_stale(Path(entry.path), found.group(1))
        return
    prefix = _temp_prefix(path)
    for candidate in folder.glob(f"{glob.escape(prefix)}*.tmp"):
        _remove_if_stale(candidate, candidate.name[len(prefix):].split(".", 1)[0])


def _remove_if_stale(candidate: Path, pid: str) -> None:
    if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
        with contextlib.suppress(OSError):
            candidate.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    # A killed writer stays a zombie until its parent reaps it: it writes nothing any more.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (macOS), or gone meanwhile
        return True
    return stat[stat.rfind(")") + 2:][:1] not in ("Z", "X")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it, then rename it into place.

    If anything fails (a full disk, an interrupt), the temporary file is removed and the old
    file at ``path`` stays as it was.
    """
    check_writable(path)
    remove_stale_temps(path)
    folder = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=f"{_temp_prefix(path)}{os.getpid()}.", suffix=".tmp",
                               dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Keep the usual permissions of a new file (mkstemp makes it private).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
