"""Files under stress: limits, a source that changes while read, a full disk, a killed build.
The old PDF always survives and no temporary file is left behind."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import output
from briefing.cli import cli
from briefing.errors import OutputError, SourceError
from briefing.read import source
from briefing.read.source import read_source_text
from briefing.render.document import BriefingDocTemplate

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "assets" / "examples" / "sora-artists.txt").read_text(encoding="utf-8")
OLD = b"%PDF-1.4 the old briefing %%EOF"


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- limits --------------------------------------------------------------------------------

def test_source_larger_than_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(SAMPLE * 400, encoding="utf-8")  # 1.2 MB
    result = CliRunner().invoke(cli, ["build", str(big), "-o", str(tmp_path / "b.pdf"),
                                      "--max-size", "1"])
    assert result.exit_code == 1
    assert "larger than the limit of 1 MB" in result.output and "--max-size" in result.output
    assert not (tmp_path / "b.pdf").exists()
    with pytest.raises(SourceError, match="limit of 1,000 bytes"):
        read_source_text(big, max_bytes=1000)


def test_page_limit_stops_the_layout_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    big.write_text(SAMPLE * 60, encoding="utf-8")  # about 60 pages
    begun: list[int] = []
    original = BriefingDocTemplate.handle_pageBegin

    def spy(self: BriefingDocTemplate) -> None:
        begun.append(1)
        original(self)

    monkeypatch.setattr(BriefingDocTemplate, "handle_pageBegin", spy)
    out = tmp_path / "b.pdf"
    result = CliRunner().invoke(cli, ["build", str(big), "-o", str(out), "--max-pages", "3"])
    assert result.exit_code == 1
    assert "more than 3 pages" in result.output and "--max-pages" in result.output
    assert len(begun) <= 4  # stopped on page 4, not after laying out all 60
    assert not out.exists()


# --- a source that changes while it is read -------------------------------------------------

def test_source_changing_while_read_is_read_again(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.txt"
    path.write_text("Old title\nOld text.\n", encoding="utf-8")
    real_stat, real_fstat = os.stat, os.fstat
    events: list[str] = []

    def fstat(fd: int) -> os.stat_result:
        events.append("opened")
        return real_fstat(fd)

    def stat(p: object, *a: object, **kw: object) -> os.stat_result:
        if events == ["opened"]:  # an editor saves a new version just after the first read
            path.write_text("New title, longer\nNew text, longer too.\n", encoding="utf-8")
            events.append("saved")
        return real_stat(p, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(source.os, "stat", stat)
    monkeypatch.setattr(source.os, "fstat", fstat)
    text = read_source_text(path)
    assert events[:2] == ["opened", "saved"]
    assert text.text == "New title, longer\nNew text, longer too.\n"


def test_source_that_never_stops_changing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.txt"
    path.write_text("Title\nText.\n", encoding="utf-8")
    real_stat = os.stat

    def growing_stat(p: object, *a: object, **kw: object) -> os.stat_result:
        with path.open("a", encoding="utf-8") as handle:
            handle.write("more.\n")
        return real_stat(p, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(source.os, "stat", growing_stat)
    monkeypatch.setattr(source, "_READ_PAUSE", 0)
    with pytest.raises(SourceError, match="kept changing while it was read"):
        read_source_text(path)


# --- a full disk ---------------------------------------------------------------------------

def test_full_disk_keeps_the_old_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "briefing.pdf"
    out.write_bytes(OLD)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device"):
        output.write_atomic(out, b"%PDF new" * 1000)
    assert out.read_bytes() == OLD
    assert temps(tmp_path) == []


@pytest.fixture
def tiny_fs(tmp_path: Path) -> object:
    """A 64 KB tmpfs (needs root and mount; skipped elsewhere)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
                          capture_output=True)
    if done.returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=False)


def test_output_folder_that_fills_up(tiny_fs: Path, tmp_path: Path) -> None:
    src = tmp_path / "big.txt"
    src.write_text(SAMPLE * 5, encoding="utf-8")
    out = tiny_fs / "briefing.pdf"
    out.write_bytes(OLD)
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "cannot be written (No space left on device)" in result.output
    assert out.read_bytes() == OLD
    assert temps(tiny_fs) == []


# --- a killed process ----------------------------------------------------------------------

# A build whose final flush hangs: the moment a kill does the most harm.
HANGING_BUILD = textwrap.dedent("""
    import os, sys, time
    from briefing import output
    def slow_fsync(fd):
        print("writing", flush=True)
        time.sleep(60)
    output.os.fsync = slow_fsync
    sys.argv = ["briefing", "build", sys.argv[1], "-o", sys.argv[2]]
    from briefing.cli import main
    main()
""")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_build_keeps_the_old_pdf(tmp_path: Path, sig: signal.Signals) -> None:
    src = tmp_path / "s.txt"
    src.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "briefing.pdf"
    out.write_bytes(OLD)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", HANGING_BUILD, str(src), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"writing"
    assert len(temps(tmp_path)) == 1  # the half-written PDF
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert out.read_bytes() == OLD
    if sig == signal.SIGTERM:  # unwinds and cleans up at once
        assert temps(tmp_path) == []
    # After a kill -9, the next build removes what the dead one left.
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and out.read_bytes() != OLD
    assert temps(tmp_path) == []


def test_temp_of_a_running_writer_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "briefing.pdf"
    live = tmp_path / f".briefing.pdf.{os.getppid()}.abc.tmp"  # our parent is running
    dead = tmp_path / ".briefing.pdf.999999999.abc.tmp"
    other = tmp_path / ".other.pdf.999999999.abc.tmp"
    for p in (live, dead, other):
        p.write_bytes(b"partial")
    output.write_atomic(out, b"%PDF new")
    assert temps(tmp_path) == sorted([live.name, other.name])
