"""``briefing update --cluster ADDRESS``: the builds of a run on a Dask distributed cluster.

    connect (≤ CONNECT_TIMEOUT s; ``local:N`` starts a local cluster of N worker processes)
    → every worker runs this version of briefing, or the run is refused
    → per briefing: its inputs by content (``jobs.bundle``), each distinct file shipped once
      per run; briefings sent in batches (``batch_size``), a few batches per worker in flight
    → per result, here and only here: the edition recorded, the PDF written, the outcome
      (``update.conclude``, as a local run); a result is accepted once per briefing

A worker that dies has its batch run again by the scheduler; a batch that keeps killing its
workers is split, so that one briefing that kills its process fails alone. A build that
looked for a file this machine has and that was not shipped (an image named by a source never
built before) is sent again with it. This module is imported only with ``--cluster``: Dask is
the optional extra ``briefing[cluster]``.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import logging
import math
import os
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from briefing.extras import require

require("distributed", "--cluster")  # one line naming the extra when Dask is missing

import distributed  # noqa: E402

import briefing  # noqa: E402
from briefing.assets import assets_dir  # noqa: E402
from briefing.clock import this_clock  # noqa: E402
from briefing.errors import BriefingError, ClusterError, reason  # noqa: E402
from briefing.files import FileState  # noqa: E402
from briefing.jobs.bundle import (  # noqa: E402
    Batch,
    BatchResult,
    Job,
    Result,
    build_batch,
    file_bytes,
    remove_run,
    worker_version,
)
from briefing.jobs.fingerprint import remember_digest, sha256_bytes  # noqa: E402
from briefing.jobs.state import read_record  # noqa: E402
from briefing.jobs.update import (  # noqa: E402
    Builder,
    Outcome,
    StopFlag,
    Task,
    conclude,
    failure,
    pipeline_builder,
    prepare,
)
from briefing.paths import is_regular  # noqa: E402
from briefing.theme import load_theme  # noqa: E402

log = logging.getLogger("briefing.jobs")

#: Seconds to reach the scheduler (and, for a scheduler without workers, to wait for one).
CONNECT_TIMEOUT = 5.0
#: Most briefings in one worker task.
MAX_BATCH = 32
#: Times a build is sent again with the files it looked for and that were not shipped.
MAX_ROUNDS = 4
#: Times a briefing is sent again after its worker died (beyond the scheduler's own retries).
MAX_LOST = 2

_LOCAL = re.compile(r"local:(\d+)")


def check_address(address: str) -> str:
    """``address`` when it names a cluster: ``local:N``, or a scheduler's address."""
    local = _LOCAL.fullmatch(address)
    if local is not None:
        if not 1 <= int(local.group(1)) <= 256:
            raise ClusterError(f"--cluster {address}: expected local:N with N from 1 to 256")
        return address
    if not re.fullmatch(r"([a-z]+://)?[^\s/:]+(:\d+)?", address):
        raise ClusterError(f"--cluster {address!r}: expected a scheduler's address such as "
                           "tcp://10.0.0.5:8786, or local:N")
    return address


@dataclass(slots=True)
class Stats:
    """What a run on the cluster cost (the benchmark reads it)."""

    batches: int = 0
    briefings: int = 0
    bytes_shipped: int = 0  # file bytes sent to the cluster (each distinct file once)
    files_shipped: int = 0
    worker_seconds: float = 0.0  # time spent in batches on the workers
    coordinator_seconds: float = 0.0  # time spent here settling results (records, writes)
    resent: int = 0  # builds sent again (a worker died, a file was not shipped)
    workers: dict[str, int] = field(default_factory=dict)  # briefings built by each worker


@dataclass(slots=True)
class _Pending:
    task: Task
    before: FileState
    started: float
    rounds: int = 0
    lost: int = 0
    alone: bool = False  # sent in a batch of its own (after its batch killed workers)
    shipped: frozenset[str] = frozenset()  # the files and folders sent with it last


