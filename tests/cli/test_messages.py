"""Messages: one line naming the file and what to do; no reportlab internals or object
addresses; ``-vv`` shows the traceback of an unexpected error (for a bug report)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from briefing import build as build_module
from briefing.build import build
from briefing.cli import cli, main
from briefing.options import ask

INTERNALS = ("0x", "Flowable", "frame=", "template", "LIIndenter", "identity", "BytesIO")


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["briefing", *args])
    with pytest.raises(SystemExit) as info:
        main()
    return int(info.value.code or 0), capsys.readouterr().err


def test_B1_vv_shows_the_traceback_of_an_unexpected_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug at <object at 0x7f0011223344>")

    monkeypatch.setattr(build_module, "build_file", broken)
    source = tmp_path / "a.txt"
    source.write_text("Title here. Lead.\nPara.\n")
    code, err = run_main(monkeypatch, capsys, "-vv", "build", str(source))
    assert code == 1
    assert "Traceback (most recent call last)" in err and "in broken" in err
    assert "RuntimeError: a bug" in err
    code, err = run_main(monkeypatch, capsys, "build", str(source))
    assert code == 1 and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert "unexpected error" in line and "-vv" in line and "0x7f" not in line


@pytest.mark.parametrize("theme", [
    # The masthead taller than a page: big logo, big padding, big title.
    '[masthead]\npadding = 50\n[logo]\nheight = 80\n[styles.title]\nsize = 144\nleading = 200\n',
    # A paragraph's line taller than the page's text area.
    '[page]\nmargin_top = 100\nmargin_bottom = 100\n[styles.body]\nsize = 144\nleading = 200\n',
])
def test_B2_a_block_too_large_is_named_without_internals(tmp_path: Path, theme: str) -> None:
    (tmp_path / "t.toml").write_text(f'extends = "default"\n{theme}', encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text("Title here. Lead.\nPara.\n")
    result = CliRunner().invoke(cli, ["build", str(source), "--theme", str(tmp_path / "t.toml"),
                                      "--page-size", "a5", "-o", str(tmp_path / "a.pdf")])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert "cannot be laid out" in line and "mm" in line and "theme" in line, line
    for internal in INTERNALS:
        assert internal not in line, line


def test_C4_a_source_address_too_long_for_a_qr_code(tmp_path: Path) -> None:
    url = "https://example.org/" + "a" * 3000
    source = tmp_path / "q.md"
    source.write_text(f"---\ntitle: T\nsource: \"{url}\"\n---\n\nLead.\n", encoding="utf-8")
    for theme in ("default", "print"):  # QR code in the masthead, and in the footer
        result = build(source, ask(theme=theme))
        assert any("QR code" in w and "too long" in w for w in result.warnings), result.warnings
        reader = pypdf.PdfReader(io.BytesIO(result.pdf))
        assert "QR code" not in "".join(str(p.get("/Contents", "")) for p in reader.pages)
    strict = CliRunner().invoke(cli, ["build", str(source), "--strict", "--theme", "print",
                                      "-o", str(tmp_path / "q.pdf")])
    assert strict.exit_code == 1 and "too long for a QR code" in strict.output
    assert "unexpected" not in strict.output
