"""``briefing update``: rebuild the stale briefings of a manifest, in parallel, atomically.

    lock the manifest → plan (fingerprint each briefing, read its latest edition once)
    → build the stale ones (a process pool, or in-process for one job) → record the
    fingerprints → complete every journalled edition (outputs, published folder,
    notifications; ``jobs.deliver``) → summary

A briefing that fails keeps its previous PDF (every write is a rename of a complete temporary
file) and does not stop the others; one whose edition records are damaged fails alone. Builds
go through a *builder*: ``pipeline_builder`` (the real pipeline, ``briefing.build.build``) or,
in tests, a fake with the same signature. With an editions folder, the build is drafted as an
edition (``editions.record``), and each write of an edition is journalled (``jobs.journal``),
so that a run killed at any moment leaves work the next run completes.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import ctypes
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
from typing import TYPE_CHECKING, Any, Literal, Protocol

from briefing.clock import build_date
from briefing.editions.notify import Delivery, Event, Notifier, missing_variables
from briefing.editions.store import Edition, EditionStore, edition_key
from briefing.errors import BriefingError, BuildTimeout, EditionError, OutputError, reason
from briefing.files import MISSING, FileState, file_state
from briefing.jobs.deliver import complete, edition_url
from briefing.jobs.fingerprint import Hasher, Stamp, hashing_run, sha256_bytes
from briefing.jobs.journal import Journal, reached
from briefing.jobs.lock import manifest_lock
from briefing.jobs.manifest import Entry, Manifest
from briefing.jobs.rows import retire
from briefing.jobs.state import (
    build_fingerprint,
    check_state_dir,
    new_record,
    output_stamp,
    read_record,
    stale_reason,
    write_record,
)
from briefing.jobs.workers import end_workers, process_pool
from briefing.options import Asked
from briefing.output import check_writable, one_sweep_per_folder, write_atomic
from briefing.paths import check_outputs
from briefing.theme import load_theme

if TYPE_CHECKING:  # the renderer is imported only when something is built
    from briefing.editions.record import Draft, EditionOutcome

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
    resolved: Mapping[str, Any] = field(default_factory=dict)  # options decided, with origins


#: Builds one briefing: (source, what its layers ask) → Built. Must be picklable (a
#: module-level function) to run in worker processes.
Builder = Callable[[Path, Asked], Built]


class Runner(Protocol):
    """Runs the builds, yielding each outcome as it is settled: ``run_tasks`` (here), or a
    cluster's (``jobs.cluster.Cluster.run``)."""

    def __call__(self, tasks: Sequence[Task], *, builder: Builder = ...,
                 jobs: int | None = None, stop: StopFlag | None = None) -> Iterator[Outcome]: ...


def pipeline_builder(source: Path, asked: Asked) -> Built:
    """The real build, through ``briefing.build``."""
    # Imported here, not at the top: the renderer (reportlab, fonts) is only needed when a
    # briefing is actually built, and a no-op update must stay fast.
    from briefing.build import build

    result = build(source, asked)
    return Built(
        pdf=result.pdf,
        pages=result.pages,
        source_bytes=result.source.raw,
        deps=result.files(),
        dated=result.briefing.meta.date is not None,
        warnings=tuple(result.warnings),
        resolved=result.options.as_dict(),
    )


@dataclass(frozen=True, slots=True)
class Task:
    """One build to run (picklable: it crosses into worker processes)."""

    name: str
    source: Path
    output: Path
    asked: Asked
    timeout: float | None = None
    editions: Path | None = None  # the editions folder: the build is recorded as an edition
    latest: Edition | None = None  # the latest edition, as the plan read it
    state_dir: Path | None = None  # where the journal is kept (with an editions folder)
    correction: bool = False  # a model change is a silent correction of the current edition
    retries: int = 0  # further attempts after a failed build
    backoff: float = 2.0  # seconds before the first retry, doubled each time