class Cluster:
    """A connection to a cluster, for one or more runs (``with Cluster(address) as c``)."""

    def __init__(self, address: str, *, timeout: float = CONNECT_TIMEOUT) -> None:
        self.address = check_address(address)
        self.timeout = timeout
        self.client: distributed.Client | None = None
        self.local: distributed.LocalCluster | None = None
        self.stats = Stats()

    def __enter__(self) -> Cluster:
        try:
            self._connect()
            self._check_versions()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _connect(self) -> None:
        local = _LOCAL.fullmatch(self.address)
        if local is not None:
            self.local = distributed.LocalCluster(
                n_workers=int(local.group(1)), threads_per_worker=1, processes=True,
                host="127.0.0.1", protocol="tcp", dashboard_address="127.0.0.1:0",
                # Dask's own errors at shutdown (a worker's heartbeat to a scheduler that
                # is closing) are noise to a user: what fails is said by briefing.
                silence_logs=logging.CRITICAL)
            address = self.local.scheduler_address
        else:
            address = self.address
        try:
            self.client = distributed.Client(address, timeout=self.timeout,
                                             set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"--cluster {self.address}: no scheduler answered within {self.timeout:g} s "
                f"({reason(exc)}); start one with `dask scheduler` and workers with "
                f"`dask worker {self.address}`, or correct the address") from None
        try:
            self.client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError):
            raise ClusterError(
                f"--cluster {self.address}: the scheduler has no workers; start some with "
                f"`dask worker {self.address}`") from None

    def _check_versions(self) -> None:
        assert self.client is not None
        try:
            versions: dict[str, str] = self.client.run(worker_version)
        except ImportError as exc:
            raise ClusterError(
                f"--cluster {self.address}: a worker cannot run briefing ({reason(exc)}); "
                f"install briefing {briefing.__version__} on every worker") from None
        other = {worker: version for worker, version in versions.items()
                 if version != briefing.__version__}
        if other:
            said = ", ".join(f"{worker} runs {version}" for worker, version in sorted(
                other.items()))
            raise ClusterError(
                f"--cluster {self.address}: {said}, this machine {briefing.__version__}; "
                "install the same version of briefing on every worker")

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close(timeout=self.timeout)
            self.client = None
        if self.local is not None:
            with contextlib.suppress(Exception):
                self.local.close(timeout=self.timeout)
            self.local = None

    @property
    def threads(self) -> int:
        assert self.client is not None
        counts: dict[str, int] = self.client.nthreads()
        return max(1, sum(counts.values()))

    def run(self, tasks: Sequence[Task], *, builder: Builder = pipeline_builder,
            jobs: int | None = None, stop: StopFlag | None = None) -> Iterator[Outcome]:
        """Run the builds on the cluster, yielding each outcome as it is settled here
        (``update.run_tasks``'s contract; ``jobs`` is the cluster's to decide)."""
        assert self.client is not None
        run = _Run(self, tasks, builder)
        try:
            yield from run.outcomes(stop)
        finally:
            run.end()


