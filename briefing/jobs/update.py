"""``briefing update``: rebuild the stale briefings of a manifest, in parallel, atomically.

    lock the manifest → plan (fingerprint each briefing) → build the stale ones
    (a process pool, or in-process for one job) → record the fingerprints → summary

A briefing that fails keeps its previous PDF (every write is a rename of a complete temporary
file) and does not stop the others. Builds go through a *builder*: ``pipeline_builder`` (the
real pipeline, ``briefing.build.build``) or, in tests, a fake with the same signature.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Literal

from briefing.clock import build_date
from briefing.errors import BriefingError
from briefing.jobs.fingerprint import Hasher, Stamp, sha256_bytes
from briefing.jobs.lock import manifest_lock
from briefing.jobs.manifest import Entry, Manifest
from briefing.jobs.state import new_record, read_record, stale_reason, write_record
from briefing.output import check_writable, write_atomic

log = logging.getLogger("briefing.jobs")


@dataclass(frozen=True, slots=True)
class Built:
    """What a builder made: the PDF and what it depended on."""

    pdf: bytes
    pages: int
    source_bytes: bytes  # the exact bytes the build read
    deps: tuple[Path, ...] = ()  # every file the theme used (TOML files, fonts, logos)
    dated: bool = False  # the briefing carries its own date (else the build date was used)
    warnings: tuple[str, ...] = ()


#: Builds one briefing: (source, BuildOptions keyword arguments) → Built. Must be picklable
#: (a module-level function) to run in worker processes.
Builder = Callable[[Path, Mapping[str, Any]], Built]


def pipeline_builder(source: Path, options: Mapping[str, Any]) -> Built:
    """The real build, through ``briefing.build``."""
    # Imported here, not at the top: the renderer (reportlab, fonts) is only needed when a
    # briefing is actually built, and a no-op update must stay fast.
    from briefing.build import BuildOptions, build

    result = build(source, BuildOptions(**options))
    return Built(
        pdf=result.pdf,
        pages=result.pages,
        source_bytes=result.source.raw,
        deps=tuple(result.theme.files()),
        dated=result.briefing.meta.date is not None,
        warnings=tuple(result.warnings),
    )


class BuildTimeout(BriefingError):
    """A build took longer than its ``timeout``."""


@dataclass(frozen=True, slots=True)
class Task:
    """One build to run (picklable: it crosses into worker processes)."""

    name: str
    source: Path
    output: Path
    options: Mapping[str, Any]
    timeout: float | None = None
    archive: Path | None = None
    previous_date: str | None = None  # day of the previous edition, for its archive name


Status = Literal["built", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one briefing fared."""

    name: str
    status: Status
    reason: str | None = None  # why it was rebuilt
    error: str | None = None  # one line, when it failed
    detail: str | None = None  # traceback of an unexpected error
    pages: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    source: Stamp | None = None
    deps: tuple[Stamp, ...] = ()
    date: str | None = None
    pdf_sha256: str = ""
    rewritten: bool = False  # False when the new PDF is byte-identical to the old one
    archived: Path | None = None

    def describe(self) -> str:
        """One line for logs."""
        if self.status == "failed":
            return f"{self.name}: FAILED: {self.error}"
        if self.status == "unchanged":
            return f"{self.name}: unchanged"
        what = "built" if self.rewritten else "built (identical to the previous PDF)"
        extra = f", previous edition kept as {self.archived.name}" if self.archived else ""
        pages = f"{self.pages} page{'s' if self.pages != 1 else ''}"
        return f"{self.name}: {what}, {pages}, {self.seconds:.1f} s ({self.reason}){extra}"


@dataclass(frozen=True, slots=True)
class Planned:
    entry: Entry
    reason: str | None  # None: up to date


