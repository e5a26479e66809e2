from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from briefing.jobs.fingerprint import Hasher
from briefing.jobs.lock import LockedError, manifest_lock
from briefing.jobs.manifest import load_manifest
from briefing.jobs.state import read_record, stale_reason
from briefing.jobs.update import Summary, plan, update
from tests.jobs.fakes import crash_build, fake_build
from tests.jobs.procs import wait_until

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def run(folder: Path, **kwargs: object) -> Summary:
    kwargs.setdefault("jobs", 1)
    return update(load_manifest(folder), builder=fake_build, **kwargs)  # type: ignore[arg-type]


def names(summary: Summary, status: str) -> list[str]:
    return sorted(o.name for o in summary.of(status))  # type: ignore[arg-type]


def touch(path: Path, text: str | None = None) -> None:
    if text is not None:
        path.write_text(text)
    later = time.time() + 5  # a different mtime, even on coarse clocks
    os.utime(path, (later, later))


@pytest.mark.parametrize("jobs", [1, 3])
def test_second_update_builds_nothing_then_only_the_affected(three: Path, jobs: int) -> None:
    first = run(three, jobs=jobs)
    assert names(first, "built") == ["alpha", "beta", "gamma"]
    assert first.ok
    assert (three / "out" / "alpha.pdf").read_bytes().startswith(b"%PDF-fake")
    assert read_record(three / ".briefing", "alpha") is not None

    second = run(three, jobs=jobs)
    assert names(second, "built") == []
    assert names(second, "unchanged") == ["alpha", "beta", "gamma"]

    touch(three / "beta.txt", "Beta\n\nNew facts.\n")
    third = run(three, jobs=jobs)
    assert names(third, "built") == ["beta"]
    assert b"New facts" in (three / "out" / "beta.pdf").read_bytes()

    touch(three / "theme.toml", '[colors]\naccent = "#00c"\n')
    fourth = run(three, jobs=jobs)
    assert names(fourth, "built") == ["alpha", "beta"]
    assert [o.reason for o in fourth.of("built")] == ["theme.toml changed"] * 2


def test_touch_without_change_rebuilds_nothing(three: Path) -> None:
    run(three)
    touch(three / "alpha.txt")
    assert names(run(three), "built") == []


def test_force_and_dry_run_reasons(three: Path) -> None:
    assert [p.reason for p in plan(load_manifest(three))] == ["never built"] * 3
    run(three)
    (three / "out" / "gamma.pdf").unlink()
    touch(three / "alpha.txt", "Alpha\n\nChanged.\n")
    reasons = {p.entry.name: p.reason for p in plan(load_manifest(three))}
    assert reasons == {"alpha": "source changed", "beta": None, "gamma": "output missing"}
    forced = run(three, force=True)
    assert names(forced, "built") == ["alpha", "beta", "gamma"]
    assert all(o.reason == "forced" for o in forced.outcomes)
    beta = next(o for o in forced.outcomes if o.name == "beta")
    assert not beta.rewritten  # identical bytes: the file is left alone