Status = Literal["built", "unchanged", "failed"]


def duration(seconds: float) -> str:
    """A time for people: ``85 ms`` under a second, else ``1.6 s``."""
    if seconds < 0.9995:
        return f"{round(seconds * 1000)} ms"
    return f"{seconds:.1f} s"


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
    output: Stamp | None = None  # the output's stamp once written
    edition: int | None = None  # the current edition, with an editions folder
    edition_hash: str = ""  # its content hash
    edition_status: str | None = None  # "first", "new", "correction", "restyled", "unchanged"
    changes: str = ""  # what changed since the previous edition, in one line
    attempts: int = 1
    resolved: Mapping[str, Any] = field(default_factory=dict)  # options decided, with origins

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
        return f"{self.name}: {what}, {pages}, {duration(self.seconds)}{reason}{extra}"


@dataclass(frozen=True, slots=True)
class Planned:
    entry: Entry
    reason: str | None  # None: up to date
    latest: Edition | None = None  # its latest edition, with an editions folder
    error: str | None = None  # why it cannot be built (a damaged edition record...)
    tell: bool = True  # False: its failure is not told (its notifications cannot be sent)


@dataclass(slots=True)
class Summary:
    """The result of an update."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    deliveries: list[Delivery] = field(default_factory=list)  # notifications sent or not
    publish_error: str | None = None
    problems: list[str] = field(default_factory=list)  # work left for the next run

    def of(self, status: Status) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def ok(self) -> bool:
        """Every build succeeded, the site was published and every notification delivered."""
        return (not self.of("failed") and self.publish_error is None and not self.problems
                and all(d.ok for d in self.deliveries))

    def describe(self) -> str:
        lost = sum(not d.ok for d in self.deliveries)
        extra = f", {lost} notification{'s' if lost != 1 else ''} not delivered" if lost else ""
        extra += ", publishing failed" if self.publish_error else ""
        extra += (f", {len(self.problems)} step{'s' if len(self.problems) != 1 else ''} left "
                  "for the next run" if self.problems else "")
        return (
            f"{len(self.of('built'))} built, {len(self.of('unchanged'))} unchanged, "
            f"{len(self.of('failed'))} failed{extra} in {duration(self.seconds)}"
        )


def verdict(summary: Summary, outputs: Mapping[str, Path]) -> str | None:
    """One line when a run did not do everything: what failed, whether each failed briefing
    still has a PDF (``outputs``: the PDF of each briefing), and what to do. None when all
    went well."""
    parts = []
    failed = [o.name for o in summary.of("failed")]
    if failed:
        kept = [name for name in failed if name in outputs and outputs[name].is_file()]
        none = [name for name in failed if name not in kept]
        if len(failed) == 1:
            parts.append(f"{failed[0]} failed" + ("; its previous PDF was kept" if kept
                                                  else "; it has no PDF yet"))
        else:
            said = f"{len(failed)} briefings failed ({', '.join(failed)})"
            if kept:
                said += f"; the previous PDF{'s' if len(kept) > 1 else ''} of " \
                        f"{', '.join(kept)} {'were' if len(kept) > 1 else 'was'} kept"
            if none:
                said += f"; {', '.join(none)} {'have' if len(none) > 1 else 'has'} no PDF yet"
            parts.append(said)
    lost = sum(not d.ok for d in summary.deliveries)
    if lost:
        parts.append(f"{lost} notification{'s were' if lost > 1 else ' was'} not delivered")
    if summary.publish_error:
        parts.append("publishing failed")
    if summary.problems:
        count = len(summary.problems)
        parts.append(f"{count} step{'s' if count > 1 else ''} left for the next run")
    if not parts:
        return None
    return "; ".join(parts) + "; see the lines above for why, then run it again"


def plan(manifest: Manifest, names: Iterable[str] = (), *, force: bool = False) -> list[Planned]:
    """Each selected briefing with the reason it must be rebuilt (None when it need not)."""
    check_state_dir(manifest.state_dir)
    hasher = Hasher()
    today = build_date()
    store = EditionStore(manifest.editions) if manifest.editions is not None else None
    planned = []
    for entry in manifest.select(names):
        if entry.problem is not None:  # its source is missing: it fails alone
            planned.append(Planned(entry, None, error=entry.problem))
            continue
        unset = unset_variables(manifest, entry)
        if unset is not None:  # its new edition could not be told: it is not built
            planned.append(Planned(entry, None, error=unset, tell=False))
            continue
        latest = None
        if store is not None:
            try:
                latest = store.latest(entry.name)
            except EditionError as exc:  # this briefing fails; the others go on
                planned.append(Planned(entry, None, error=exc.message))
                continue
        if force:
            planned.append(Planned(entry, "forced", latest))
            continue
        record = read_record(manifest.state_dir, entry.name)
        reason = stale_reason(entry, record, hasher, today=today)
        if record is None and entry.each is not None:  # one briefing per row: a row came
            reason = f"a new row of {entry.each}, line {entry.row_line}"
        # Page 1 depends on the previous edition: its number and content hash count.
        if (reason is None and store is not None and record is not None
                and record.edition != edition_key(latest)):
            reason = "editions changed"
        planned.append(Planned(entry, reason, latest))
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
    stop: StopFlag | None = None,
    runner: Runner | None = None,
) -> Summary:
    """Rebuild what is stale (everything with ``force``), holding the manifest's lock.

    ``runner`` runs the builds (default: ``run_tasks``, on this machine); whatever runs them,
    the records, editions, writes and notifications are made here, once each.

    Once ``stop`` is set (a scheduler told to stop), no further build starts: the run ends
    after the builds in progress, which are recorded, published and announced as usual.
    """
    started = time.monotonic()
    with manifest_lock(manifest.lock_path, wait=wait), hashing_run(), one_sweep_per_folder():
        planned = plan(manifest, names, force=force)
        for name, each in retire(manifest):
            log.info("%s: retired: no longer a row of %s (its last PDF is left as it is)",
                     name, each)
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
            if item.error is not None:
                report(Outcome(item.entry.name, "failed", error=item.error))
            elif item.reason is None:
                report(Outcome(item.entry.name, "unchanged"))
        stale = [item for item in planned if item.reason is not None and item.error is None]
        tasks = [_task(manifest, item) for item in stale]
        entries = {item.entry.name: item for item in stale}
        done: list[tuple[Planned, Outcome]] = []
        for outcome in (runner or run_tasks)(tasks, builder=builder, jobs=jobs, stop=stop):
            item = entries[outcome.name]
            outcome = dataclasses.replace(outcome, reason=item.reason)
            if outcome.status == "built":
                _record(manifest, item.entry, outcome)
            report(outcome)
            done.append((item, outcome))
        left = len(stale) - len(done)
        if left:
            log.info("stopping: %d briefing%s not built this time", left, "s" if left > 1 else "")
        completion = complete(manifest)
        summary.deliveries += completion.deliveries
        summary.publish_error = completion.publish_error
        summary.problems += completion.problems
        for item, outcome in [*_planned_failures(planned, summary), *done]:
            summary.deliveries += tell(manifest, item.entry, outcome, item.latest)
    summary.seconds = time.monotonic() - started
    log.info("%s", summary.describe())
    return summary


def _planned_failures(planned: list[Planned],
                      summary: Summary) -> list[tuple[Planned, Outcome]]:
    """The briefings that failed before building (a damaged edition record), with outcomes."""
    failed = {o.name: o for o in summary.outcomes if o.status == "failed"}
    return [(item, failed[item.entry.name]) for item in planned
            if item.error is not None and item.tell]


def foreseen_failure(entry: Entry) -> str | None:
    """What would make ``entry``'s build fail that can be seen without building (for a dry
    run): its theme, or a font or logo the theme names, missing or wrong."""
    theme = entry.asked.get("theme")
    assets = entry.asked.get("assets")
    try:
        load_theme(theme, extra_assets=Path(assets) if assets else None)
    except BriefingError as exc:
        return exc.message
    return None


def unset_variables(manifest: Manifest, entry: Entry) -> str | None:
    """Why ``entry`` cannot be told of: an environment variable its notifications name
    (``password_env``, ``token_env``) is not set. Found before building, so that no edition
    is made that nobody could be told of; a setting, so never retried."""
    if entry.notify is None:
        return None
    missing = missing_variables(entry.notify, os.environ)
    if not missing:
        return None
    line = f", line {entry.line}" if entry.line else ""
    return (f'{manifest.path.name}{line}, [[briefing]] "{entry.name}": {"; ".join(missing)}; '
            "it was not built, so that no new edition goes untold")


def _task(manifest: Manifest, item: Planned) -> Task:
    entry = item.entry
    return Task(
        name=entry.name,
        source=entry.source,
        output=entry.output,
        asked=entry.asked,
        timeout=entry.timeout,
        editions=manifest.editions,
        latest=item.latest,
        state_dir=manifest.state_dir,
        correction=entry.correction,
        retries=entry.retries,
    )


def tell(manifest: Manifest, entry: Entry, outcome: Outcome,
         latest: Edition | None) -> list[Delivery]:
    """Notify ``entry``'s people of what this build did; never raises.

    A failure is told here. With an editions folder, first and new editions are told by
    ``jobs.deliver`` from the journal (once, even when the run that made them was killed);
    only ``skip_unchanged = false`` tells of the same edition here. Without one, every build.
    """
    if entry.notify is None:
        return []
    notifier = Notifier(entry.notify)
    if outcome.status == "failed":
        return notifier.notify(Event("failure", entry.name, latest.title if latest else entry.name,
                                     error=outcome.error,
                                     last_good=latest.date if latest else None))
    if outcome.status != "built":
        return []
    if outcome.edition_status is not None:
        if outcome.edition_status in ("first", "new") or entry.skip_unchanged:
            return []
        try:
            current = EditionStore(manifest.editions).latest(entry.name) if manifest.editions \
                else None
        except BriefingError:
            current = None
        if current is None:
            return []
        return notifier.notify(Event(
            "success", entry.name, current.title, edition=current.number, date=current.date,
            summary=current.summary, pdf=_read(entry.output), pdf_name=f"{entry.name}.pdf",
            url=edition_url(manifest, entry.name)))
    return notifier.notify(Event("success", entry.name, entry.name, summary=outcome.changes,
                                 pdf=_read(entry.output), pdf_name=f"{entry.name}.pdf",
                                 url=edition_url(manifest, entry.name)))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


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
        edition=f"{outcome.edition}:{outcome.edition_hash}"
        if manifest.editions is not None and outcome.edition is not None else None,
        output=outcome.output,
        resolved=outcome.resolved,
    )
    try:
        write_record(manifest.state_dir, record)
    except BriefingError as exc:
        log.warning(
            "%s: the fingerprint was not saved; it will be rebuilt next time (%s)",
            entry.name,
            exc.message,
        )


def default_jobs() -> int:
    return os.cpu_count() or 1


class StopFlag(Protocol):
    """Set to stop a run after the builds in progress (``threading.Event``)."""

    def is_set(self) -> bool: ...


def run_tasks(
    tasks: Sequence[Task],
    *,
    builder: Builder = pipeline_builder,
    jobs: int | None = None,
    stop: StopFlag | None = None,
) -> Iterator[Outcome]:
    """Run the builds, yielding each outcome as it completes.

    One worker: in this process. More: a process pool (fonts register once per worker), fed
    one task per free worker, so that once ``stop`` is set no further build starts and the run
    ends with the builds in progress. An interrupt (Ctrl-C, or SIGTERM to ``briefing update``)
    ends the workers at once.
    """
    workers = min(jobs or default_jobs(), len(tasks))
    if workers <= 1:
        for task in tasks:
            if stop is not None and stop.is_set():
                return
            yield execute(task, builder)
        return
    waiting = collections.deque(tasks)
    with process_pool(workers) as pool:
        running: dict[cf.Future[Outcome], Task] = {}
        try:
            while waiting or running:
                while waiting and len(running) < workers and not (stop and stop.is_set()):
                    task = waiting.popleft()
                    running[pool.submit(execute, task, builder)] = task
                if not running:
                    return
                done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    try:
                        yield future.result()
                    except Exception as exc:  # the worker died (killed, out of memory...)
                        yield Outcome(task.name, "failed",
                                      error=f"the build process died ({reason(exc)})")
        except BaseException:
            end_workers(pool)
            raise


def execute(task: Task, builder: Builder) -> Outcome:
    """Build one briefing and write its PDF atomically; never raises for a failed build.

    With an editions folder, the build is recorded as an edition when it changed, and each
    write is journalled: built (about to record), recorded, written.
    """
    started = time.monotonic()
    reached("building", "%s: building", task.name)
    try:
        before = prepare(task)
        made = _attempts(task, builder)
        return conclude(task, made, before, started)
    except Exception as exc:
        return failure(task, exc, started)


#: What a build made: its result, its edition draft (with an editions folder), its attempts.
Made = tuple[Built, "Draft | None", int]


def prepare(task: Task) -> FileState:
    """What is checked before building (the PDF's folder, that it may be written and is not
    the source); the source's state, to see whether it changed while it was built."""
    _make_folder(task.output.parent)
    check_writable(task.output)
    check_outputs([("output", task.output)], [("the source itself", task.source)],
                  error=OutputError)
    return file_state(task.source)


