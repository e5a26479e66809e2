"""``briefing schedule``: rebuild each briefing on its own cron schedule, in the foreground.

A briefing is *due* when a fire time of its schedule has passed since its last scheduled run
(or it never ran): runs missed while the scheduler was down are caught up once, and
``--once`` (run what is due, then exit) is safe to call from cron or a systemd timer. A due
briefing goes through ``update``, so one whose inputs did not change is not rebuilt. Fire
times come from APScheduler's cron triggers (in the local time zone); the loop around them is
ours, so that a failing build is only logged (and retried at its next time), SIGINT and
SIGTERM stop the loop after the build in progress, and the manifest is re-read when it changes.

``cron_lines`` and ``systemd_units`` print the same schedules for the system's scheduler.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import shlex
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

from briefing.errors import BriefingError, ManifestError, reason
from briefing.files import file_state
from briefing.jobs.cron import on_calendar, parse_cron, trigger_fields
from briefing.jobs.lock import manifest_lock
from briefing.jobs.manifest import Entry, Manifest, load_manifest
from briefing.jobs.update import Builder, Outcome, Summary, pipeline_builder, update
from briefing.output import write_atomic

log = logging.getLogger("briefing.jobs")

Clock = Callable[[], dt.datetime]


def make_trigger(expr: str) -> BaseTrigger:
    """An APScheduler trigger firing as the cron expression says, in the local time zone."""
    triggers = [CronTrigger(**fields) for fields in trigger_fields(parse_cron(expr))]
    return triggers[0] if len(triggers) == 1 else OrTrigger(triggers)


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def next_run(expr: str, after: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    """The first fire time after ``after`` (or from ``now`` when it never ran)."""
    trigger = make_trigger(expr)
    fire: dt.datetime | None = trigger.get_next_fire_time(after, now)
    return fire


#: How far in the future a recorded run may be before the clock is taken to have gone back.
CLOCK_SLACK = dt.timedelta(minutes=5)


def is_due(entry: Entry, last: dt.datetime | None, now: dt.datetime) -> bool:
    if entry.schedule is None:
        return False
    if last is None:
        return True
    if last > now + CLOCK_SLACK:
        # The clock went back (or was wrong when it ran): waiting for that date could take
        # years. Run now, once, as if it had never run; the new time is recorded.
        log.warning("%s: its last run is recorded at %s, in the future: the clock went back? "
                    "it runs now and its schedule starts again from now", entry.name,
                    last.isoformat(timespec="minutes"))
        return True
    fire = next_run(entry.schedule, last, now)
    return fire is not None and fire <= now


#: How late a run may start and still count as on time (not a missed run caught up).
ON_TIME = dt.timedelta(minutes=1)


def _why_due(entry: Entry, last: dt.datetime | None, now: dt.datetime) -> str | None:
    """Why a due briefing runs now, when it is not one of its times: never run on its
    schedule (the first run catches up), or a time missed while the scheduler was stopped."""
    assert entry.schedule is not None
    if last is None:
        return (f"never run on its schedule ({entry.schedule}): it runs now, once, so that "
                "its PDF is up to date from the start; then at its times")
    if last > now + CLOCK_SLACK:
        return None  # said by is_due
    fire = next_run(entry.schedule, last, now)
    if fire is not None and now - fire > ON_TIME:
        return f"its run of {_show(fire)} was missed (the scheduler was not running): caught up now"
    return None


@dataclass(slots=True)
class LastRuns:
    """When each briefing last ran on schedule (``.briefing/schedule.json``)."""

    path: Path
    runs: dict[str, dt.datetime] = field(default_factory=dict)

    @classmethod
    def load(cls, manifest: Manifest) -> LastRuns:
        path = manifest.state_dir / "schedule.json"
        runs: dict[str, dt.datetime] = {}
        try:
            data = json.loads(path.read_bytes())
            runs = {str(name): dt.datetime.fromisoformat(str(when)) for name, when in data.items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("%s: unreadable, every schedule counts as never run (%s)", path, reason(exc))
        return cls(path, runs)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {name: when.isoformat() for name, when in sorted(self.runs.items())}
        write_atomic(self.path, json.dumps(data, indent=1).encode("utf-8") + b"\n")


class Scheduler:
    """Runs the scheduled briefings of a manifest when they are due."""

    def __init__(
        self,
        manifest_path: Path,
        *,
        builder: Builder = pipeline_builder,
        jobs: int | None = None,
        clock: Clock = local_now,
        poll: float = 2.0,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        self.manifest_path = manifest_path
        self.builder = builder
        self.jobs = jobs
        self.clock = clock
        self.poll = poll
        self.on_outcome = on_outcome
        self.manifest = load_manifest(manifest_path)
        self._seen = file_state(self.manifest.path)
        self._stop = threading.Event()

    def stop(self) -> None:
        """Stop after the build in progress (safe from a signal handler or another thread)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def reload_if_changed(self) -> bool:
        """Re-read the manifest when its file changed; keep the old one if the new is wrong."""
        seen = file_state(self.manifest.path)
        if seen == self._seen:
            return False
        self._seen = seen
        try:
            self.manifest = load_manifest(self.manifest.path)
        except BriefingError as exc:
            log.error(
                "%s changed but is wrong; keeping the previous one:\n%s",
                self.manifest.path.name,
                exc.message,
            )
            return False
        scheduled = self.scheduled()
        log.info("%s changed: re-read, %d scheduled briefing%s", self.manifest.path.name,
                 len(scheduled), "" if len(scheduled) == 1 else "s")
        now = self.clock()
        for entry in scheduled:
            log.info("%s: %s, next run %s", entry.name, entry.schedule,
                     _show(self.next_run_of(entry, now)))
        return True

    def scheduled(self) -> list[Entry]:
        return [entry for entry in self.manifest.entries if entry.schedule]

    def run_due(self) -> Summary | None:
        """Run what is due now; None when nothing was."""
        now = self.clock()
        last = LastRuns.load(self.manifest)
        due = [e for e in self.scheduled() if is_due(e, last.runs.get(e.name), now)]
        if not due:
            return None
        log.info("due: %s", ", ".join(entry.name for entry in due))
        for entry in due:
            why = _why_due(entry, last.runs.get(entry.name), now)
            if why:
                log.info("%s: %s", entry.name, why)
        try:
            summary = update(
                self.manifest,
                [entry.name for entry in due],
                jobs=self.jobs,
                wait=True,
                builder=self.builder,
                on_outcome=self.on_outcome,
                stop=self._stop,
            )
        except BriefingError as exc:
            log.error("the run failed: %s", exc.message)
            summary = Summary()
        except Exception:
            log.exception("the run failed unexpectedly; the scheduler carries on")
            summary = Summary()
        # What a stop left unbuilt is still due, and runs next time. A run that failed as a
        # whole (no outcome at all) counts as run: it is tried again at the next times.
        ran = {outcome.name for outcome in summary.outcomes}
        done = [e for e in due if e.name in ran or not (ran or self.stopping)]
        for entry in done:
            last.runs[entry.name] = now
        try:
            last.save()
        except BriefingError as exc:
            log.warning("cannot save the schedule state: %s", exc.message)
        for entry in done:
            log.info("%s: next run %s", entry.name, _show(self.next_run_of(entry, now)))
        return summary

    def next_run_of(self, entry: Entry, after: dt.datetime) -> dt.datetime | None:
        assert entry.schedule is not None
        return next_run(entry.schedule, after, self.clock())

    def next_wakeup(self) -> dt.datetime | None:
        now = self.clock()
        last = LastRuns.load(self.manifest)
        times = []
        for entry in self.scheduled():
            previous = last.runs.get(entry.name)
            if previous is None or previous > now + CLOCK_SLACK:
                return now
            fire = self.next_run_of(entry, previous)
            if fire is not None:
                times.append(fire)
        return min(times, default=None)

    def run_forever(self) -> None:
        """Loop until stopped (SIGINT/SIGTERM when run in the main thread)."""
        with _stop_on_signals(self.stop):
            count = len(self.scheduled())
            log.info("scheduling %d briefing%s from %s", count, "" if count == 1 else "s",
                     self.manifest.path)
            for entry in self.scheduled():
                log.info(
                    "%s: %s, next run %s",
                    entry.name,
                    entry.schedule,
                    _show(self.next_run_of(entry, self.clock())),
                )
            while not self.stopping:
                self.reload_if_changed()
                self.run_due()
                if self.stopping:
                    break
                wake = self.next_wakeup()
                delay = self.poll
                if wake is not None:
                    delay = min(self.poll, max(0.0, (wake - self.clock()).total_seconds()))
                self._stop.wait(delay)
        log.info("scheduler stopped")


