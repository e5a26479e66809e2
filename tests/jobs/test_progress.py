"""``briefing update``'s progress line: on a terminal (a pseudo-terminal here), with count,
rate and time left; never in a log or a pipe, never with -q."""

from __future__ import annotations

import io
import logging
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.jobs.progress import ERASE, Progress

ROOT = Path(__file__).resolve().parents[2]


def test_the_line_gives_count_rate_and_time_left() -> None:
    now = [100.0]
    out = io.StringIO()
    progress = Progress(200, out, clock=lambda: now[0], width=lambda: 80)
    progress.draw()
    assert out.getvalue() == f"\rbuilding 0/200{ERASE}"
    now[0] = 104.0
    for _ in range(12):
        progress.advance("weekly")
    assert progress.text() == "building 12/200 · 3.0/s · about 62.7 s left · weekly"
    now[0] = 110.0
    progress.done = 199
    progress.advance("last")
    assert progress.text() == "building 200/200 · 20.0/s · last"  # nothing left to wait for
    progress.clear()
    assert out.getvalue().endswith(f"\r{ERASE}")


def test_the_line_counts_failures() -> None:
    now = [0.0]
    progress = Progress(10, io.StringIO(), clock=lambda: now[0], width=lambda: 80)
    now[0] = 2.0
    progress.advance("a")
    progress.advance("b", failed=True)
    assert progress.text() == "building 2/10 · 1.0/s · 1 failed · about 8.0 s left · b"


def test_the_line_fits_the_terminal_and_log_lines_clear_it_first() -> None:
    out = io.StringIO()
    progress = Progress(3, out, clock=lambda: 1.0, width=lambda: 20)
    progress.advance("a-very-long-briefing-name")
    assert out.getvalue().endswith(f"\rbuilding 1/3 · a-v…{ERASE}")
    handler = logging.StreamHandler(out)
    handler.addFilter(progress.filter)
    logger = logging.getLogger("test.progress")
    logger.addHandler(handler)
    try:
        logger.error("b: FAILED")
    finally:
        logger.removeHandler(handler)
    assert out.getvalue().endswith(f"{ERASE}\r{ERASE}b: FAILED\n")


@pytest.fixture
def many(tmp_path: Path) -> Path:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"{name.upper()} report\n\nSome facts.\n")
        with (tmp_path / "briefings.toml").open("a") as manifest:
            manifest.write(f'[[briefing]]\nname = "{name}"\nsource = "{name}.txt"\n')
    return tmp_path


def _update(folder: Path, *args: str, terminal: bool) -> str:
    """Run ``briefing update`` with standard error on a pseudo-terminal (or a pipe); what
    it wrote there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    command = [sys.executable, "-m", "briefing", "update", "-j", "1", *args]
    if not terminal:
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr
    main, secondary = pty.openpty()
    try:
        process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=secondary)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the other end is closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=120) == 0
    finally:
        os.close(main)
    return b"".join(chunks).decode("utf-8")


def test_a_terminal_sees_the_line_and_then_the_summary(many: Path) -> None:
    seen = _update(many, terminal=True)
    assert f"\rbuilding 0/3{ERASE}" in seen
    assert re.search(r"\rbuilding 1/3 · \d+(\.\d)?/s · about \d+(\.\d)? (ms|s|min) left · a"
                     + re.escape(ERASE), seen)
    assert re.search(r"\rbuilding 3/3 · \d+(\.\d)?/s · c" + re.escape(ERASE), seen)
    assert re.search(re.escape(f"\r{ERASE}") + r"3 built, 0 unchanged, 0 failed in ", seen)
    assert ": built, 1 page" not in seen  # the line said it


def test_a_log_and_quiet_runs_never_see_it(many: Path) -> None:
    logged = _update(many, terminal=False)
    assert "\r" not in logged and "building" not in logged
    assert "a: built, 1 page" in logged
    for name in ("a", "b", "c"):
        (many / f"{name}.txt").write_text(f"{name.upper()} report\n\nOther facts.\n")
    quiet = _update(many, "-q", terminal=True)
    assert quiet == ""
