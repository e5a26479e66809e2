from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

import pytest

from briefing.jobs.manifest import load_manifest
from briefing.jobs.schedule import LastRuns, Scheduler, cron_lines, is_due, next_run, systemd_units
from tests.jobs.fakes import fake_build

TZ = dt.datetime.now().astimezone().tzinfo
MONDAY_7 = dt.datetime(2025, 1, 6, 7, 0, tzinfo=TZ)  # 2025-01-06 was a Monday


def scheduled(three: Path) -> Path:
    manifest = three / "briefings.toml"
    text = manifest.read_text()
    text = text.replace('name = "alpha"', 'name = "alpha"\nschedule = "0 7 * * 1"')
    text = text.replace('name = "beta"', 'name = "beta"\nschedule = "*/10 * * * *"')
    manifest.write_text(text)
    return manifest


def test_cron_weekday_numbers_are_crons() -> None:
    sunday = dt.datetime(2025, 1, 5, 12, 0, tzinfo=TZ)
    fire = next_run("0 7 * * 1", None, sunday)
    assert fire is not None and fire.weekday() == 0 and fire.day == 6 and fire.hour == 7
    fire = next_run("0 7 * * 0", None, sunday)
    assert fire is not None and fire.day == 12  # next Sunday, not Monday


def test_due(three: Path) -> None:
    entry = load_manifest(scheduled(three)).entries[0]
    assert is_due(entry, None, MONDAY_7)
    assert not is_due(entry, MONDAY_7, MONDAY_7 + dt.timedelta(hours=1))
    assert is_due(entry, MONDAY_7, MONDAY_7 + dt.timedelta(days=7, seconds=30))
    # a missed run is caught up once
    assert is_due(entry, MONDAY_7, MONDAY_7 + dt.timedelta(days=30))
    gamma = load_manifest(three).entries[2]
    assert not is_due(gamma, None, MONDAY_7)  # no schedule


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def test_run_due_then_next_times(three: Path) -> None:
    clock = Clock(MONDAY_7 + dt.timedelta(minutes=1))
    scheduler = Scheduler(scheduled(three), builder=fake_build, jobs=1, clock=clock)
    first = scheduler.run_due()
    assert first is not None
    assert sorted(o.name for o in first.of("built")) == ["alpha", "beta"]
    assert not (three / "out" / "gamma.pdf").exists()
    assert scheduler.run_due() is None  # nothing due at the same time
    assert scheduler.next_wakeup() == MONDAY_7 + dt.timedelta(minutes=10)
    clock.now = MONDAY_7 + dt.timedelta(minutes=10)
    (three / "beta.txt").write_text("Beta\n\nNews.\n")
    again = scheduler.run_due()
    assert again is not None
    assert [o.name for o in again.of("built")] == ["beta"]
    runs = LastRuns.load(scheduler.manifest).runs
    assert runs == {"alpha": MONDAY_7 + dt.timedelta(minutes=1), "beta": clock.now}


def test_failing_build_is_logged_and_retried(three: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "briefing.jobs")
    clock = Clock(MONDAY_7)
    (three / "beta.txt").write_text("Beta\n\nBROKEN\n")
    scheduler = Scheduler(scheduled(three), builder=fake_build, jobs=1, clock=clock)
    summary = scheduler.run_due()
    assert summary is not None and [o.name for o in summary.of("failed")] == ["beta"]
    assert "beta: FAILED: beta.txt: line 1: this source is broken" in caplog.text
    assert "beta: next run Mon 2025-01-06 07:10" in caplog.text
    (three / "beta.txt").write_text("Beta\n\nFixed.\n")
    clock.now = MONDAY_7 + dt.timedelta(minutes=10)
    summary = scheduler.run_due()
    assert summary is not None and [o.name for o in summary.of("built")] == ["beta"]


