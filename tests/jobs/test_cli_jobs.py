"""The jobs commands end to end: real builds, in subprocesses where processes matter."""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli

ROOT = Path(__file__).resolve().parents[2]
THEME = 'extends = "default"\nname = "mine"\n\n[colors]\naccent = "#CC0000"\n'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three real sources, a theme extending the default, a manifest."""
    (tmp_path / "theme.toml").write_text(THEME)
    (tmp_path / "out").mkdir()
    for name in ("alpha", "beta", "gamma"):
        (tmp_path / f"{name}.txt").write_text(
            f"{name.title()} report\n\nSome facts about {name}.\n\nAnother paragraph.\n"
        )
    (tmp_path / "briefings.toml").write_text(
        '[defaults]\noutput_dir = "out"\n\n'
        '[[briefing]]\nname = "alpha"\nsource = "alpha.txt"\ntheme = "theme.toml"\n'
        'schedule = "0 7 * * mon"\n\n'
        '[[briefing]]\nname = "beta"\nsource = "beta.txt"\ntheme = "theme.toml"\n\n'
        '[[briefing]]\nname = "gamma"\nsource = "gamma.txt"\n'
    )
    return tmp_path


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def briefing(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def built(stderr: str) -> list[str]:
    return sorted(line.split(":")[0] for line in stderr.splitlines() if ": built" in line)


def later(path: Path, text: str) -> None:
    path.write_text(text)
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def test_update_rebuilds_only_what_changed(folder: Path) -> None:
    first = briefing("update", "-j", "2", cwd=folder)
    assert first.returncode == 0, first.stderr
    assert built(first.stderr) == ["alpha", "beta", "gamma"]
    assert "3 built, 0 unchanged, 0 failed" in first.stderr
    assert (folder / "out" / "alpha.pdf").read_bytes().startswith(b"%PDF-")

    second = briefing("update", cwd=folder)
    assert built(second.stderr) == [] and "0 built, 3 unchanged" in second.stderr

    later(folder / "gamma.txt", "Gamma report\n\nNew facts.\n")
    assert built(briefing("update", cwd=folder).stderr) == ["gamma"]

    later(folder / "theme.toml", THEME.replace("#CC0000", "#00AA00"))
    dry = briefing("update", "--dry-run", cwd=folder)
    assert dry.stdout.splitlines() == [
        "alpha: would build (theme.toml changed)",
        "beta: would build (theme.toml changed)",
        "gamma: up to date",
    ]
    assert built(briefing("update", cwd=folder).stderr) == ["alpha", "beta"]


def test_broken_source_keeps_its_pdf_and_fails(folder: Path) -> None:
    assert briefing("update", cwd=folder).returncode == 0
    old = (folder / "out" / "beta.pdf").read_bytes()
    (folder / "beta.txt").write_bytes(b"Beta\n\ncaf\xe9\n")
    later(folder / "alpha.txt", "Alpha report\n\nNews.\n")
    result = briefing("update", cwd=folder)
    assert result.returncode == 1
    assert "beta: FAILED: " in result.stderr and "not valid UTF-8 at byte 9" in result.stderr
    assert ("Error: beta failed; its previous PDF was kept; see the lines above for why, "
            "then run it again") in result.stderr
    assert built(result.stderr) == ["alpha"]
    assert (folder / "out" / "beta.pdf").read_bytes() == old


def test_a_second_run_is_refused_or_waits(folder: Path) -> None:
    with open(folder / ".briefings.toml.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        refused = briefing("update", cwd=folder)
        assert refused.returncode == 75
        assert "another `briefing` run" in refused.stderr and "--wait" in refused.stderr
        assert not (folder / "out" / "alpha.pdf").exists()
        waiting = subprocess.Popen(
            [sys.executable, "-m", "briefing", "-vv", "update", "--wait"],
            cwd=folder,
            env=env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        lines = Lines(waiting)
        lines.wait_for("waiting for the lock")
        assert waiting.poll() is None  # blocked while the lock is held
        assert not (folder / "out" / "alpha.pdf").exists()
    lines.wait_for("3 built", timeout=60)
    assert waiting.wait(timeout=60) == 0, lines.seen
    assert built("\n".join(lines.seen)) == ["alpha", "beta", "gamma"]


def test_schedule_once_and_print_cron(folder: Path) -> None:
    runner = CliRunner()
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        cron = runner.invoke(cli, ["schedule", "--print-cron"])
        assert cron.exit_code == 0, cron.output
        (line,) = [x for x in cron.stdout.splitlines() if not x.startswith("#")]
        assert line.startswith("0 7 * * mon ")
        assert f"update {folder / 'briefings.toml'} --wait --only alpha" in line
        units = runner.invoke(cli, ["schedule", "--print-systemd"])
        assert "OnCalendar=Mon *-*-* 07:00:00" in units.stdout
        assert "schedule" in units.stdout and "--once" in units.stdout
        once = runner.invoke(cli, ["schedule", "--once", "-j", "1"])
        assert once.exit_code == 0, once.output
        assert (folder / "out" / "alpha.pdf").exists()
        assert not (folder / "out" / "beta.pdf").exists()  # not scheduled
        assert "alpha: next run" in once.stderr
        again = runner.invoke(cli, ["schedule", "--once"])
        assert "nothing is due" in again.stderr
    finally:
        os.chdir(cwd)


def test_init_writes_a_working_starter(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["init", "--manifest", str(tmp_path)])
    assert result.exit_code == 0
    update = runner.invoke(cli, ["update", str(tmp_path), "-j", "1"])
    assert update.exit_code == 0, update.output
    assert (tmp_path / "example.pdf").exists()
    again = runner.invoke(cli, ["init", str(tmp_path / "briefings.toml")])
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_bad_manifest_is_one_line_per_mistake(folder: Path) -> None:
    manifest = folder / "briefings.toml"
    manifest.write_text(
        manifest.read_text().replace('name = "gamma"', 'name = "gamma"\nschedul = "x"')
    )
    result = briefing("update", cwd=folder)
    assert result.returncode == 1
    assert result.stderr == "Error: briefings.toml, " + (
        'line 17, [[briefing]] "gamma", key "schedul": unknown key; did you mean "schedule"?\n'
    )


class Lines:
    """Reads a process's stderr in a thread, so tests can wait for a line with a timeout."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert proc.stderr is not None
        stream = proc.stderr
        threading.Thread(target=lambda: [self.queue.put(x) for x in stream], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in {self.seen}")


def test_watch_rebuilds_after_a_save(tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("Note\n\nFirst version.\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "-vv", "watch", "note.txt", "--debounce", "50"],
        cwd=tmp_path,
        env=env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = Lines(proc)
    try:
        lines.wait_for("note: built")
        first = (tmp_path / "note.pdf").read_bytes()
        lines.wait_for("watching")  # the watcher starts right after the first build
        # The watcher is set up just after that line: save again until a build follows.
        for attempt in range(10):
            source.write_text(f"Note\n\nSecond version, longer ({attempt}).\n")
            with contextlib.suppress(AssertionError):
                lines.wait_for("note: built", timeout=3)
                break
        assert (tmp_path / "note.pdf").read_bytes() != first
        source.write_bytes(b"Note\n\n\xff\n")
        lines.wait_for("FAILED", timeout=20)
        assert (tmp_path / "note.pdf").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)


def test_schedule_stops_cleanly_on_sigterm(folder: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "schedule", "-j", "1"],
        cwd=folder,
        env=env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = Lines(proc)
    lines.wait_for("alpha: next run")
    proc.send_signal(signal.SIGTERM)
    lines.wait_for("scheduler stopped", timeout=10)
    assert proc.wait(timeout=10) == 0
    assert (folder / "out" / "alpha.pdf").exists()