@dataclass(slots=True)
class Summary:
    """The result of an update."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def of(self, status: Status) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def ok(self) -> bool:
        return not self.of("failed")

    def describe(self) -> str:
        return (
            f"{len(self.of('built'))} built, {len(self.of('unchanged'))} unchanged, "
            f"{len(self.of('failed'))} failed in {self.seconds:.1f} s"
        )


def plan(manifest: Manifest, names: Iterable[str] = (), *, force: bool = False) -> list[Planned]:
    """Each selected briefing with the reason it must be rebuilt (None when it need not)."""
    hasher = Hasher()
    today = build_date()
    planned = []
    for entry in manifest.select(names):
        if force:
            planned.append(Planned(entry, "forced"))
            continue
        record = read_record(manifest.state_dir, entry.name)
        planned.append(Planned(entry, stale_reason(entry, record, hasher, today=today)))
    return planned


def update(
    manifest: Manifest,
    names: Iterable[str] = (),
    *,
    force: bool = False,
    jobs: int | None = None,
    archive: Path | None = None,
    wait: bool = False,
    builder: Builder = pipeline_builder,
    on_plan: Callable[[list[Planned]], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    shield: bool = False,
) -> Summary:
    """Rebuild what is stale (everything with ``force``), holding the manifest's lock.

    With ``shield``, worker processes ignore SIGINT and SIGTERM, so that a scheduler told to
    stop finishes the builds in progress.
    """
    started = time.monotonic()
    with manifest_lock(manifest.lock_path, wait=wait):
        planned = plan(manifest, names, force=force)
        if on_plan is not None:
            on_plan(planned)
        summary = Summary()

        def report(outcome: Outcome) -> None:
            summary.outcomes.append(outcome)
            log.log(
                logging.ERROR if outcome.status == "failed" else logging.INFO,
                "%s",
                outcome.describe(),
            )
            if on_outcome is not None:
                on_outcome(outcome)

        for item in planned:
            if item.reason is None:
                report(Outcome(item.entry.name, "unchanged"))
        stale = [item for item in planned if item.reason is not None]
        tasks = [_task(manifest, item.entry, archive) for item in stale]
        entries = {item.entry.name: item for item in stale}
        for outcome in run_tasks(tasks, builder=builder, jobs=jobs, shield=shield):
            item = entries[outcome.name]
            outcome = dataclasses.replace(outcome, reason=item.reason)
            if outcome.status == "built":
                _record(manifest, item.entry, outcome)
            report(outcome)
    summary.seconds = time.monotonic() - started
    log.info("%s", summary.describe())
    return summary


def _task(manifest: Manifest, entry: Entry, archive: Path | None) -> Task:
    previous = read_record(manifest.state_dir, entry.name) if archive else None
    return Task(
        name=entry.name,
        source=entry.source,
        output=entry.output,
        options=dict(entry.options),
        timeout=entry.timeout,
        archive=archive,
        previous_date=previous.built_at[:10] if previous else None,
    )


def _record(manifest: Manifest, entry: Entry, outcome: Outcome) -> None:
    assert outcome.source is not None
    record = new_record(
        entry,
        source=outcome.source,
        deps=list(outcome.deps),
        date=outcome.date,
        pdf_sha256=outcome.pdf_sha256,
        pages=outcome.pages,
        hasher=Hasher(),
        recorded_ns=time.time_ns(),
    )
    try:
        write_record(manifest.state_dir, record)
    except BriefingError as exc:
        log.warning(
            "%s: the fingerprint was not saved; it will be rebuilt next time (%s)",
            entry.name,
            exc.format_message(),
        )


def default_jobs() -> int:
    return os.cpu_count() or 1


def run_tasks(
    tasks: Sequence[Task],
    *,
    builder: Builder = pipeline_builder,
    jobs: int | None = None,
    shield: bool = False,
) -> Iterator[Outcome]:
    """Run the builds, yielding each outcome as it completes.

    One worker: in this process. More: a process pool (fonts register once per worker).
    """
    workers = min(jobs or default_jobs(), len(tasks))
    if workers <= 1:
        for task in tasks:
            yield execute(task, builder)
        return
    initializer = _ignore_stop_signals if shield else None
    with cf.ProcessPoolExecutor(max_workers=workers, initializer=initializer) as pool:
        futures = {pool.submit(execute, task, builder): task for task in tasks}
        try:
            for future in cf.as_completed(futures):
                task = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # the worker died (killed, out of memory...)
                    yield Outcome(task.name, "failed", error=f"the build process died ({exc})")
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _ignore_stop_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def execute(task: Task, builder: Builder) -> Outcome:
    """Build one briefing and write its PDF atomically; never raises for a failed build."""
    started = time.monotonic()
    try:
        check_writable(task.output)
        before = _stat(task.source)
        with _deadline(task.timeout, task.name):
            built = builder(task.source, task.options)
        after = _stat(task.source)
        archived, rewritten = _publish(task, built.pdf)
    except BriefingError as exc:
        return Outcome(
            task.name, "failed", error=exc.format_message(), seconds=time.monotonic() - started
        )
    except Exception as exc:
        return Outcome(
            task.name,
            "failed",
            error=f"unexpected error: {type(exc).__name__}: {exc}",
            detail=traceback.format_exc(),
            seconds=time.monotonic() - started,
        )
    hasher = Hasher()
    # A source saved during the build gets mtime 0: the next run hashes it again and rebuilds.
    mtime = after[1] if after == before and after is not None else 0
    source = Stamp(
        str(task.source), len(built.source_bytes), mtime, sha256_bytes(built.source_bytes)
    )
    deps = tuple(
        stamp
        for stamp in (hasher.stamp(path) for path in sorted(set(map(str, built.deps))))
        if stamp is not None
    )
    return Outcome(
        task.name,
        "built",
        pages=built.pages,
        seconds=time.monotonic() - started,
        warnings=built.warnings,
        source=source,
        deps=deps,
        date=None if built.dated else build_date().isoformat(),
        pdf_sha256=sha256_bytes(built.pdf),
        rewritten=rewritten,
        archived=archived,
    )


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _publish(task: Task, pdf: bytes) -> tuple[Path | None, bool]:
    """Put the new PDF in place (archiving the previous edition); (archive, rewritten)."""
    try:
        old = task.output.read_bytes()
    except OSError:
        old = None
    if old == pdf:
        return None, False  # identical: leave the file (and its date) alone
    archived = None
    if old is not None and task.archive is not None:
        archived = _archive(task, old)
    write_atomic(task.output, pdf)
    return archived, True


def _archive(task: Task, old: bytes) -> Path:
    day = task.previous_date
    if day is None:
        mtime = task.output.stat().st_mtime
        day = dt.datetime.fromtimestamp(mtime).date().isoformat()
    assert task.archive is not None
    try:
        task.archive.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefingError(
            f"{task.archive}: cannot create the archive folder ({exc.strerror})"
        ) from None
    target = task.archive / f"{task.name}-{day}.pdf"
    number = 2
    while target.exists():
        if target.read_bytes() == old:
            return target
        target = task.archive / f"{task.name}-{day}-{number}.pdf"
        number += 1
    write_atomic(target, old)
    return target


@contextlib.contextmanager
def _deadline(seconds: float | None, name: str) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM; main thread of a POSIX process only)."""
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def expire(signum: int, frame: FrameType | None) -> None:
        raise BuildTimeout(f"the build took longer than its timeout of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
