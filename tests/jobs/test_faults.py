"""Fault injection: ``briefing update -j 2`` killed (SIGKILL) again and again, then checked.

Each round changes some sources, starts a real run (``-vv``: the run logs each stage it
reaches, which tells where the kill landed), kills it, and waits (deadline 5 s) until no
process of the run is left. After the last round an ordinary run must proceed, and then:
every output PDF opens and has the bytes its state records, the published feed lists every
edition exactly once, and the webhook receiver (on 127.0.0.1) was told of every edition once.
A delivery cut off by the kill itself may come twice (the journal cannot know whether the
receiver got it); such repeats carry the same ``id`` and are only allowed for that edition.

The quick test kills at three chosen stages (``BRIEFING_DEBUG_STOP_AT`` makes the process that
reaches the stage stop itself there); the slow one (``-m slow``) at 20 random moments.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import feedparser
import pytest
from pypdf import PdfReader

from briefing.editions.store import EditionStore
from briefing.jobs.fingerprint import sha256_file
from briefing.jobs.state import read_record
from tests.jobs.procs import in_session, linux_only, stopped, wait_until

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("a", "b", "c", "d")

#: Stage lines the run logs at -vv, and the stage each one means.
STAGE_LINES = (
    (re.compile(r"^(\w+): building$"), "building"),
    (re.compile(r"^journal: (\w+) edition (\d+) (built|recorded|written)$"), None),
    (re.compile(r"^publishing to "), "publishing"),
    (re.compile(r"^journal: (\w+) edition (\d+) published$"), "published"),
    (re.compile(r"^(\w+): announcing edition (\d+)$"), "announcing"),
    (re.compile(r"^journal: (\w+) edition (\d+) announced$"), "announced"),
)


class Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append(body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[list[dict[str, Any]], str]]:
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver.received, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def make_folder(folder: Path, hook: str) -> Path:
    for name in NAMES:
        (folder / f"{name}.txt").write_text(
            f"Notice {name} for the coast. The lead paragraph.\nA first paragraph.\n",
            encoding="utf-8")
    tables = "".join(f'[[briefing]]\nname = "{n}"\nsource = "{n}.txt"\n' for n in NAMES)
    (folder / "briefings.toml").write_text(f"""\
editions = "editions"

[publish]
folder = "site"

[defaults]
lang = "en"
notify = {{ on = ["success", "change"], retries = 0, webhook = {{ url = "{hook}", timeout = 5 }} }}

{tables}""", encoding="utf-8")
    return folder


def change(folder: Path, round_: int) -> None:
    for name in (NAMES[round_ % 4], NAMES[(round_ + 1) % 4]):
        path = folder / f"{name}.txt"
        path.write_text(path.read_text(encoding="utf-8") + f"News of round {round_}.\n",
                        encoding="utf-8")


def briefing(folder: Path, log: Path, stop_at: str | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if stop_at:
        env["BRIEFING_DEBUG_STOP_AT"] = stop_at
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "-vv", "update", "-j", "2"], cwd=folder, env=env,
        stdout=subprocess.DEVNULL, stderr=log.open("wb"), start_new_session=True)


def stages(log: Path) -> list[tuple[str, tuple[str, int] | None]]:
    """The stages the run reached in order, each with the edition announced if it was that."""
    out: list[tuple[str, tuple[str, int] | None]] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        for pattern, name in STAGE_LINES:
            match = pattern.match(line)
            if match:
                stage = name or match.group(3)
                out.append((stage, (match.group(1), int(match.group(2)))
                            if stage == "announcing" else None))
    return out


def stage_of(log: Path) -> tuple[str, tuple[str, int] | None]:
    """The last stage the run reached, and the edition being announced if it was that."""
    return (stages(log) or [("started", None)])[-1]


@contextlib.contextmanager
def cleaned(proc: subprocess.Popen[bytes]) -> Iterator[None]:
    try:
        yield
    finally:
        for pid in in_session(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait(timeout=30)


def kill_and_check(proc: subprocess.Popen[bytes]) -> None:
    """Kill the run's main process alone; none of its processes may be left after 5 s."""
    if proc.poll() is not None:
        assert proc.returncode == 0, f"the run failed on its own (exit {proc.returncode})"
        return
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    wait_until(lambda: not in_session(proc.pid), 5,
               f"processes of the killed run are still there: {in_session(proc.pid)}")


