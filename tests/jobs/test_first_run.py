"""A manifest as a newcomer writes it: missing files and folders, notifications without their
secret, a broken source. Each fails alone, is said once, in words, and is never retried when
trying again cannot help."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import signal
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.editions.notify import Event, Notifier, NotifySettings, WebhookSettings
from briefing.jobs.manifest import load_manifest
from briefing.jobs.schedule import Scheduler, cron_lines, systemd_units
from briefing.jobs.update import duration

TEXT = "Alpha report\n\nSome facts about alpha.\n\nAnother paragraph.\n"
#: Python's names for errors: none of them may reach a user.
PYTHON_NAMES = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b|Traceback|<urlopen")


def run(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False,
                                env={"BRIEFING_HOOK_TOKEN": None})
    return result.exit_code, result.stdout + result.stderr


def test_a_missing_source_fails_its_briefing_alone_and_output_folders_are_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "briefings.toml").write_text(
        '[defaults]\noutput_dir = "public"\n\n'
        '[[briefing]]\nname = "a"\nsource = "a.txt"\n\n'
        '[[briefing]]\nname = "b"\nsource = "missing.txt"\n\n'
        '[[briefing]]\nname = "c"\nsource = "a.txt"\noutput = "deep/er/c.pdf"\n')
    code, out = run(tmp_path, "update", "--dry-run")
    assert code == 0
    assert "a: would build (never built)" in out
    assert ('b: cannot be built: briefings.toml, line 10, [[briefing]] "b", '
            f'key "source": {tmp_path / "missing.txt"}: no such file; write the source there, '
            "or correct the path") in out
    assert not (tmp_path / "public").exists()  # a dry run makes nothing
    code, out = run(tmp_path, "update")
    assert code == 1
    assert (tmp_path / "public" / "a.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "public" / "deep" / "er" / "c.pdf").read_bytes().startswith(b"%PDF-")
    assert "b: FAILED: " in out and "missing.txt: no such file" in out
    assert out.rstrip().splitlines()[-1] == (
        "Error: b failed; it has no PDF yet; see the lines above for why, then run it again")
    assert not PYTHON_NAMES.search(out)


def test_an_output_folder_that_cannot_be_made_is_said(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "taken").write_text("a file, not a folder")
    (tmp_path / "briefings.toml").write_text(
        '[[briefing]]\nname = "a"\nsource = "a.txt"\noutput = "taken/a.pdf"\n')
    code, out = run(tmp_path, "update")
    assert code == 1
    assert f"a: FAILED: {tmp_path / 'taken'}: the folder for the PDF cannot be created" in out


HOOKED = ('[defaults]\nretries = 2\n[defaults.notify]\non = ["success", "change", "failure"]\n'
          'retries = 3\nbackoff = 30\n[defaults.notify.webhook]\nurl = "http://localhost:9/h"\n'
          'token_env = "BRIEFING_HOOK_TOKEN"\n\n[[briefing]]\nname = "a"\nsource = "a.txt"\n')


def test_a_missing_token_variable_is_found_before_building_and_never_retried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_HOOK_TOKEN", raising=False)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "briefings.toml").write_text(HOOKED)
    said = ('notify.webhook.token_env: the environment variable BRIEFING_HOOK_TOKEN is not '
            "set; set it where briefing runs (export BRIEFING_HOOK_TOKEN=...), or remove "
            "token_env")
    code, out = run(tmp_path, "update", "--dry-run")
    assert code == 0
    assert f'a: cannot be built: briefings.toml, line 11, [[briefing]] "a": {said}' in out
    code, out = run(tmp_path, "update")
    assert code == 1
    assert said in out and "it was not built, so that no new edition goes untold" in out
    assert not (tmp_path / "a.pdf").exists()
    assert "retrying" not in out and "attempt" not in out  # a setting: nothing to try again
    assert "notification" not in out  # nothing was sent, nor tried
    assert not PYTHON_NAMES.search(out)


def test_a_broken_source_is_not_retried_and_no_previous_pdf_is_claimed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(
        'title: X\nsections:\n  - kind: faq\n    entries:\n      - {answer: "a"}\n')
    (tmp_path / "briefings.toml").write_text(
        '[defaults]\nretries = 3\n\n[[briefing]]\nname = "bad"\nsource = "bad.yaml"\n')
    code, out = run(tmp_path, "update")
    assert code == 1
    assert "sections[0].entries[0].question: missing" in out
    assert "retrying" not in out and "attempt" not in out
    assert "previous PDF" not in out and "bad failed; it has no PDF yet" in out


def test_a_delivery_that_fails_is_said_in_words(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "briefing")
    settings = NotifySettings(frozenset({"success"}),
                              webhook=WebhookSettings("http://127.0.0.1:9/hook", timeout=5),
                              retries=1, backoff=0)
    (delivery,) = Notifier(settings, env={}, sleep=lambda s: None).notify(
        Event("success", "a", "A", edition=1, date=dt.date(2026, 12, 2)))
    assert not delivery.ok and delivery.attempts == 2
    assert delivery.error == ("the connection was refused (is the server running, and is the "
                              "port right?)")
    assert not PYTHON_NAMES.search(caplog.text)


def test_a_missing_variable_is_not_tried_at_delivery_either(
        caplog: pytest.LogCaptureFixture) -> None:
    settings = NotifySettings(frozenset({"success"}), webhook=WebhookSettings(
        "http://127.0.0.1:9/hook", token_env="NOT_SET_HERE"), retries=5, backoff=60)
    slept: list[float] = []
    (delivery,) = Notifier(settings, env={}, sleep=slept.append).notify(
        Event("success", "a", "A", edition=1))
    assert not delivery.ok and delivery.attempts == 0 and slept == []
    assert delivery.error is not None and "NOT_SET_HERE is not set" in delivery.error


def test_durations_under_a_second_are_in_milliseconds() -> None:
    assert [duration(s) for s in (0.0004, 0.085, 0.9994, 0.9996, 1.64, 12.0)] == [
        "0 ms", "85 ms", "999 ms", "1.0 s", "1.6 s", "12.0 s"]


def test_a_build_line_gives_milliseconds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "briefings.toml").write_text('[[briefing]]\nname = "a"\nsource = "a.txt"\n')
    code, out = run(tmp_path, "update")
    assert code == 0
    assert re.search(r"a: built, 1 page, (\d+ ms|\d+\.\d s) \(never built\)", out)
    assert " 0.0 s" not in out


def test_the_first_scheduled_run_says_why_it_runs_now(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "briefing")
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "briefings.toml").write_text(
        '[[briefing]]\nname = "a"\nsource = "a.txt"\nschedule = "0 7 * * mon"\n')
    wednesday = dt.datetime(2026, 12, 2, 15, 0).astimezone()
    later = wednesday + dt.timedelta(days=6)  # the Monday 07:00 run was missed
    clock = iter([wednesday, wednesday, later, later, later])
    scheduler = Scheduler(tmp_path / "briefings.toml", clock=lambda: next(clock))
    assert scheduler.run_due() is not None
    assert ("a: never run on its schedule (0 7 * * mon): it runs now, once, so that its PDF "
            "is up to date from the start; then at its times") in caplog.text
    caplog.clear()
    assert scheduler.run_due() is not None
    assert "a: its run of Mon 2026-12-07 07:00" in caplog.text
    assert "was missed (the scheduler was not running): caught up now" in caplog.text


def test_a_timer_that_would_never_fire_is_refused(tmp_path: Path) -> None:
    from briefing.errors import ManifestError

    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "briefings.toml").write_text('[[briefing]]\nname = "a"\nsource = "a.txt"\n')
    manifest = load_manifest(tmp_path)
    for make in (lambda: systemd_units(manifest, ["briefing"]),
                 lambda: cron_lines(manifest, "briefing")):
        with pytest.raises(ManifestError, match=r"no briefing has a schedule, so .* would never "
                                                r'run anything; add schedule = "0 7 \* \* mon"'):
            make()
    code, out = run(tmp_path, "schedule", str(tmp_path), "--print-systemd")
    assert code == 1 and "[Timer]" not in out


def test_a_dry_run_says_what_would_fail_instead_of_refusing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "bad.toml").write_text('extends = "default"\n[colors]\nprimary = "navy"\n')
    (tmp_path / "briefings.toml").write_text(
        '[[briefing]]\nname = "a"\nsource = "a.txt"\n\n'
        '[[briefing]]\nname = "b"\nsource = "a.txt"\ntheme = "bad.toml"\noutput = "b.pdf"\n\n'
        '[[briefing]]\nname = "c"\nsource = "a.txt"\ntheme = "nosuch.toml"\noutput = "c.pdf"\n'
        '\n[[briefing]]\nname = "d"\nsource = "gone.txt"\n')
    code, out = run(tmp_path, "update", "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "a: would build (never built)"
    assert lines[1].startswith(f"b: cannot be built: {tmp_path / 'bad.toml'}: colors.primary: "
                               "expected a colour like '#1F3A5F', got 'navy'")
    assert lines[2].startswith("c: cannot be built: ") and "nosuch.toml" in lines[2]
    assert lines[3].startswith("d: cannot be built: ") and "gone.txt: no such file" in lines[3]
    assert not list(tmp_path.glob("*.pdf"))


class _OneWriterStream(io.StringIO):
    """A stream that, like Python's buffered stderr, refuses a write inside a write; the
    first write of the scheduler's start line sends this process SIGTERM in its middle."""

    def __init__(self) -> None:
        super().__init__()
        self.writing = False
        self.signalled = False

    def write(self, text: str) -> int:
        if self.writing:
            raise RuntimeError("reentrant call")
        self.writing = True
        try:
            if "scheduling" in text and not self.signalled:
                self.signalled = True
                os.kill(os.getpid(), signal.SIGTERM)  # handled before this write returns
            return super().write(text)
        finally:
            self.writing = False


def test_a_signal_in_the_middle_of_a_log_line_still_stops_the_scheduler(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "briefings.toml").write_text(
        '[[briefing]]\nname = "a"\nsource = "a.txt"\nschedule = "0 7 * * mon"\n')
    stream = _OneWriterStream()
    handler = logging.StreamHandler(stream)
    jobs_log = logging.getLogger("briefing.jobs")
    jobs_log.addHandler(handler)
    level = jobs_log.level
    jobs_log.setLevel(logging.INFO)
    scheduler = Scheduler(tmp_path / "briefings.toml", poll=0.05)
    safety = threading.Timer(30, scheduler.stop)  # a deadline, should the signal be lost
    safety.start()
    try:
        scheduler.run_forever()
    finally:
        safety.cancel()
        jobs_log.removeHandler(handler)
        jobs_log.setLevel(level)
    said = stream.getvalue()
    assert stream.signalled and "SIGTERM received: stopping after the build in progress" in said
    assert "scheduler stopped" in said
    assert not (tmp_path / "a.pdf").exists()  # stopped before its first build