def test_options_and_version_changes(three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(three)
    manifest = three / "briefings.toml"
    manifest.write_text(
        manifest.read_text().replace('name = "gamma"', 'name = "gamma"\nlang = "fr"')
    )
    reasons = {p.entry.name: p.reason for p in plan(load_manifest(three))}
    assert reasons["gamma"] == "options changed (lang)"
    assert reasons["alpha"] is None
    monkeypatch.setattr("briefing.__version__", "99.0")
    assert all(p.reason and "version changed" in p.reason for p in plan(load_manifest(three)))


def test_date_dependent_output_is_stale_the_next_day(three: Path) -> None:
    run(three)
    manifest = load_manifest(three)
    record = read_record(manifest.state_dir, "alpha")
    assert record is not None
    record.date = "2020-01-01"  # as if built that day from an undated source
    entry = manifest.entries[0]
    assert stale_reason(entry, record, Hasher(), today=dt.date(2020, 1, 1)) is None
    assert stale_reason(entry, record, Hasher(), today=dt.date(2020, 1, 2)) == (
        "date changed (2020-01-01 → 2020-01-02)"
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_broken_source_keeps_old_pdf_others_build(three: Path, jobs: int) -> None:
    run(three, jobs=jobs)
    old = (three / "out" / "beta.pdf").read_bytes()
    touch(three / "beta.txt", "Beta\n\nBROKEN now.\n")
    touch(three / "alpha.txt", "Alpha\n\nFresh.\n")
    summary = run(three, jobs=jobs)
    assert not summary.ok
    assert names(summary, "failed") == ["beta"]
    assert names(summary, "built") == ["alpha"]
    (failed,) = summary.of("failed")
    assert failed.error == "beta.txt: line 1: this source is broken"
    assert (three / "out" / "beta.pdf").read_bytes() == old
    assert "1 built, 1 unchanged, 1 failed" in summary.describe()
    # still stale: retried next time
    assert {p.entry.name: p.reason for p in plan(load_manifest(three))}["beta"] == "source changed"


def test_unexpected_error_is_reported_with_traceback(three: Path) -> None:
    summary = update(load_manifest(three), ["gamma"], builder=crash_build, jobs=1)
    (outcome,) = summary.outcomes
    assert outcome.error == ("unexpected error, a bug of briefing (boom); please report it, with "
                             "the output of the same command run with -vv")
    assert outcome.detail and "Traceback" in outcome.detail


@pytest.mark.parametrize("jobs", [1, 2])
def test_timeout_fails_only_that_briefing(three: Path, jobs: int) -> None:
    manifest = three / "briefings.toml"
    manifest.write_text(
        manifest.read_text().replace('name = "beta"', 'name = "beta"\ntimeout = 0.3')
    )
    (three / "beta.txt").write_text("Beta\n\nSLEEP 5\n")
    summary = run(three, jobs=jobs)
    assert names(summary, "failed") == ["beta"]
    assert "longer than its timeout of 0.3 s" in (summary.of("failed")[0].error or "")
    assert names(summary, "built") == ["alpha", "gamma"]


def test_archive_option_is_the_editions_folder(tmp_path: Path, sample_path: Path) -> None:
    """--archive DIR records numbered editions there: one archive, not two."""
    from click.testing import CliRunner

    from briefing.cli import cli

    source = tmp_path / "a.txt"
    source.write_bytes(sample_path.read_bytes())
    manifest = tmp_path / "briefings.toml"
    manifest.write_text('[[briefing]]\nname = "sora"\nsource = "a.txt"\n', encoding="utf-8")
    args = ["update", str(manifest), "--archive", str(tmp_path / "ed"), "-j", "1"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    text = source.read_text(encoding="utf-8").replace("environ 20 artistes", "une vingtaine d’artistes")
    source.write_text(text, encoding="utf-8")
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0, second.stderr
    assert sorted(p.name for p in (tmp_path / "ed" / "sora").iterdir()) == [
        "0001.json", "0001.pdf", "0002.json", "0002.pdf"]
    (tmp_path / "briefings.toml").write_text(
        'editions = "elsewhere"\n[[briefing]]\nname = "sora"\nsource = "a.txt"\n', encoding="utf-8")
    clash = CliRunner().invoke(cli, args)
    assert clash.exit_code == 2 and "one archive, not two" in clash.stderr


def test_locked_manifest_refuses_then_waits(
        three: Path, caplog: pytest.LogCaptureFixture) -> None:
    manifest = load_manifest(three)
    with manifest_lock(manifest.lock_path), pytest.raises(LockedError, match="--wait"):
        run(three)
    caplog.set_level(logging.DEBUG, "briefing.jobs")
    results: list[Summary] = []
    waiting = threading.Thread(target=lambda: results.append(run(three, wait=True)))
    with manifest_lock(manifest.lock_path):
        waiting.start()
        wait_until(lambda: "waiting for the lock" in caplog.text, 10, "the run never waited")
        assert not (three / "out" / "alpha.pdf").exists()  # blocked while the lock is held
    waiting.join(30)
    assert results and results[0].ok
    assert (three / "out" / "alpha.pdf").exists()


SCRIPT = textwrap.dedent(
    """
    import sys
    from tests.jobs.fakes import fake_build
    from briefing.jobs.manifest import load_manifest
    from briefing.jobs.update import update
    from briefing.jobs.lock import LockedError
    try:
        summary = update(load_manifest(sys.argv[1]), builder=fake_build, jobs=int(sys.argv[2]))
    except LockedError as exc:
        print("LOCKED", exc.message)
        sys.exit(exc.exit_code)
    print("BUILT", len(summary.of("built")))
    """
)


def spawn(folder: Path, jobs: int = 1) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(folder), str(jobs)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_concurrent_runs_do_not_both_build(three: Path) -> None:
    (three / "alpha.txt").write_text(
        f"Alpha\n\nSTART {three / 'started'} WAIT {three / 'release'}\n")
    first = spawn(three)
    try:
        wait_until(lambda: (three / "started").exists() or first.poll() is not None, 30,
                   "the first run never started building")
        second = spawn(three)  # while the first one holds the lock, mid-build
        out2, _ = second.communicate(timeout=20)
    finally:
        (three / "release").touch()
    out1, err1 = first.communicate(timeout=20)
    assert "BUILT 3" in out1, err1
    assert second.returncode == 75
    assert "LOCKED another `briefing` run" in out2


def test_killing_a_build_midway_leaves_the_old_pdf(three: Path) -> None:
    run(three)
    old = (three / "out" / "alpha.pdf").read_bytes()
    touch(three / "alpha.txt", f"Alpha\n\nSTART {three / 'started'} WAIT {three / 'never'}\n")
    proc = spawn(three)
    try:
        # gamma and beta are unchanged; alpha says when its build is under way
        wait_until(lambda: (three / "started").exists() or proc.poll() is not None, 30,
                   "the build never started")
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.communicate(timeout=10)
    assert (three / "out" / "alpha.pdf").read_bytes() == old
    assert not [p for p in (three / "out").iterdir() if p.suffix == ".tmp"]
    assert plan(load_manifest(three), ["alpha"])[0].reason == "source changed"


def test_noop_update_of_200_briefings_reads_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files whose size and mtime are those recorded are not read again (how fast a no-op
    update is, benchmarks/run.py measures)."""
    (tmp_path / "theme.toml").write_text("[colors]\n")
    tables = []
    for number in range(200):
        (tmp_path / f"s{number}.txt").write_text(f"S{number}\n\nText {number}.\n")
        tables.append(f'[[briefing]]\nsource = "s{number}.txt"\ntheme = "theme.toml"\n')
    (tmp_path / "briefings.toml").write_text("\n".join(tables))
    # records written long enough ago that stat-matching files are trusted without hashing
    run(tmp_path, jobs=1)
    for path in (tmp_path / ".briefing").iterdir():
        path.write_text(path.read_text().replace('"recorded_ns": ', '"recorded_ns": 9'))
    hashed: list[str] = []
    monkeypatch.setattr("briefing.jobs.fingerprint.sha256_file", lambda p: hashed.append(p))
    monkeypatch.setattr("briefing.jobs.state.sha256_file", lambda p: hashed.append(p))
    summary = run(tmp_path, jobs=4)
    assert len(summary.of("unchanged")) == 200
    assert hashed == []


def test_a_changed_image_makes_the_briefing_stale(tmp_path: Path) -> None:
    """Images named in a source shape the PDF: they are in its fingerprint."""
    from briefing.jobs.update import update as real_update

    (tmp_path / "note.md").write_text("# Note\n\nLead.\n\n![A square](square.png)\n",
                                      encoding="utf-8")
    from PIL import Image as PILImage

    PILImage.new("RGB", (40, 40), (200, 0, 0)).save(tmp_path / "square.png")
    (tmp_path / "briefings.toml").write_text(
        '[[briefing]]\nname = "note"\nsource = "note.md"\n', encoding="utf-8")
    first = real_update(load_manifest(tmp_path), jobs=1)
    assert names(first, "built") == ["note"]
    assert names(real_update(load_manifest(tmp_path), jobs=1), "unchanged") == ["note"]
    PILImage.new("RGB", (40, 40), (0, 0, 200)).save(tmp_path / "square.png")
    touch(tmp_path / "square.png")
    plan_now = plan(load_manifest(tmp_path), ())
    assert plan_now[0].reason is not None and "square.png" in plan_now[0].reason


def test_each_input_is_hashed_once_per_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Briefings sharing a theme (its TOML, fonts, logos) hash each of its files once per run,
    not once per briefing; the next run hashes them again (benchmarks/hashing.py measures)."""
    from collections import Counter

    from briefing.jobs import fingerprint
    from briefing.jobs.update import update as real_update

    for number in range(3):
        (tmp_path / f"s{number}.txt").write_text(f"S{number}\n\nText {number}.\n")
    (tmp_path / "briefings.toml").write_text("\n".join(
        f'[[briefing]]\nsource = "s{number}.txt"\n' for number in range(3)))
    hashed: Counter[str] = Counter()
    real = fingerprint.sha256_file

    def counted(path: Path) -> str:
        hashed[str(path)] += 1
        return real(path)

    monkeypatch.setattr("briefing.jobs.fingerprint.sha256_file", counted)
    summary = real_update(load_manifest(tmp_path), jobs=1, force=True)
    assert len(summary.of("built")) == 3
    deps = read_record(tmp_path / ".briefing", "s0").deps  # type: ignore[union-attr]
    assert len(deps) > 5 and any(dep.path.endswith(".ttf") for dep in deps)
    assert {dep.path for dep in deps} <= set(hashed)
    assert max(hashed.values()) == 1, hashed.most_common(3)
    hashed.clear()
    real_update(load_manifest(tmp_path), jobs=1, force=True)
    assert max(hashed.values()) == 1 and {dep.path for dep in deps} <= set(hashed)


def test_a_file_changed_within_a_run_is_hashed_again(tmp_path: Path) -> None:
    """The digests of a run are kept by path, size and modification time."""
    from briefing.jobs.fingerprint import hashing_run

    path = tmp_path / "font.ttf"
    path.write_bytes(b"one")
    with hashing_run():
        first = Hasher().stamp(path)
        path.write_bytes(b"other")
        touch(path)
        second = Hasher().stamp(path)
    assert first is not None and second is not None and first.sha256 != second.sha256


def test_a_run_sweeps_each_output_folder_once(three: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Stale temporary files (of any PDF) are removed at a run's first write into a folder;
    the folder is not listed again at every write (benchmarks/cluster.py: the coordinator's
    write rate)."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os._exit(0)
    os.waitpid(child, 0)
    stale = three / "out" / f".other.pdf.{child}.abcdefgh.tmp"
    stale.write_bytes(b"half")
    listed: list[str] = []
    real_scandir = os.scandir

    def counted(path: object = ".") -> object:
        listed.append(os.fspath(path))  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", counted)
    summary = run(three, jobs=1)
    assert len(summary.of("built")) == 3
    assert not stale.exists()
    assert listed.count(str((three / "out").resolve())) == 1
