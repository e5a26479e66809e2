"""PDF/A needs the bundled sRGB ICC profile: without it, a build says so in one line (what is
missing, where, what to do) before any layout, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.pdf import pdfa


def test_a_missing_icc_profile_is_a_clear_error(tmp_path: Path, sample_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "icc" / "sRGB.icc"
    monkeypatch.setattr(pdfa, "icc_path", lambda: missing)
    out = tmp_path / "b.pdf"
    result = CliRunner().invoke(cli, ["build", str(sample_path), "-o", str(out), "--pdfa"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # an error, not a crash
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    assert "ICC profile" in message and str(missing) in message
    assert "reinstall" in message and "--pdfa" in message
    assert not out.exists()


def test_without_pdfa_the_profile_is_not_needed(tmp_path: Path, sample_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfa, "icc_path", lambda: tmp_path / "none.icc")
    out = tmp_path / "b.pdf"
    result = CliRunner().invoke(cli, ["build", str(sample_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_the_bundled_profile_is_there() -> None:
    assert pdfa.icc_profile()[36:40] == b"acsp"  # an ICC profile's signature