class _Run:
    """One run's builds on the cluster."""

    def __init__(self, cluster: Cluster, tasks: Sequence[Task], builder: Builder) -> None:
        assert cluster.client is not None
        self.cluster, self.client, self.tasks, self.builder = (
            cluster, cluster.client, tasks, builder)
        self.id = uuid.uuid4().hex[:16]
        self.clock = this_clock()
        self.mine = str(assets_dir())
        self.stats = cluster.stats
        self.by_stat: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) → digest
        self.blobs: dict[str, distributed.Future[Any]] = {}  # digest → its bytes on the cluster
        self.theme_files: dict[tuple[Any, Any], tuple[list[str], list[str]]] = {}
        self.learned: dict[str, set[str]] = collections.defaultdict(set)  # folder → files
        self.learned_folders: dict[str, set[str]] = collections.defaultdict(set)
        self.done: set[str] = set()
        self.running: dict[distributed.Future[Any], list[_Pending]] = {}
        self.batch_size = max(1, min(MAX_BATCH, math.ceil(
            len(tasks) / (cluster.threads * 4))))

    def outcomes(self, stop: StopFlag | None) -> Iterator[Outcome]:
        waiting: collections.deque[_Pending] = collections.deque()
        for task in self.tasks:
            started = time.monotonic()
            try:
                before = prepare(task)
            except Exception as exc:
                yield failure(task, exc, started)
                continue
            waiting.append(_Pending(task, before, started))
        in_flight = 2 * self.cluster.threads
        finished: distributed.as_completed | None = None

        def refill() -> None:
            """Keep every worker busy: a batch running and one waiting, each."""
            nonlocal finished
            while waiting and len(self.running) < in_flight and not (stop and stop.is_set()):
                batch = [waiting.popleft()]
                if not batch[0].alone:
                    while waiting and len(batch) < self.batch_size and not waiting[0].alone:
                        batch.append(waiting.popleft())
                submitted = self._submit(batch)
                if finished is None:
                    finished = distributed.as_completed([submitted], loop=self.client.loop)
                else:
                    finished.add(submitted)

        while waiting or self.running:
            refill()
            if not self.running or finished is None:
                return
            future = next(finished)
            batch = self.running.pop(future)
            if future.status != "finished":
                if self.client.status not in ("running", "connecting"):
                    raise ClusterError(f"--cluster {self.cluster.address}: the connection to "
                                       "the scheduler was lost; run again")
                self._forget_lost_files()
                yield from self._lost(future, batch, waiting)
                continue
            refill()  # before settling this batch's results here: the workers go on meanwhile
            result: BatchResult = future.result()
            if result.refused is not None:
                raise ClusterError(f"--cluster {self.cluster.address}: {result.refused}; "
                                   "install the same version of briefing on every worker")
            self.stats.batches += 1
            self.stats.worker_seconds += result.seconds
            by_name = {item.task.name: item for item in batch}
            for done in result.results:
                item = by_name[done.name]
                settling = time.monotonic()
                outcome = self._settle(item, done, result.worker, waiting)
                self.stats.coordinator_seconds += time.monotonic() - settling
                if outcome is not None:
                    yield outcome

    def _settle(self, item: _Pending, done: Result, worker: str,
                waiting: collections.deque[_Pending]) -> Outcome | None:
        """The outcome of one build that came back, or None when it is sent again."""
        task = item.task
        if task.name in self.done:  # already settled: never written or recorded twice
            return None
        needed = [path for path in done.missing
                  if path not in item.shipped and os.path.lexists(path)]
        if needed and item.rounds < MAX_ROUNDS:
            folder = str(task.source.parent)
            for path in needed:
                (self.learned if is_regular(path) else self.learned_folders)[folder].add(path)
            item.rounds += 1
            self.stats.resent += 1
            waiting.appendleft(item)
            return None
        self.done.add(task.name)
        self.stats.briefings += 1
        self.stats.workers[worker] = self.stats.workers.get(worker, 0) + 1
        if done.made is None:
            return Outcome(task.name, "failed", error=done.error, detail=done.detail,
                           seconds=time.monotonic() - item.started)
        built, draft, attempts = done.made
        if draft is not None:
            draft = dataclasses.replace(draft, latest=task.latest)
        try:
            return conclude(task, (built, draft, attempts), item.before, item.started)
        except Exception as exc:
            return failure(task, exc, item.started)

    def _lost(self, future: distributed.Future[Any], batch: list[_Pending],
              waiting: collections.deque[_Pending]) -> Iterator[Outcome]:
        """A batch that did not come back: its worker died (the scheduler gave up on it, or
        files it needed died with a worker), or a bug."""
        exc: BaseException | None
        try:
            exc = future.exception() if future.status == "error" else None
        except BaseException as error:  # cancelled
            exc = error
        died = exc is None or isinstance(exc, distributed.KilledWorker | OSError) \
            or future.status == "cancelled"
        for item in batch:
            if item.task.name in self.done:
                continue
            if died and item.lost < MAX_LOST:
                item.lost += 1
                item.alone = True  # one that kills its process fails alone
                self.stats.resent += 1
                waiting.appendleft(item)
                continue
            self.done.add(item.task.name)
            if died:
                why = f" ({reason(exc)})" if exc is not None else ""
                yield Outcome(item.task.name, "failed",
                              error=f"the build process died{why}")
            else:
                yield failure(item.task, exc if isinstance(exc, Exception)
                              else RuntimeError(repr(exc)), item.started)

    # -- what is shipped -------------------------------------------------------------------

    def _submit(self, batch: list[_Pending]) -> distributed.Future[Any]:
        jobs = []
        digests: set[str] = set()
        new: dict[str, bytes] = {}
        for item in batch:
            files, folders = self._inputs(item.task)
            item.shipped = frozenset(files) | frozenset(folders)
            shipped = []
            for path in files:
                digest = self._digest(path, new)
                if digest is not None:
                    shipped.append((path, digest))
                    digests.add(digest)
            jobs.append(Job(item.task, tuple(shipped), tuple(folders)))
        for digest, data in new.items():
            # A task, not scattered data: the scheduler keeps the bytes and makes them again
            # on another worker when the one holding them dies.
            self.blobs[digest] = self.client.submit(file_bytes, data, pure=False,
                                                    key=f"briefing-file-{digest}")
        batch_spec = Batch(self.id, briefing.__version__, self.mine, self.clock, tuple(jobs))
        future = self.client.submit(build_batch, batch_spec,
                                    {d: self.blobs[d] for d in sorted(digests)}, self.builder,
                                    pure=False, key=f"briefing-batch-{uuid.uuid4().hex}")
        self.running[future] = batch
        return future

    def _forget_lost_files(self) -> None:
        """Files whose only copy was on a worker that died are shipped again when needed."""
        lost = {digest for digest, blob in self.blobs.items()
                if blob.status in ("error", "cancelled", "lost")}
        for digest in lost:
            del self.blobs[digest]
        for key in [key for key, digest in self.by_stat.items() if digest in lost]:
            del self.by_stat[key]

    def _digest(self, path: str, new: dict[str, bytes]) -> str | None:
        """The digest of a file to ship (read once per run); None when it cannot be read
        (the build then says so, as it would here)."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        key = (path, st.st_size, st.st_mtime_ns)
        digest = self.by_stat.get(key)
        if digest is not None:
            return digest
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        digest = sha256_bytes(data)
        self.by_stat[key] = digest
        remember_digest(path, st, digest)
        if digest not in self.blobs and digest not in new:
            new[digest] = data
            self.stats.bytes_shipped += len(data)
            self.stats.files_shipped += 1
        return digest

    def _inputs(self, task: Task) -> tuple[list[str], list[str]]:
        """The files a build of ``task`` reads (outside briefing's own assets), as far as
        they can be told before building, and folders that must exist."""
        files = {str(task.source)} | _named_files(task)
        theme, assets = task.asked.get("theme"), task.asked.get("assets")
        themed, folders = self._theme_inputs(theme, assets)
        files.update(themed)
        record = read_record(task.state_dir, task.name) if task.state_dir else None
        if record is not None:
            files.update(dep.path for dep in record.deps if not self._bundled(dep.path))
        folder = str(task.source.parent)
        files.update(self.learned.get(folder, ()))
        more = set(folders) | self.learned_folders.get(folder, set())
        latest = task.latest
        if latest is not None:
            files.update(str(path) for path in (latest.record_path, latest.pdf_path))
            before = latest.folder / f"{latest.number - 1:04d}.json"
            if latest.number > 1:
                files.add(str(before))
        return sorted(files), sorted(more)

    def _theme_inputs(self, theme: Any, assets: Any) -> tuple[list[str], list[str]]:
        key = (theme, assets)
        if key not in self.theme_files:
            files: set[str] = set()
            folders: list[str] = []
            if assets:
                folders.append(str(assets))
                for root, dirs, names in os.walk(str(assets)):
                    dirs.sort()
                    files.update(os.path.join(root, name) for name in names)
            try:
                loaded = load_theme(theme, extra_assets=Path(assets) if assets else None)
                files.update(str(path) for path in loaded.files())
            except BriefingError:
                pass  # the build says what is wrong, as it would here
            self.theme_files[key] = (sorted(p for p in files if not self._bundled(p)),
                                     folders)
        return self.theme_files[key]

    def _bundled(self, path: str) -> bool:
        return path.startswith(self.mine + os.sep)

    def end(self) -> None:
        """Cancel what is still running; remove the run's files from the workers."""
        with contextlib.suppress(Exception):
            if self.running:
                self.client.cancel(list(self.running), force=True)
            self.running.clear()
            self.client.cancel(list(self.blobs.values()), force=True)
            self.blobs.clear()
            self.client.run(remove_run, self.id)


def _named_files(task: Task) -> set[str]:
    """The files the options of ``task`` name by their path (data files, a theme file)."""
    found: set[str] = set()
    for given in task.asked.layers:
        for name in given.request.__struct_fields__:
            value = getattr(given.request, name)
            values = value.values() if isinstance(value, dict) else (value,)
            found.update(item for item in values if isinstance(item, str)
                         and os.path.isabs(item) and os.path.isfile(item))
    return found