def test_manifest_reread_when_changed(three: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = scheduled(three)
    scheduler = Scheduler(path, builder=fake_build, jobs=1, clock=Clock(MONDAY_7))
    assert [e.name for e in scheduler.scheduled()] == ["alpha", "beta"]
    assert not scheduler.reload_if_changed()
    path.write_text(
        path.read_text().replace('name = "gamma"', 'name = "gamma"\nschedule = "@daily"')
    )
    assert scheduler.reload_if_changed()
    assert [e.name for e in scheduler.scheduled()] == ["alpha", "beta", "gamma"]
    path.write_text(path.read_text() + "\n[[briefing]]\nsourc = 1\n")
    assert not scheduler.reload_if_changed()
    assert "keeping the previous one" in caplog.text
    assert len(scheduler.scheduled()) == 3


def test_run_forever_stops_cleanly(three: Path) -> None:
    scheduler = Scheduler(scheduled(three), builder=fake_build, jobs=1, poll=0.05)
    thread = threading.Thread(target=scheduler.run_forever)
    thread.start()
    deadline = time.monotonic() + 5
    while not (three / "out" / "beta.pdf").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    scheduler.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert (three / "out" / "alpha.pdf").exists()


def test_cron_lines(three: Path) -> None:
    manifest = load_manifest(scheduled(three))
    text = cron_lines(manifest, "/usr/bin/briefing")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    path = three / "briefings.toml"
    log = three / ".briefing" / "cron.log"
    assert lines == [
        f"0 7 * * 1 /usr/bin/briefing update {path} --wait --only alpha >> {log} 2>&1",
        f"*/10 * * * * /usr/bin/briefing update {path} --wait --only beta >> {log} 2>&1",
    ]
    assert "# not scheduled: gamma" in text


def test_systemd_units(three: Path) -> None:
    manifest = load_manifest(scheduled(three))
    units = systemd_units(manifest, ["/usr/bin/briefing"])
    service_name, timer_name = sorted(units)
    assert service_name.endswith(".service") and timer_name.endswith(".timer")
    assert (
        f"ExecStart=/usr/bin/briefing schedule {three / 'briefings.toml'} --once"
        in (units[service_name])
    )
    timer = units[timer_name]
    assert "OnCalendar=Mon *-*-* 07:00:00" in timer
    assert "OnCalendar=*-*-* *:00,10,20,30,40,50:00" in timer
    assert "Persistent=true" in timer


def _systemd_args(line: str) -> list[str]:
    """The arguments systemd makes of an ``ExecStart=`` value (quotes, C escapes, %%, $$)."""
    args: list[str] = []
    i, word, quoted, started = 0, "", False, False
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line):
            word += line[i + 1]
            i += 2
            started = True
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started:
                args.append(word)
            word, started = "", False
        else:
            word += c
            started = True
        i += 1
    if started:
        args.append(word)
    return [a.replace("%%", "%").replace("$$", "$") for a in args]


def test_S6_systemd_units_escape_percent_dollar_and_quotes(tmp_path: Path) -> None:
    folder = tmp_path / '100%n $HOME "q" \\x'
    folder.mkdir()
    (folder / "a.txt").write_text("A\n\nText.\n")
    (folder / "briefings.toml").write_text(
        '[[briefing]]\nname = "a"\nsource = "a.txt"\nschedule = "@daily"\n')
    units = systemd_units(load_manifest(folder), ["/opt/my tools/briefing"])
    service = units[next(name for name in units if name.endswith(".service"))]
    lines = dict(line.split("=", 1) for line in service.splitlines() if "=" in line)
    assert lines["WorkingDirectory"].replace("%%", "%") == str(folder)
    assert "%n" not in lines["WorkingDirectory"].replace("%%", "")
    assert _systemd_args(lines["ExecStart"]) == [
        "/opt/my tools/briefing", "schedule", str(folder / "briefings.toml"), "--once"]
    assert "$HOME" not in lines["ExecStart"].replace("$$", "")


def test_S6_a_line_break_in_the_folder_is_refused(tmp_path: Path) -> None:
    from briefing.errors import ManifestError

    folder = tmp_path / "x\nExecStartPre=touch INJECTED"
    folder.mkdir()
    (folder / "a.txt").write_text("A\n\nText.\n")
    (folder / "briefings.toml").write_text(
        '[[briefing]]\nname = "a"\nsource = "a.txt"\nschedule = "@daily"\n')
    manifest = load_manifest(folder)
    with pytest.raises(ManifestError, match="line break"):
        systemd_units(manifest, ["/usr/bin/briefing"])
    with pytest.raises(ManifestError, match="line break"):
        cron_lines(manifest, "/usr/bin/briefing")


def test_B8_a_last_run_in_the_future_does_not_stop_the_scheduler(
        three: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "briefing.jobs")
    path = scheduled(three)
    future = dt.datetime(2031, 6, 1, tzinfo=TZ)
    last = LastRuns.load(load_manifest(path))
    last.runs = {"alpha": future, "beta": future}
    last.save()
    clock = Clock(MONDAY_7 + dt.timedelta(minutes=1))
    scheduler = Scheduler(path, builder=fake_build, jobs=1, clock=clock)
    assert scheduler.next_wakeup() == clock.now
    summary = scheduler.run_due()
    assert summary is not None and sorted(o.name for o in summary.of("built")) == ["alpha", "beta"]
    assert "in the future: the clock went back?" in caplog.text
    assert LastRuns.load(scheduler.manifest).runs == {"alpha": clock.now, "beta": clock.now}
    assert scheduler.run_due() is None  # and its schedule goes on from now
