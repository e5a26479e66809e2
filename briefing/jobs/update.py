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
from briefing.editions.notify import Delivery, Event, Notifier
from briefing.editions.record import build_edition, edition_key
from briefing.editions.store import EditionStore
from briefing.errors import BriefingError, OutputError
from briefing.files import MISSING, file_state
from briefing.jobs.fingerprint import Hasher, Stamp, sha256_bytes
from briefing.jobs.lock import manifest_lock
from briefing.jobs.manifest import Entry, Manifest
from briefing.jobs.state import new_record, read_record, stale_reason, write_record
from briefing.output import check_writable, write_atomic
from briefing.paths import check_outputs

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
        deps=result.files(),
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
    editions: Path | None = None  # the editions folder: the build is recorded as an edition
    correction: bool = False  # a model change is a silent correction of the current edition
    retries: int = 0  # further attempts after a failed build
    backoff: float = 2.0  # seconds before the first retry, doubled each time


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
    edition: int | None = None  # the current edition, with an editions folder
    edition_status: str | None = None  # "first", "new", "correction", "restyled", "unchanged"
    changes: str = ""  # what changed since the previous edition, in one line
    attempts: int = 1

    def describe(self) -> str:
        """One line for logs."""
        if self.status == "failed":
            return f"{self.name}: FAILED: {self.error}"
        if self.status == "unchanged":
            return f"{self.name}: unchanged"
        what = "built" if self.rewritten else "built (identical to the previous PDF)"
        extra = ""
        if self.edition is not None:
            extra += f", edition {self.edition} ({self.edition_status}"
            extra += f": {self.changes})" if self.edition_status == "new" else ")"
        pages = f"{self.pages} page{'s' if self.pages != 1 else ''}"
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.name}: {what}, {pages}, {self.seconds:.1f} s{reason}{extra}"


@dataclass(frozen=True, slots=True)
class Planned:
    entry: Entry
    reason: str | None  # None: up to date