def scheduler_lock(manifest: Manifest) -> contextlib.AbstractContextManager[None]:
    """One scheduler per manifest: a second one would run every build twice."""
    path = manifest.folder / f".{manifest.path.name}.schedule.lock"
    return manifest_lock(
        path, what=f"`briefing schedule` is already running for {manifest.path.name}"
    )


@contextlib.contextmanager
def _stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM call ``stop`` instead of killing the process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    # The handler only records the signal and stops: it runs between two bytecodes of the main
    # thread, which may be in the middle of writing a log line (a second write there fails,
    # and the stop would be lost). A thread of its own says it.
    received: list[str] = []
    signalled = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        received.append(signal.Signals(signum).name)
        stop()
        signalled.set()

    def tell() -> None:
        signalled.wait()
        if received:
            log.info("%s received: stopping after the build in progress", received[0])

    teller = threading.Thread(target=tell, name="briefing-signals", daemon=True)
    teller.start()
    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        signalled.set()
        teller.join()


def cron_lines(manifest: Manifest, command: str) -> str:
    """crontab lines running ``briefing update`` for each schedule of the manifest."""
    _printable(str(manifest.path), "crontab")
    _needs_a_schedule(manifest, "crontab lines")
    path = shlex.quote(str(manifest.path))
    by_schedule: dict[str, list[str]] = {}
    for entry in manifest.entries:
        if entry.schedule:
            by_schedule.setdefault(entry.schedule, []).append(entry.name)
    lines = [
        f"# briefing: the schedules of {manifest.path}",
        "# Add these lines with `crontab -e`. Cron uses the system's time zone.",
    ]
    log_file = shlex.quote(str(manifest.state_dir / "cron.log"))
    for schedule, names in by_schedule.items():
        only = " ".join(f"--only {shlex.quote(name)}" for name in names)
        line = f"{schedule} {command} update {path} --wait {only} >> {log_file} 2>&1"
        lines.append(line.replace("%", "\\%"))  # % ends a cron command
    unscheduled = [entry.name for entry in manifest.entries if not entry.schedule]
    if unscheduled:
        lines.append(f"# not scheduled: {', '.join(unscheduled)}")
    return "\n".join(lines) + "\n"


