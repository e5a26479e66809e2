"""Process hygiene: workers die with their run, the lock dies with it, signals stop cleanly.

The kill tests run ``update`` or ``schedule`` (with the fake builder, whose builds say when they
start and then wait) in a session of their own, wait for both workers to be building, kill the
run, and then wait, with a deadline, for the workers to go. Whatever a failing test leaves
behind is killed by its session id at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.jobs.lock import manifest_lock
from briefing.jobs.manifest import load_manifest
from briefing.jobs.schedule import LastRuns, Scheduler, scheduler_lock
from briefing.jobs.update import Task, run_tasks
from tests.jobs.fakes import fake_build, signal_probe
from tests.jobs.procs import alive, children, in_session, linux_only, wait_until

ROOT = Path(__file__).resolve().parents[2]
TZ = dt.datetime.now().astimezone().tzinfo

#: ``update`` or ``schedule`` of a manifest with the fake builder, as the command line runs them.
SCRIPT = textwrap.dedent("""
    import sys
    from briefing.jobs.manifest import load_manifest
    from briefing.jobs.schedule import Scheduler, scheduler_lock
    from briefing.jobs.update import update
    from tests.jobs.fakes import fake_build
    manifest = load_manifest(sys.argv[2])
    if sys.argv[1] == "update":
        update(manifest, builder=fake_build, jobs=2)
    else:
        with scheduler_lock(manifest):
            Scheduler(manifest.path, builder=fake_build, jobs=2).run_forever()
""")


@pytest.fixture
def held(three: Path) -> Path:
    """Every briefing scheduled; each build says it started, then waits for ``release``."""
    manifest = three / "briefings.toml"
    text = manifest.read_text()
    for name in ("alpha", "beta", "gamma"):
        text = text.replace(f'name = "{name}"', f'name = "{name}"\nschedule = "* * * * *"')
        (three / f"{name}.txt").write_text(
            f"{name}\n\nSTART {three / ('started-' + name)} WAIT {three / 'release'}\n")
    manifest.write_text(text)
    return three


def begun(folder: Path) -> list[str]:
    return sorted(p.name.removeprefix("started-") for p in folder.glob("started-*"))


@contextlib.contextmanager
def started(command: str, folder: Path) -> Iterator[subprocess.Popen[str]]:
    """``update`` or ``schedule`` of ``folder``'s manifest with two workers, in a new session;
    everything left of it is killed at the end."""
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, command, str(folder)],
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        yield proc
    finally:
        for pid in in_session(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.communicate(timeout=30)


def workers_building(proc: subprocess.Popen[str], folder: Path) -> list[int]:
    """The run's two workers, once both are in the middle of a build."""
    wait_until(lambda: len(begun(folder)) >= 2 or proc.poll() is not None, 60,
               "the two workers never started building")
    assert proc.poll() is None, proc.communicate()[1]
    workers = children(proc.pid)
    assert len(workers) == 2, workers
    return workers


def assert_unlocked(folder: Path) -> None:
    manifest = load_manifest(folder)
    with manifest_lock(manifest.lock_path), scheduler_lock(manifest):
        pass  # both taken at once: no one else holds them


@linux_only
@pytest.mark.parametrize("command", ["update", "schedule"])
def test_C1_killed_update_leaves_no_worker_holding_the_lock(held: Path, command: str) -> None:
    with started(command, held) as proc:
        workers = workers_building(proc, held)
        proc.kill()
        proc.wait(timeout=10)
        wait_until(lambda: not any(alive(pid) for pid in workers), 5,
                   f"the workers {workers} outlived their killed {command} run")
        assert_unlocked(held)


ORPHAN = textwrap.dedent("""
    import os, sys, time
    from briefing.jobs.workers import start_worker
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        start_worker(parent, use_prctl=sys.argv[1] == "prctl")
        time.sleep(120)
        os._exit(0)
    print(child, flush=True)
    time.sleep(120)
""")


@linux_only
@pytest.mark.parametrize("guard", ["prctl", "watchdog"])
def test_C1_a_worker_dies_with_its_parent(guard: str) -> None:
    """The kernel's parent-death signal (Linux), and the watchdog thread used elsewhere."""
    proc = subprocess.Popen([sys.executable, "-c", ORPHAN, guard],
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert proc.stdout is not None
        child = int(proc.stdout.readline())
        assert alive(child)
        proc.kill()
        proc.wait(timeout=10)
        wait_until(lambda: not alive(child), 5, f"the {guard}-guarded worker outlived its parent")
    finally:
        for pid in in_session(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.communicate(timeout=10)


@pytest.mark.parametrize("stop", [False, True])
def test_C1_workers_ignore_sigint_but_not_sigterm(three: Path, stop: bool) -> None:
    """Ctrl-C reaches the whole process group: the parent decides (stop after the builds, or
    stop now). SIGTERM sent to a worker ends it: no worker is unkillable."""
    tasks = [Task(name, three / f"{name}.txt", three / "out" / f"{name}.pdf", {})
             for name in ("alpha", "beta")]
    outcomes = list(run_tasks(tasks, builder=signal_probe, jobs=2,
                              stop=threading.Event() if stop else None))
    assert [o.warnings for o in outcomes] == [("SIGINT ignored", "SIGTERM default")] * 2


# -- C10: a stop request ends the run after the builds in progress ------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_C10_stop_ends_the_run_after_the_builds_in_progress(held: Path, jobs: int) -> None:
    three = held
    now = dt.datetime(2025, 1, 6, 7, 0, tzinfo=TZ)
    scheduler = Scheduler(three / "briefings.toml", builder=fake_build, jobs=jobs,
                          clock=lambda: now)
    thread = threading.Thread(target=scheduler.run_due)
    thread.start()
    try:
        wait_until(lambda: len(list(three.glob("started-*"))) >= jobs, 30,
                   "the builds never started")
        scheduler.stop()  # what SIGTERM and SIGINT do
    finally:
        (three / "release").touch()
        thread.join(60)
    assert not thread.is_alive()
    ran = begun(three)
    assert len(ran) == jobs
    assert sorted(p.stem for p in (three / "out").glob("*.pdf")) == ran
    # What did not run is still due: it runs next time.
    assert sorted(LastRuns.load(load_manifest(three)).runs) == ran


@linux_only
def test_C1_a_temporary_file_of_a_killed_writer_is_removed_even_before_it_is_reaped(
        tmp_path: Path) -> None:
    """The kill leaves the writer a zombie for a while; its temporary file is stale already."""
    from briefing.output import write_atomic

    target = tmp_path / "x.pdf"
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os._exit(0)
    wait_until(lambda: not alive(child), 10, "the child never ended")  # a zombie, not reaped
    stale = tmp_path / f".x.pdf.{child}.abcdefgh.tmp"
    stale.write_bytes(b"half")
    try:
        write_atomic(target, b"%PDF-whole")
        assert not stale.exists()
    finally:
        os.waitpid(child, 0)