def conclude(task: Task, made: Made, before: FileState, started: float) -> Outcome:
    """After the build (here, or on a cluster's worker): record the edition, write the PDF,
    journal; the outcome. Raises ``BriefingError`` when a write fails."""
    built, draft, attempts = made
    after = file_state(task.source)
    # The theme, fonts and images are known now: none of them is overwritten either.
    check_outputs([("output", task.output)], [(f"a file read by the build ({path.name})", path)
                                              for path in built.deps], error=OutputError)
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
    date = None if built.dated else build_date().isoformat()
    made_edition = None
    if draft is not None:
        made_edition = _record_edition(task, draft, build_fingerprint(
            task.asked, source=source, deps=list(deps), date=date, hasher=hasher))
    rewritten = _publish(task, built.pdf)
    pdf_sha256 = sha256_bytes(built.pdf)
    output = output_stamp(task.output, pdf_sha256)
    if draft is not None and draft.writes:
        _journal(task).advance(draft.decision.number, "written")
    return Outcome(
        task.name,
        "built",
        pages=built.pages,
        seconds=time.monotonic() - started,
        warnings=built.warnings,
        source=source,
        deps=deps,
        date=date,
        pdf_sha256=pdf_sha256,
        rewritten=rewritten,
        output=output,
        edition=made_edition.edition.number if made_edition else None,
        edition_hash=made_edition.edition.content_hash if made_edition else "",
        edition_status=made_edition.status if made_edition else None,
        changes=made_edition.edition.summary if made_edition else "",
        attempts=attempts,
        resolved=built.resolved,
    )