def systemd_units(manifest: Manifest, command: Sequence[str]) -> dict[str, str]:
    """A service and a timer (file name → text) running the due briefings at their times.

    The timer fires at every time of every schedule; the service runs
    ``briefing schedule --once``, which builds exactly the briefings due then (and catches up
    runs missed while the machine was off, with ``Persistent=true``). ``command`` is how to
    run briefing, one argument per item. Paths are written with systemd's escapes (``%%``,
    ``$$``, quotes); a path with a line break or another control character is refused.
    """
    _needs_a_schedule(manifest, "a timer")
    unit = f"briefing-{_unit_word(manifest.folder.name)}"
    calendars = []
    for entry in manifest.entries:
        if entry.schedule:
            calendars += [c for c in on_calendar(parse_cron(entry.schedule)) if c not in calendars]
    exec_start = " ".join(_systemd_word(word)
                          for word in (*command, "schedule", str(manifest.path), "--once"))
    path = _systemd_text(str(manifest.path))
    service = "\n".join(
        [
            "[Unit]",
            f"Description=Rebuild the due briefings of {path}",
            "After=network-online.target",
            "",
            "[Service]",
            "Type=oneshot",
            f"WorkingDirectory={_systemd_text(str(manifest.folder))}",
            f"ExecStart={exec_start}",
            "",
        ]
    )
    timer_lines = [
        "[Unit]",
        f"Description=Schedules of {path}",
        "",
        "[Timer]",
        *(f"OnCalendar={calendar}" for calendar in calendars),
        "AccuracySec=1s",
        "Persistent=true",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ]
    return {f"{unit}.service": service, f"{unit}.timer": "\n".join(timer_lines)}


def _needs_a_schedule(manifest: Manifest, what: str) -> None:
    """Refuse to print what would never run: no briefing has a schedule."""
    if not any(entry.schedule for entry in manifest.entries):
        raise ManifestError(
            f"{manifest.path}: no briefing has a schedule, so {what} would never run "
            'anything; add schedule = "0 7 * * mon" (cron: minute hour day month weekday) to '
            "a [[briefing]], or run `briefing update` from your own timer")


def _printable(text: str, where: str) -> str:
    """``text``, or an error when a control character (a line break...) would break ``where``."""
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ManifestError(f"{text!r}: this path holds a line break or another control "
                            f"character, which a {where} cannot hold; rename the folder")
    return text


def _systemd_text(text: str) -> str:
    """A value in a unit file: specifiers (``%``) escaped."""
    return _printable(text, "systemd unit").replace("%", "%%")


def _systemd_word(word: str) -> str:
    """One argument of ``ExecStart=``: quoted as systemd parses it, ``%`` and ``$`` escaped."""
    text = _systemd_text(word).replace("$", "$$")
    if text and not any(c in text for c in " \t\"'\\;"):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unit_word(name: str) -> str:
    word = "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-")
    return word or "briefings"


def _show(when: dt.datetime | None) -> str:
    return when.strftime("%a %Y-%m-%d %H:%M %Z").strip() if when else "never"