def run_to_the_end(folder: Path, tmp: Path) -> None:
    log = tmp / "final.log"
    proc = briefing(folder, log)
    with cleaned(proc):
        assert proc.wait(timeout=300) == 0, log.read_text()
        wait_until(lambda: not in_session(proc.pid), 5, "a finished run left processes behind")


def check_everything(folder: Path, received: list[dict[str, Any]],
                     cut: set[tuple[str, int]]) -> None:
    store = EditionStore(folder / "editions")
    feed = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids)), "an edition is in the feed twice"
    told = [(body["briefing"], body["edition"]) for body in received]
    for name in NAMES:
        editions = store.list(name)
        numbers = [e.number for e in editions]
        assert numbers == list(range(1, len(numbers) + 1)), f"{name}: editions {numbers}"
        latest = editions[-1]
        output = folder / f"{name}.pdf"
        assert output.read_bytes() == latest.pdf()
        assert len(PdfReader(io.BytesIO(output.read_bytes())).pages) >= 1
        record = read_record(folder / ".briefing", name)
        assert record is not None and sha256_file(output) == record.pdf_sha256
        assert (folder / "site" / f"{name}.pdf").read_bytes() == latest.pdf()
        for edition in editions:
            assert f"urn:briefing:{name}:{edition.number}" in ids
            assert (folder / "site" / name /
                    f"{name}-{edition.date.isoformat()}-e{edition.number}.pdf").is_file()
            times = told.count((name, edition.number))
            most = 2 if (name, edition.number) in cut else 1
            assert 1 <= times <= most, f"{name} edition {edition.number} told {times} times"
    assert len(told) == len(set(told)) + sum(told.count(k) - 1 for k in cut if k in told)
    assert not list(folder.rglob("*.tmp")), "temporary files left behind"
    for name in NAMES:
        journal = folder / ".briefing" / f"{name}.journal.json"
        assert not journal.exists() or json.loads(journal.read_text())["editions"] == []


def first_run(folder: Path, tmp: Path) -> float:
    started = time.monotonic()
    run_to_the_end(folder, tmp)
    return time.monotonic() - started


@linux_only
def test_fault_injection_killed_at_three_stages(
        tmp_path: Path, receiver: tuple[list[dict[str, Any]], str]) -> None:
    received, hook = receiver
    (tmp_path / "m").mkdir()
    folder = make_folder(tmp_path / "m", hook)
    first_run(folder, tmp_path)
    for round_, target in enumerate(("recorded", "publishing", "announcing"), start=1):
        change(folder, round_)
        log = tmp_path / f"run{round_}.log"
        proc = briefing(folder, log, stop_at=target)
        with cleaned(proc):
            wait_until(lambda p=proc: any(stopped(pid) for pid in in_session(p.pid))
                       or p.poll() is not None, 120, f"the run never reached {target}")
            assert proc.poll() is None, f"round {round_} ended without reaching {target}"
            kill_and_check(proc)
        assert target in [stage for stage, _ in stages(log)]
    # Stopped before any delivery began: nothing may be told twice.
    run_to_the_end(folder, tmp_path)
    check_everything(folder, received, set())


@linux_only
@pytest.mark.slow
def test_fault_injection_twenty_random_kills(
        tmp_path: Path, receiver: tuple[list[dict[str, Any]], str]) -> None:
    received, hook = receiver
    (tmp_path / "m").mkdir()
    folder = make_folder(tmp_path / "m", hook)
    duration = first_run(folder, tmp_path)
    chance = random.Random(os.environ.get("BRIEFING_FAULT_SEED", "13"))
    stages: list[str] = []
    cut: set[tuple[str, int]] = set()
    deadline = time.monotonic() + 600
    for round_ in range(1, 21):
        assert time.monotonic() < deadline, "the rounds took too long"
        change(folder, round_)
        log = tmp_path / f"run{round_}.log"
        proc = briefing(folder, log)
        with cleaned(proc):
            # A random moment of the run, not a synchronisation: the kill itself is the test.
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=chance.uniform(0.05, duration * 1.1))
            kill_and_check(proc)
        stage, announcing = stage_of(log)
        stages.append(stage if proc.returncode == -signal.SIGKILL else "finished")
        if announcing:
            cut.add(announcing)
    print("stages reached:", stages)
    assert len(set(stages) - {"finished"}) >= 3, f"the kills landed at too few stages: {stages}"
    run_to_the_end(folder, tmp_path)
    check_everything(folder, received, cut)
