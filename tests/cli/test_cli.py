"""The command line: the happy path, and every bad input gets one clear line and an exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import __version__
from briefing.cli import cli

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(args: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = runner.invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = run(["--version"])
    assert code == 0 and __version__ in out
    code, out, _ = run(["--help"])
    assert code == 0 and "build" in out and "check" in out


def test_build_the_bundled_sample_into_briefing_pdf(tmp_path: Path) -> None:
    code, _, err = run(["build"], cwd=tmp_path)
    assert code == 0, err
    pdf = tmp_path / "briefing.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "briefing.pdf" in err
    assert not [p for p in tmp_path.iterdir() if p.name != "briefing.pdf"]  # no stray temp files


def test_build_with_options(tmp_path: Path, sample_path: Path) -> None:
    out = tmp_path / "handout.pdf"
    preview = tmp_path / "page1.png"
    code, _, err = run(["build", str(sample_path), "-o", str(out), "--title", "Sora suspendu",
                        "--lang", "fr", "--page-size", "letter", "--preview", str(preview)])
    assert code == 0, err
    assert out.exists() and preview.read_bytes().startswith(b"\x89PNG")


def test_default_output_is_named_after_the_source(tmp_path: Path, sample_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_bytes(sample_path.read_bytes())
    code, _, err = run(["build", "note.txt"], cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / "note.pdf").exists()


def test_check_describes_the_sample(sample_path: Path) -> None:
    code, out, _ = run(["check", str(sample_path)])
    assert code == 0
    assert "lead        1 paragraph" in out
    assert "article     2 paragraphs" in out
    assert '"Avis et conseils sur la situation actuelle"' in out
    assert "conclusion" in out
    assert "faq         5 entries" in out


def test_check_json(sample_path: Path) -> None:
    import json

    code, out, _ = run(["check", "--json", str(sample_path)])
    data = json.loads(out)
    assert code == 0 and data["summary"]["faq_entries"] == 5
    assert data["briefing"]["format"] == 1


def test_python_dash_m(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "briefing", "--version"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0 and __version__ in done.stdout


def _bad_sources(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "empty.txt").write_text("")
    (tmp / "blank.txt").write_text("  \n\t\n")
    (tmp / "binary.txt").write_bytes(b"%PDF\x00\x01\x02binary")
    (tmp / "latin1.txt").write_bytes("Un été chaud. Très chaud.\n".encode("latin-1"))
    (tmp / "folder").mkdir()
    return {
        "missing": (tmp / "nope.txt", "no such file"),
        "directory": (tmp / "folder", "is a directory"),
        "empty": (tmp / "empty.txt", "empty"),
        "blank": (tmp / "blank.txt", "empty"),
        "binary": (tmp / "binary.txt", "not a text file"),
        "latin1": (tmp / "latin1.txt", "not valid UTF-8 at byte 3"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "blank", "binary", "latin1"])
def test_bad_sources_fail_cleanly_and_keep_the_old_pdf(tmp_path: Path, case: str) -> None:
    path, message = _bad_sources(tmp_path)[case]
    out = tmp_path / "out.pdf"
    out.write_bytes(b"%PDF-old good copy")
    code, _, err = run(["build", str(path), "-o", str(out)])
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], err
    assert str(path) in lines[0]
    assert "Traceback" not in err
    assert out.read_bytes() == b"%PDF-old good copy"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_latin1_error_says_how_to_convert(tmp_path: Path) -> None:
    path, _ = _bad_sources(tmp_path)["latin1"]
    _, _, err = run(["build", str(path), "-o", str(tmp_path / "x.pdf")])
    assert "iconv" in err
    assert not (tmp_path / "x.pdf").exists()


def test_bom_and_crlf_are_accepted(tmp_path: Path, sample_path: Path) -> None:
    source = tmp_path / "windows.txt"
    source.write_bytes(b"\xef\xbb\xbf" + sample_path.read_bytes().replace(b"\n", b"\r\n"))
    code, out, _ = run(["check", str(source)])
    assert code == 0 and "faq         5 entries" in out


def test_output_in_a_missing_folder(tmp_path: Path, sample_path: Path) -> None:
    code, _, err = run(["build", str(sample_path), "-o", str(tmp_path / "no" / "x.pdf")])
    assert code == 1 and "does not exist" in err and "Traceback" not in err


@pytest.mark.skipif(IS_ROOT, reason="root can write into read-only folders")
def test_output_in_a_read_only_folder(tmp_path: Path, sample_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run(["build", str(sample_path), "-o", str(folder / "x.pdf")])
    finally:
        folder.chmod(0o755)
    assert code == 1 and "not writable" in err


@pytest.mark.skipif(IS_ROOT, reason="root can read unreadable files")
def test_unreadable_source(tmp_path: Path, sample_path: Path) -> None:
    source = tmp_path / "secret.txt"
    source.write_bytes(sample_path.read_bytes())
    source.chmod(0o000)
    try:
        code, _, err = run(["build", str(source), "-o", str(tmp_path / "x.pdf")])
    finally:
        source.chmod(0o644)
    assert code == 1 and "permission denied" in err


def test_usage_errors_exit_2(tmp_path: Path, sample_path: Path) -> None:
    code, _, err = run(["build", str(sample_path), "--page-size", "tabloid"])
    assert code == 2
    code, _, err = run(["build", str(sample_path), "--date", "yesterday", "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and "--date" in err
    code, _, err = run(["build", str(sample_path), "--theme", "nope", "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "unknown theme" in err


def test_stdin_source(tmp_path: Path, sample_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "stdin.pdf"
    result = runner.invoke(cli, ["build", "-", "-o", str(out)], input=sample_path.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert out.exists()


@pytest.mark.parametrize("args", [["-q", "build"], ["build", "-q"]])
def test_quiet_before_or_after_the_command(tmp_path: Path, args: list[str]) -> None:
    code, _, err = run([*args, "-o", str(tmp_path / "q.pdf")])
    assert code == 0 and err == ""
    assert (tmp_path / "q.pdf").exists()


def test_completion_script() -> None:
    code, out, _ = run(["completion", "bash"])
    assert code == 0 and "_BRIEFING_COMPLETE" in out
