"""A build on a cluster's worker, from a bundle of its inputs: no shared filesystem.

The coordinator (``jobs.cluster``) sends a batch of briefings, each with the files it reads
(source, theme, fonts and logos outside briefing's own assets, images, data files, edition
records) named by their paths on the coordinator's machine and their sha256; the bytes travel
once per run, by digest. The worker:

    place each file at  SANDBOX + its path  (once per run and path) → rebase the task's paths
    → the same build as a local run (``update._attempts``: retries, timeout, edition draft),
      on the coordinator's clock → map every path in what it returns back → PDF bytes + record

Nothing is written to the coordinator's files here: the coordinator keeps the lock, the
fingerprints, the writes, the editions and the notifications. What a build looked for under
the sandbox and did not find is returned (``Result.missing``): a file the coordinator has
there was not shipped, and the build is sent again with it (an image named by a source never
built before). Files of briefing's own assets are the worker's: a worker of another version
of briefing refuses the batch.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

import briefing
from briefing.assets import assets_dir
from briefing.clock import given_clock
from briefing.jobs.fingerprint import start_hashing_run
from briefing.jobs.update import Builder, Built, Made, Task, _attempts, failure
from briefing.options import Asked, Given

#: Where a worker keeps the files of each run (one folder per run, removed at its end).
RUNS = Path(tempfile.gettempdir()) / f"briefing-cluster-{os.getuid()}"


@dataclass(frozen=True, slots=True)
class Job:
    """One briefing to build, with the inputs shipped for it."""

    task: Task  # as the coordinator has it: its paths are the coordinator's
    files: tuple[tuple[str, str], ...]  # (path, sha256) of each file shipped
    folders: tuple[str, ...] = ()  # folders that exist there (an empty assets folder...)


@dataclass(frozen=True, slots=True)
class Batch:
    """Briefings built one after another by one worker task (less scheduling per briefing)."""

    run: str  # names the run's folder on the worker
    version: str  # the coordinator's briefing version: a worker of another one refuses
    assets: str  # the coordinator's bundled assets folder (its files are not shipped)
    clock: tuple[str, dt.date]  # the coordinator's SOURCE_DATE_EPOCH and today
    jobs: tuple[Job, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """How one briefing of a batch fared on the worker (paths are the coordinator's)."""

    name: str
    made: Made | None  # the build, its edition draft and attempts; None when it failed
    error: str | None = None  # one line, as a local build would say it
    detail: str | None = None  # traceback of an unexpected error
    missing: tuple[str, ...] = ()  # files the build looked for that were not shipped
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class BatchResult:
    results: tuple[Result, ...]
    refused: str | None = None  # why the worker built nothing (another version of briefing)
    worker: str = ""
    seconds: float = 0.0  # time spent on the worker, placing files and building


def file_bytes(data: bytes) -> bytes:
    """A file's bytes, as a task of the cluster (made again if the worker holding them
    dies)."""
    return data


def worker_version() -> str:
    """The version of briefing this process runs."""
    return briefing.__version__


def build_batch(batch: Batch, blobs: Mapping[str, bytes], builder: Builder) -> BatchResult:
    """Build the batch's briefings on this worker; ``blobs``: the bytes of each digest."""
    started = time.monotonic()
    worker = f"{socket.gethostname()} (pid {os.getpid()})"
    if batch.version != briefing.__version__:
        return BatchResult((), refused=f"the worker {worker} runs briefing "
                           f"{briefing.__version__}, this one {batch.version}", worker=worker)
    start_hashing_run()
    _install_probes()
    root = str(RUNS / batch.run / "root")
    results = [_build_one(job, root, batch, blobs, builder) for job in batch.jobs]
    return BatchResult(tuple(results), worker=worker, seconds=time.monotonic() - started)


def remove_run(run: str) -> None:
    """Remove a run's files from this worker (at the end of the run)."""
    shutil.rmtree(RUNS / run, ignore_errors=True)
    with _placing:
        for key in [key for key in _placed if key[0] == run]:
            del _placed[key]


def _build_one(job: Job, root: str, batch: Batch, blobs: Mapping[str, bytes],
               builder: Builder) -> Result:
    started = time.monotonic()
    back = _Back(root, str(assets_dir()), batch.assets)
    task = job.task
    missing: set[str] = set()
    try:
        _place(batch.run, root, job, blobs)
        local = _rebase(task, root, {path for path, _ in job.files} | set(job.folders))
        with given_clock(batch.clock), _probing(root, missing):
            made = _attempts(local, builder)
    except Exception as exc:
        failed = failure(task, exc, started)
        return Result(task.name, None, back.text(failed.error or ""),
                      back.text(failed.detail) if failed.detail else None,
                      tuple(sorted(back.text(p) for p in missing)),
                      time.monotonic() - started)
    built, draft, attempts = made
    built = Built(pdf=built.pdf, pages=built.pages, source_bytes=built.source_bytes,
                  deps=tuple(Path(back.text(str(path))) for path in built.deps),
                  dated=built.dated, warnings=tuple(back.text(w) for w in built.warnings),
                  resolved=back.data(built.resolved))
    if draft is not None:  # the coordinator puts its own latest edition back
        draft = dataclasses.replace(draft, latest=None)
    return Result(task.name, (built, draft, attempts),
                  missing=tuple(sorted(back.text(p) for p in missing)),
                  seconds=time.monotonic() - started)


class _Back:
    """Maps what a build says of its paths back to the coordinator's."""

    def __init__(self, root: str, mine: str, theirs: str) -> None:
        self.root, self.mine, self.theirs = root, mine, theirs

    def text(self, text: str) -> str:
        return text.replace(self.root, "").replace(self.mine, self.theirs)

    def data(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.data(item) for item in value)
        return value


# -- placing the files ---------------------------------------------------------------------

#: (run, path) → the digest placed there, in this process.
_placed: dict[tuple[str, str], str] = {}
_placing = threading.Lock()


def _place(run: str, root: str, job: Job, blobs: Mapping[str, bytes]) -> None:
    """Put each file of ``job`` at ``root`` + its path (once per run and path)."""
    with _placing:
        for folder in job.folders:
            os.makedirs(root + folder, exist_ok=True)
        for path, digest in job.files:
            if _placed.get((run, path)) == digest:
                continue
            target = Path(root + path)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
            temporary.write_bytes(blobs[digest])
            os.replace(temporary, target)
            _placed[(run, path)] = digest


def _rebase(task: Task, root: str, shipped: set[str]) -> Task:
    """The task with its paths under ``root``."""
    latest = task.latest
    if latest is not None:
        latest = dataclasses.replace(latest, folder=Path(root + str(latest.folder)))
    return dataclasses.replace(
        task, source=Path(root + str(task.source)), output=Path(root + str(task.output)),
        asked=_rebase_asked(task.asked, root, shipped),
        editions=Path(root + str(task.editions)) if task.editions is not None else None,
        latest=latest, state_dir=None)


def _rebase_asked(asked: Asked, root: str, shipped: set[str]) -> Asked:
    """Option values naming a shipped file or a folder of shipped files (a theme, an assets
    folder, data files) name them under ``root``."""

    def inside(value: str) -> bool:
        return value in shipped or any(path.startswith(value.rstrip("/") + "/")
                                       for path in shipped)

    def rebased(value: Any) -> Any:
        if isinstance(value, str) and os.path.isabs(value) and inside(value):
            return root + value
        if isinstance(value, dict):  # data files by name
            return {key: rebased(item) for key, item in value.items()}
        return value

    layers = []
    for given in asked.layers:
        changes = {name: new for name in given.request.__struct_fields__
                   if (new := rebased(value := getattr(given.request, name))) is not value}
        request = msgspec.structs.replace(given.request, **changes) if changes \
            else given.request
        layers.append(Given(given.origin, request))
    return Asked(tuple(layers))


# -- what a build looked for ---------------------------------------------------------------

_probe = threading.local()
_installed = False


@contextlib.contextmanager
def _probing(root: str, missing: set[str]) -> Iterator[None]:
    """Within the block (this thread), paths under ``root`` that are looked up and missing are
    added to ``missing``."""
    _probe.root, _probe.missing = root, missing
    try:
        yield
    finally:
        _probe.root = None


def _note(path: Any) -> None:
    root = getattr(_probe, "root", None)
    if root is None or isinstance(path, int):
        return
    try:
        text = os.fsdecode(path)
    except TypeError:
        return
    if text.startswith(root + "/"):
        _probe.missing.add(os.path.normpath(text))


def _install_probes() -> None:
    """Watch ``os.stat``, ``os.lstat`` and ``open`` for missing paths (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True

    def noting(real: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
        def probe(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
            try:
                return real(path, *args, **kwargs)
            except FileNotFoundError:
                _note(path)
                raise
        return probe

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and getattr(_probe, "root", None) is not None and args \
                and args[0] is not None and not isinstance(args[0], int):
            try:
                exists = os.path.lexists(args[0])
            except (TypeError, ValueError):
                return
            if not exists:
                _note(args[0])

    os.stat, os.lstat = noting(os.stat), noting(os.lstat)
    sys.addaudithook(audit)