def failure(task: Task, exc: Exception, started: float) -> Outcome:
    """The outcome of a build that raised ``exc``: its message, or for an unexpected error
    (a bug), one line and the traceback."""
    seconds = time.monotonic() - started
    if isinstance(exc, BriefingError):
        return Outcome(task.name, "failed", error=exc.message, seconds=seconds)
    return Outcome(
        task.name,
        "failed",
        error=f"unexpected error, a bug of briefing ({reason(exc)}); please report it, with "
              "the output of the same command run with -vv",
        detail="".join(traceback.format_exception(exc)),
        seconds=seconds,
    )


def _make_folder(folder: Path) -> None:
    """Create the folder a PDF goes into (``output_dir``, ``output = "out/a.pdf"``)."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: the folder for the PDF cannot be created "
                          f"({exc.strerror or exc}); create it, or choose another "
                          "output_dir") from None


def _attempts(task: Task, builder: Builder) -> Made:
    """Build, retrying with backoff what may pass; with an editions folder, draft it as an
    edition."""
    attempts = 1 + max(0, task.retries)
    for attempt in range(1, attempts + 1):
        before = file_state(task.source)
        try:
            with _deadline(task.timeout, task.name):
                if task.editions is None:
                    return builder(task.source, task.asked), None, attempt
                return (*_draft(task), attempt)
        except BriefingError as exc:
            # The same input gives the same error: only what may pass is tried again (a
            # timeout, a write that failed) or a source that changed while it was read.
            passing = isinstance(exc, BuildTimeout | OutputError)
            if attempt == attempts or not (passing or file_state(task.source) != before):
                raise
            wait = task.backoff * 2 ** (attempt - 1)
            log.warning("%s: build failed (attempt %d of %d): %s; retrying in %gs",
                        task.name, attempt, attempts, exc.message, wait)
            time.sleep(wait)
    raise AssertionError("unreachable")


def _draft(task: Task) -> tuple[Built, Draft]:
    """The real build, compared with the last edition; nothing is written yet."""
    # Imported here: the renderer is only needed when something is built.
    from briefing.editions.record import draft_edition

    assert task.editions is not None
    draft = draft_edition(task.source, task.name, EditionStore(task.editions),
                          task.asked, latest=task.latest,
                          correction=task.correction)
    result = draft.result
    built = Built(pdf=result.pdf, pages=result.pages, source_bytes=result.source.raw,
                  deps=result.files(), dated=result.briefing.meta.date is not None,
                  warnings=tuple(result.warnings), resolved=result.options.as_dict())
    return built, draft


def _journal(task: Task) -> Journal:
    assert task.state_dir is not None
    return Journal(task.state_dir, task.name)


def _record_edition(task: Task, draft: Draft, fingerprint: str) -> EditionOutcome:
    """Record the drafted edition, journalled ahead of the write and after it."""
    from briefing.editions.record import record_edition

    assert task.editions is not None
    journal = _journal(task)
    number = draft.decision.number
    if draft.writes:
        journal.advance(number, "built", announce=draft.new_edition,
                        content_hash=draft.decision.digest)
    made = record_edition(EditionStore(task.editions), draft, fingerprint=fingerprint)
    if draft.writes:
        journal.advance(number, "recorded")
    return made


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
    """Interrupt the block after ``seconds``: SIGALRM in the main thread of a POSIX process;
    in another thread (a cluster worker's), an exception raised in that thread by a timer.
    Either way the build stops at its next Python instruction."""
    if seconds is None:
        yield
        return
    message = f"the build took longer than its timeout of {seconds:g} s"
    if threading.current_thread() is not threading.main_thread():
        with _thread_deadline(seconds, message):
            yield
        return
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise BuildTimeout(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _thread_deadline(seconds: float, message: str) -> Iterator[None]:
    """Raise ``BuildTimeout(message)`` in this thread after ``seconds``, unless the block
    ended first (``PyThreadState_SetAsyncExc``: the exception is raised at the thread's
    next Python instruction)."""

    class Expired(BuildTimeout):
        def __init__(self) -> None:
            super().__init__(message)

    ident = threading.get_ident()
    guard = threading.Lock()
    ended = False

    def expire() -> None:
        with guard:
            if not ended:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                                           ctypes.py_object(Expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with guard:
            ended = True
        timer.cancel()