@dataclass(slots=True)
class Summary:
    """The result of an update."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    deliveries: list[Delivery] = field(default_factory=list)  # notifications sent or not
    publish_error: str | None = None

    def of(self, status: Status) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def ok(self) -> bool:
        """Every build succeeded, the site was published and every notification delivered."""
        return (not self.of("failed") and self.publish_error is None
                and all(d.ok for d in self.deliveries))

    def describe(self) -> str:
        lost = sum(not d.ok for d in self.deliveries)
        extra = f", {lost} notification{'s' if lost != 1 else ''} not delivered" if lost else ""
        extra += ", publishing failed" if self.publish_error else ""
        return (
            f"{len(self.of('built'))} built, {len(self.of('unchanged'))} unchanged, "
            f"{len(self.of('failed'))} failed{extra} in {self.seconds:.1f} s"
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
        reason = stale_reason(entry, record, hasher, today=today)
        # Page 1 depends on the previous edition: its number and content hash count.
        if (reason is None and manifest.editions is not None and record is not None
                and record.edition != edition_key(EditionStore(manifest.editions), entry.name)):
            reason = "editions changed"
        planned.append(Planned(entry, reason))
    return planned


def update(
    manifest: Manifest,
    names: Iterable[str] = (),
    *,
    force: bool = False,
    jobs: int | None = None,
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
        tasks = [_task(manifest, item.entry) for item in stale]
        entries = {item.entry.name: item for item in stale}
        done: list[tuple[Entry, Outcome]] = []
        for outcome in run_tasks(tasks, builder=builder, jobs=jobs, shield=shield):
            item = entries[outcome.name]
            outcome = dataclasses.replace(outcome, reason=item.reason)
            if outcome.status == "built":
                _record(manifest, item.entry, outcome)
            report(outcome)
            done.append((item.entry, outcome))
        _publish_site(manifest, done, summary)
        for entry, outcome in done:
            summary.deliveries += _tell(manifest, entry, outcome)
    summary.seconds = time.monotonic() - started
    log.info("%s", summary.describe())
    return summary


def _task(manifest: Manifest, entry: Entry) -> Task:
    return Task(
        name=entry.name,
        source=entry.source,
        output=entry.output,
        options=dict(entry.options),
        timeout=entry.timeout,
        editions=manifest.editions,
        correction=entry.correction,
        retries=entry.retries,
    )


def _publish_site(manifest: Manifest, done: list[tuple[Entry, Outcome]],
                  summary: Summary) -> None:
    """Bring the ``[publish]`` folder up to date when an edition was made or rewritten."""
    if manifest.publish is None or manifest.editions is None:
        return
    touched = any(o.edition_status not in (None, "unchanged") for _, o in done)
    if not touched and (manifest.publish.folder / "index.html").is_file():
        return
    from briefing.editions.publish import publish
    from briefing.theme import load_theme

    try:
        publish(EditionStore(manifest.editions), manifest.publish,
                load_theme(manifest.publish_theme))
    except BriefingError as exc:
        summary.publish_error = exc.format_message()
        log.error("publishing failed: %s", summary.publish_error)


def _tell(manifest: Manifest, entry: Entry, outcome: Outcome) -> list[Delivery]:
    """Notify the people of ``entry`` of what the build did; never raises."""
    if entry.notify is None:
        return []
    notifier = Notifier(entry.notify)
    store = EditionStore(manifest.editions) if manifest.editions else None
    latest = store.latest(entry.name) if store else None
    title = latest.title if latest else entry.name
    if outcome.status == "failed":
        last = latest.date if latest else None
        return notifier.notify(Event("failure", entry.name, title, error=outcome.error,
                                     last_good=last))
    if outcome.status != "built":
        return []
    new = outcome.edition_status in ("first", "new") or outcome.edition_status is None
    if not new and entry.skip_unchanged:
        return []
    kind = "change" if outcome.edition_status == "new" and notifier.wants("change") else "success"
    url = None
    if manifest.publish is not None and manifest.publish.base_url:
        url = f"{manifest.publish.base_url.rstrip('/')}/{entry.name}.pdf"
    try:
        pdf = latest.pdf() if latest else entry.output.read_bytes()
    except (OSError, BriefingError):
        pdf = None
    return notifier.notify(Event(
        kind, entry.name, title, edition=outcome.edition,
        date=latest.date if latest else None, summary=outcome.changes, pdf=pdf,
        pdf_name=f"{entry.name}.pdf", url=url,
    ))


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
        edition=edition_key(EditionStore(manifest.editions), entry.name)
        if manifest.editions is not None else None,
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
        output = [("output", task.output)]
        check_outputs(output, [("the source itself", task.source)], error=OutputError)
        before = file_state(task.source)
        built, made, attempts = _attempts(task, builder)
        after = file_state(task.source)
        # The theme, fonts and images are known now: none of them is overwritten either.
        check_outputs(output, [(f"a file read by the build ({path.name})", path)
                               for path in built.deps], error=OutputError)
        rewritten = _publish(task, built.pdf)
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
    mtime = after[0] if after == before and after != MISSING else 0
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
        edition=made.edition.number if made else None,
        edition_status=made.status if made else None,
        changes=made.edition.summary if made else "",
        attempts=attempts,
    )


def _attempts(task: Task, builder: Builder) -> tuple[Built, Any, int]:
    """Build, retrying with backoff; with an editions folder, record the edition."""
    attempts = 1 + max(0, task.retries)
    for attempt in range(1, attempts + 1):
        try:
            with _deadline(task.timeout, task.name):
                if task.editions is None:
                    return builder(task.source, task.options), None, attempt
                return (*_edition_build(task), attempt)
        except BriefingError as exc:
            if attempt == attempts:
                raise
            wait = task.backoff * 2 ** (attempt - 1)
            log.warning("%s: build failed (attempt %d of %d): %s; retrying in %gs",
                        task.name, attempt, attempts, exc.format_message(), wait)
            time.sleep(wait)
    raise AssertionError("unreachable")


def _edition_build(task: Task) -> tuple[Built, Any]:
    """The real build, compared with the last edition and recorded as one when it changed."""
    from briefing.build import BuildOptions

    assert task.editions is not None
    made = build_edition(task.source, task.name, EditionStore(task.editions),
                         BuildOptions(**task.options), correction=task.correction)
    result = made.result
    pdf = made.edition.pdf() if made.status != "unchanged" else result.pdf
    built = Built(pdf=pdf, pages=result.pages, source_bytes=result.source.raw,
                  deps=result.files(),
                  dated=result.briefing.meta.date is not None, warnings=tuple(result.warnings))
    return built, made


def _publish(task: Task, pdf: bytes) -> bool:
    """Put the new PDF in place; False when it is identical to the one there."""
    try:
        old = task.output.read_bytes()
    except OSError:
        old = None
    if old == pdf:
        return False  # identical: leave the file (and its date) alone
    write_atomic(task.output, pdf)
    return True


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
